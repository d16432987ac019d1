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
//! Spearman's, with no sort per driver (`stats::RankSums`): a work package's uniform score
//! is divided by its exact spread, a risk's by its sample's — a rare risk's score is
//! nearly two-valued, and its exact spread would double the noise of its correlation (a
//! test holds every correlation to textbook Spearman of the drawn inputs, rare risks
//! included).
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

use super::lanes::{self, LANES};
use super::network::Network;
use super::stats::RankSums;
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

/// [`centred_uniform`] of each lane's uniform: a plain loop, which the compiler turns into
/// vector conversions (an array's `map` it does not).
#[inline(always)]
fn centred(plane: &[u16; LANES]) -> [f32; LANES] {
    let mut out = [0.0; LANES];
    for (out, &u) in out.iter_mut().zip(plane) {
        *out = centred_uniform(u);
    }
    out
}

/// The variance of [`centred_uniform`] over its 2¹⁶ equally likely values: `(N² − 1)/(12 N²)`.
const UNIFORM_VARIANCE: f64 = (1.0 - 1.0 / 4_294_967_296.0) / 12.0;

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

    /// The score of one iteration: whether the risk occurred, and its impact's uniform.
    #[inline(always)]
    fn score(self, occurs: bool, u: u16) -> f32 {
        let present = self.present + self.scale * centred_uniform(u);
        if occurs {
            present
        } else {
            self.absent
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
    // Node columns run to an even count: with an odd number of nodes the last word's upper
    // half lands in the spare column, which is never read.
    let node_cols = m.div_ceil(2) * 2;
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
    let mut sums = Sums {
        finish: RankSums::new(&s.finish[..n], node_cols, net.risks.len()),
        cost: RankSums::new(&s.cost[..n], node_cols, net.risks.len()),
        scores: &scores,
        node_cols,
        start: 0,
    };
    run::replay(net, seed, n, |lanes, words, risk_words| {
        sums.add_block(net, lanes, words, risk_words)
    });
    let Sums { finish, cost, .. } = sums;
    let (finish, cost) = (
        finish.correlations(UNIFORM_VARIANCE),
        cost.correlations(UNIFORM_VARIANCE),
    );
    // Back to one column per node, then the risks; a quantity that cannot vary has no rank
    // to correlate, whatever its uniform did.
    let pick = |all: Vec<f64>, varies: &dyn Fn(usize) -> bool| -> Vec<f64> {
        (0..m)
            .map(|k| if varies(k) { all[k] } else { 0.0 })
            .chain(all[node_cols..].iter().copied())
            .collect()
    };
    (
        pick(finish, &|k| net.nodes[k].duration.affine.varies()),
        pick(cost, &|k| net.nodes[k].cost.affine.varies()),
    )
}

/// The tornado's sums as the replayed blocks arrive.
struct Sums<'a> {
    finish: RankSums,
    cost: RankSums,
    /// Per risk, how its delay and its cost become scores.
    scores: &'a [(RiskScore, RiskScore)],
    /// Columns before the first risk's (the nodes, rounded up to even).
    node_cols: usize,
    /// The iteration the next block starts at.
    start: usize,
}

impl Sums<'_> {
    /// Adds one block of `lanes` iterations (see `run::replay`). Out of line, so the
    /// compiler plans its registers for this loop alone.
    #[inline(never)]
    fn add_block(&mut self, net: &Network, lanes: usize, words: &[u64], risk_words: &[u64]) {
        let (finish, cost) = (&mut self.finish, &mut self.cost);
        let (wf, wc) = (finish.weights(self.start), cost.weights(self.start));
        let live: [f32; LANES] = std::array::from_fn(|i| f32::from(u8::from(i < lanes)));
        for (j, row) in words.chunks_exact(LANES).enumerate() {
            // Node 2j's cost and duration uniforms, then node 2j + 1's.
            let [c0, d0, c1, d1] = lanes::planes(row);
            cost.add(2 * j, &centred(&c0), &wc);
            finish.add(2 * j, &centred(&d0), &wf);
            cost.add(2 * j + 1, &centred(&c1), &wc);
            finish.add(2 * j + 1, &centred(&d1), &wf);
        }
        let risks = net.risks.iter().zip(self.scores).zip(risk_words.chunks_exact(LANES));
        for (r, ((risk, (delay, money)), row)) in risks.enumerate() {
            let occurs: [bool; LANES] = std::array::from_fn(|i| risk.occurs(row[i]));
            let f = std::array::from_fn(|i| delay.score(occurs[i], (row[i] >> 16) as u16));
            let c = std::array::from_fn(|i| money.score(occurs[i], row[i] as u16));
            finish.add_sampled(self.node_cols + r, &f, &wf, &live);
            cost.add_sampled(self.node_cols + r, &c, &wc, &live);
        }
        finish.end_block();
        cost.end_block();
        self.start += lanes;
    }
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

