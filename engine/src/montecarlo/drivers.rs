//! What drives the forecast: the tornado and the criticality index.
//!
//! **Tornado.** Risks and work packages are ranked together, in two lists: by the Spearman
//! correlation of each driver's sampled input with the finish (a work package's duration,
//! a risk's delay) and with the total cost (a work package's cost, a risk's cost impact).
//! A risk's input is its sampled impact in the iteration, 0 when it does not occur.
//!
//! Inputs are not stored: `run::replay` regenerates them, and each becomes a *rank score*,
//! its distribution function at the sampled value. A work package's score is its uniform
//! (the quantile transform is monotone). A risk of probability p scores (1 − p)/2 when it
//! does not occur (the mid-rank of the tied zeros) and (1 − p) + p·u when it does, u its
//! impact's uniform; an impact that cannot vary scores the mid-rank of its own atom, and
//! one that is always 0 is a constant. The correlation with the output's ranks is then
//! Spearman's, with no sort per driver.
//!
//! **Stability.** Correlations use every iteration up to [`TORNADO_ITERATIONS`], never a
//! subsample below that. Their standard error is reported as 1/√(n − 1): the exact
//! standard deviation of Spearman's ρ for an input unrelated to the output, and larger
//! than that of a driver that matters. Lists are sorted by |ρ|, strongest first, ties by id
//! (then work packages before risks). Two drivers whose correlations differ by more than
//! three standard errors swap places only if their estimation errors differ by more than
//! that in the opposite direction; that difference's standard deviation is about √2
//! standard errors at most (less for correlated drivers), so a swap is a below-2 % event
//! at the edge of the band and vanishingly rare beyond it (below 10⁻⁶ past seven).
//!
//! **Criticality.** The share of iterations each remaining work package lay on the
//! critical path.

use super::network::Network;
use super::stats::{self, RankCorrelator};
use super::{run, Criticality, Driver, DriverKind, Tornado};
use crate::model::Project;

/// The tornado reads all iterations up to this many: 1/√(n − 1) is then 0.0032, so
/// drivers three standard errors apart differ by 0.01 in correlation. Replaying a
/// million iterations would cost about as much as the run itself.
pub(crate) const TORNADO_ITERATIONS: usize = 100_000;

/// Score of a 16-bit uniform, centred: `(u + ½) / 2¹⁶ − ½`.
#[inline(always)]
fn centred_uniform(u: u16) -> f32 {
    (f32::from(u) - 32_767.5) * (1.0 / 65_536.0)
}

/// How one risk input (delay or cost) turns into a centred rank score.
#[derive(Clone, Copy)]
struct RiskScore {
    /// Score when the risk does not occur.
    absent: f32,
    /// Score when it occurs is `present + scale · centred uniform`.
    present: f32,
    scale: f32,
}

impl RiskScore {
    fn new(probability: f64, varies: bool, always_zero: bool) -> Self {
        let p = probability;
        if always_zero {
            return Self {
                absent: 0.0,
                present: 0.0,
                scale: 0.0,
            };
        }
        // Centred: (1 − p)/2 − ½ when absent; (1 − p) + p·u − ½ when present, where
        // u = ½ + centred uniform, or u = ½ (its atom's mid-rank) when the impact is fixed.
        Self {
            absent: (-p / 2.0) as f32,
            present: (0.5 - p / 2.0) as f32,
            scale: if varies { p as f32 } else { 0.0 },
        }
    }

    #[inline(always)]
    fn score(self, u: Option<u16>) -> f32 {
        match u {
            None => self.absent,
            Some(u) => self.present + self.scale * centred_uniform(u),
        }
    }
}

