//! What drives the forecast: the tornado (rank correlations of each remaining work
//! package's sampled duration and cost with the finish and the total cost) and the
//! criticality index (share of iterations on the critical path).

use super::network::Network;
use super::{run, stats, Criticality, Driver};
use crate::model::Project;

/// Spearman correlations over the first iterations (see `run::TORNADO_SAMPLE`): each
/// remaining work package's sampled duration (before risk delays) against the finish, and
/// its sampled cost against the total cost. Strongest |finish correlation| first; ties keep
/// the network order.
pub(super) fn tornado(project: &Project, net: &Network, s: &run::Samples, seed: u64, size: usize) -> Vec<Driver> {
    let m = net.len();
    let n = s.finish.len().min(run::TORNADO_SAMPLE);
    let finish_ranks = stats::ranks(&s.finish[..n]);
    let cost_ranks = stats::ranks(&s.cost[..n]);
    let replay = |row: &mut dyn FnMut(&[u16])| run::replay_uniforms(m, seed, n, row);
    let (cost_corr, finish_corr) = stats::rank_correlations(replay, run::row_width(m), &cost_ranks, &finish_ranks);
    // A quantity that cannot vary has no rank to correlate.
    let finish_corr: Vec<f64> = (0..m)
        .map(|k| {
            if net.nodes[k].duration.varies() {
                finish_corr[2 * k + 1]
            } else {
                0.0
            }
        })
        .collect();
    let cost_corr: Vec<f64> = (0..m)
        .map(|k| {
            if net.nodes[k].cost.varies() {
                cost_corr[2 * k]
            } else {
                0.0
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| finish_corr[b].abs().total_cmp(&finish_corr[a].abs()));
    order
        .into_iter()
        .take(size)
        .map(|k| {
            let wp = &project.work_packages[net.wp_index[k]];
            Driver {
                work_package_id: wp.id.clone(),
                name: wp.name.clone(),
                finish_correlation: finish_corr[k],
                cost_correlation: cost_corr[k],
            }
        })
        .collect()
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