#[cfg(test)]
mod tests {
    use super::super::lanes::{LaneRng, Stream};
    use super::super::run::{run, Execution, Kernel, CHUNK};
    use super::super::stats::ranks;
    use super::*;
    use crate::model::Probability;
    use crate::testkit::synthetic_project;

    /// Spearman's correlation the textbook way: Pearson's of the two samples' ranks.
    fn spearman(x: &[f64], y: &[f64]) -> f64 {
        let (rx, ry) = (ranks(x), ranks(y));
        let n = x.len() as f64;
        let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
        let cov: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
        let vx: f64 = rx.iter().map(|a| (a - mx).powi(2)).sum();
        let vy: f64 = ry.iter().map(|b| (b - my).powi(2)).sum();
        cov / (vx * vy).sqrt()
    }

    #[test]
    fn tornado_correlations_are_spearmans_of_the_drawn_inputs() {
        let mut project = synthetic_project(41, 12, 3);
        // Rare risks too: their scores are nearly two-valued, where an exact variance in
        // place of the sample's had doubled the noise.
        for (risk, p) in project.risks.iter_mut().zip([0.01, 0.003, 0.02]) {
            risk.probability = Probability::new(p).expect("a probability");
        }
        let net = Network::compile(&project, None).expect("compiles");
        let (n, seed) = (20_000, 9);
        let s = run(&net, n, seed, 0.0, Execution::Sequential, Kernel::Blocked, None).expect("not cancelled");
        let (finish, cost) = correlations(&net, &s, seed, n);
        // The inputs again, from blocks of words filled afresh, one iteration at a time.
        let m = net.len();
        let (mut durations, mut costs) = (vec![vec![0.0; n]; m], vec![vec![0.0; n]; m]);
        let (mut delays, mut risk_costs) = (vec![vec![0.0; n]; net.risks.len()], vec![vec![0.0; n]; net.risks.len()]);
        let mut words = vec![0u64; m.div_ceil(2) * LANES];
        let mut risk_words = vec![0u64; net.risks.len() * LANES];
        for chunk in 0..n.div_ceil(CHUNK) {
            let mut wp = LaneRng::for_chunk(seed, chunk, Stream::WorkPackages);
            let mut risk = LaneRng::for_chunk(seed, chunk, Stream::Risks);
            for block in (chunk * CHUNK..n.min((chunk + 1) * CHUNK)).step_by(LANES) {
                risk.fill(&mut risk_words);
                wp.fill(&mut words);
                for it in block..n.min(block + LANES) {
                    let lane = it % LANES;
                    for (r, model) in net.risks.iter().enumerate() {
                        let word = risk_words[r * LANES + lane];
                        if model.occurs(word) {
                            risk_costs[r][it] = model.cost.draw(word as u16);
                            delays[r][it] = model.delay.draw((word >> 16) as u16);
                        }
                    }
                    for (k, node) in net.nodes.iter().enumerate() {
                        let row = &words[k / 2 * LANES..][..LANES];
                        costs[k][it] = node.cost.draw(lanes::uniform(row, 2 * (k % 2), lane));
                        durations[k][it] = node.duration.draw(lanes::uniform(row, 2 * (k % 2) + 1, lane));
                    }
                }
            }
        }
        let inputs = |a: &[Vec<f64>], b: &[Vec<f64>], out: &[f64]| -> Vec<f64> {
            a.iter().chain(b).map(|x| spearman(x, out)).collect()
        };
        let expected_finish = inputs(&durations, &delays, &s.finish);
        let expected_cost = inputs(&costs, &risk_costs, &s.cost);
        for (col, (got, want)) in finish
            .iter()
            .zip(&expected_finish)
            .chain(cost.iter().zip(&expected_cost))
            .enumerate()
        {
            // Scores from the inputs' distribution functions against ranks among the samples,
            // and a work package's exact variance against its sample's: well within one
            // standard error (1/√n = 0.007).
            assert!((got - want).abs() < 0.003, "column {col}: {got} against {want}");
        }
        assert!(expected_finish.iter().any(|c| c.abs() > 0.2), "some driver matters");
    }
}