/// Both lists, each `size` long at most (see the module doc).
pub(super) fn tornado(project: &Project, net: &Network, s: &run::Samples, seed: u64, size: usize) -> Tornado {
    let n = s.finish.len().min(TORNADO_ITERATIONS);
    let (finish_corr, cost_corr) = correlations(net, s, seed, n);
    let m = net.len();
    let mut drivers: Vec<Driver> = (0..m)
        .map(|k| {
            let wp = &project.work_packages[net.wp_index[k]];
            Driver {
                kind: DriverKind::WorkPackage,
                id: wp.id.clone(),
                name: wp.name.clone(),
                finish_correlation: finish_corr[k],
                cost_correlation: cost_corr[k],
            }
        })
        .collect();
    drivers.extend(net.risk_index.iter().enumerate().map(|(j, &i)| {
        let r = &project.risks[i];
        Driver {
            kind: DriverKind::Risk,
            id: r.id.clone(),
            name: r.title.clone(),
            finish_correlation: finish_corr[m + j],
            cost_correlation: cost_corr[m + j],
        }
    }));
    Tornado {
        finish: strongest(&drivers, size, |d| d.finish_correlation),
        cost: strongest(&drivers, size, |d| d.cost_correlation),
        iterations: n as u32,
        standard_error: if n > 1 { 1.0 / ((n - 1) as f64).sqrt() } else { 0.0 },
    }
}

/// Correlations with the finish and with the cost over the first `n` iterations: columns
/// are the nodes in network order, then the risks.
fn correlations(net: &Network, s: &run::Samples, seed: u64, n: usize) -> (Vec<f64>, Vec<f64>) {
    let m = net.len();
    let cols = m + net.risks.len();
    let mut finish = RankCorrelator::new(&stats::ranks(&s.finish[..n]), cols);
    let mut cost = RankCorrelator::new(&stats::ranks(&s.cost[..n]), cols);
    let scores: Vec<(RiskScore, RiskScore)> = net
        .risks
        .iter()
        .map(|r| {
            let delay = r.delay.affine;
            let money = r.cost.affine;
            (
                RiskScore::new(r.probability, delay.varies(), !delay.varies() && delay.base == 0.0),
                RiskScore::new(r.probability, money.varies(), !money.varies() && money.base == 0.0),
            )
        })
        .collect();
    // One spare column: with an odd number of nodes the last word's upper half lands
    // there (or on the first risk, which is written after it) and is never read.
    let (mut finish_row, mut cost_row) = (vec![0.0f32; cols + 1], vec![0.0f32; cols + 1]);
    run::replay(net, seed, n, |words, risks| {
        let pairs = finish_row.chunks_exact_mut(2).zip(cost_row.chunks_exact_mut(2));
        for (&w, (f, c)) in words.iter().zip(pairs) {
            c[0] = centred_uniform(w as u16);
            f[0] = centred_uniform((w >> 16) as u16);
            c[1] = centred_uniform((w >> 32) as u16);
            f[1] = centred_uniform((w >> 48) as u16);
        }
        for (j, (bits, (delay, money))) in risks.iter().zip(&scores).enumerate() {
            finish_row[m + j] = delay.score(bits.map(|b| (b >> 16) as u16));
            cost_row[m + j] = money.score(bits.map(|b| b as u16));
        }
        finish.push(&finish_row[..cols]);
        cost.push(&cost_row[..cols]);
    });
    let (mut finish, mut cost) = (finish.finish(), cost.finish());
    // A quantity that cannot vary has no rank to correlate, whatever its uniform did.
    for (k, node) in net.nodes.iter().enumerate() {
        if !node.duration.affine.varies() {
            finish[k] = 0.0;
        }
        if !node.cost.affine.varies() {
            cost[k] = 0.0;
        }
    }
    (finish, cost)
}

/// The `size` drivers with the largest |key|, strongest first; ties by id, then work
/// packages before risks, so equal correlations always list in the same order.
fn strongest(drivers: &[Driver], size: usize, key: impl Fn(&Driver) -> f64) -> Vec<Driver> {
    let mut order: Vec<&Driver> = drivers.iter().collect();
    order.sort_by(|a, b| {
        key(b)
            .abs()
            .total_cmp(&key(a).abs())
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    order.into_iter().take(size).cloned().collect()
}

/// Share of iterations each remaining work package lay on the critical path; most critical
/// first, ties in network order.
pub(super) fn criticality(project: &Project, net: &Network, counts: &[u64], iterations: u32) -> Vec<Criticality> {
    let mut rows: Vec<Criticality> = counts
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let wp = &project.work_packages[net.wp_index[k]];
            Criticality {
                work_package_id: wp.id.clone(),
                name: wp.name.clone(),
                index: c as f64 / f64::from(iterations.max(1)),
            }
        })
        .collect();
    rows.sort_by(|a, b| b.index.total_cmp(&a.index));
    rows
}
