//! Compiles a project into the flat model one simulation iterates over: the network of
//! **remaining** work packages in topological order with CSR predecessor arrays, a sampler
//! per duration and cost, what the work packages have booked so far, and the open risks.
//!
//! Remaining-work rules (SPEC §1.5):
//! - a complete work package leaves the network and, finishing at 0, never delays a
//!   successor; its booked cost is `actual_cost` (or its most-likely cost);
//! - an in-progress one keeps `1 − percent_complete` of its sampled duration and cost; its
//!   booked cost is `actual_cost`, else `percent_complete` × most-likely cost;
//! - a risk enters only when open and with probability > 0 (a risk that cannot occur must
//!   not change the random stream). Its delay goes to its remaining affected work packages
//!   (once per path, see `paths`); a risk that affects only completed work can no longer
//!   strike and is left out; a risk affecting no work package delays the project finish.
//!
//! The booked costs are not the forecast's cost to date: that is the snapshot's AC (see
//! `cost_base`); they are kept to reconcile against it. A performance adjustment scales
//! the remaining durations and costs here, once, so the kernel is the same for both runs.

use std::collections::HashMap;

use crate::error::{EngineError, ValidationErrors};
use crate::model::{Project, RiskStatus, WorkPackage};

use super::compare::Adjustment;
use super::sample::Estimate;

/// Marks "no predecessor set the start" in the critical-path back-pointers.
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) struct Network {
    /// Indices into `project.work_packages`, in topological order.
    pub wp_index: Vec<usize>,
    /// Per node, in topological order: everything the kernel reads, packed together.
    pub nodes: Vec<Node>,
    /// Predecessors of node `k` are `preds[nodes[k].preds_from..nodes[k].preds_to]`, each an
    /// earlier node's position.
    pub preds: Vec<u32>,
    /// Nodes no other remaining node waits for: the project finish is the latest of these.
    pub sinks: Vec<u32>,
    /// Cost booked on completed and in-progress work (see the module doc).
    pub work_package_actuals: f64,
    pub risks: Vec<RiskModel>,
    /// Indices into `project.risks` of `risks`, in the same order.
    pub risk_index: Vec<usize>,
}

/// One remaining work package as the kernel sees it.
pub(crate) struct Node {
    pub duration: Estimate,
    pub cost: Estimate,
    pub preds_from: u32,
    pub preds_to: u32,
}

pub(crate) struct RiskModel {
    pub probability: f64,
    /// The risk occurs in an iteration when the top 32 bits of its word are below this:
    /// the probability in units of 2⁻³² (so a probability below 1.2 × 10⁻¹⁰ rounds to never).
    pub threshold: u64,
    pub cost: Estimate,
    pub delay: Estimate,
    /// Remaining nodes the delay is added to; empty means the project finish.
    pub targets: Vec<u32>,
}

impl Network {
    pub fn len(&self) -> usize {
        self.wp_index.len()
    }

    /// The remaining network; `adjustment` (if any) scales every remaining duration and
    /// cost, risks untouched (they are events, not the pace of the work).
    pub fn compile(project: &Project, adjustment: Option<Adjustment>) -> Result<Self, EngineError> {
        let wps = &project.work_packages;
        let by_id: HashMap<&str, usize> = wps.iter().enumerate().map(|(i, w)| (w.id.as_str(), i)).collect();
        let order = remaining_topological_order(wps, &by_id)?;
        let mut position = vec![NONE; wps.len()];
        for (k, &i) in order.iter().enumerate() {
            position[i] = k as u32;
        }
        let mut spans = Vec::with_capacity(order.len());
        let mut preds = Vec::new();
        let mut has_successor = vec![false; order.len()];
        for &i in &order {
            let mut mine: Vec<u32> = wps[i]
                .predecessors
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).map(|&j| position[j]))
                .filter(|&p| p != NONE)
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &p in &mine {
                has_successor[p as usize] = true;
            }
            spans.push((preds.len() as u32, (preds.len() + mine.len()) as u32));
            preds.extend(mine);
        }
        let sinks = (0..order.len() as u32)
            .filter(|&k| !has_successor[k as usize])
            .collect();
        let dist = project.estimate;
        let (time, money) = adjustment.map_or((1.0, 1.0), |a| (a.duration_factor, a.cost_factor));
        let mut work_package_actuals = 0.0;
        let mut nodes = Vec::with_capacity(order.len());
        for wp in wps.iter().filter(|w| w.is_complete()) {
            work_package_actuals += wp.actual_cost.map_or(wp.cost.most_likely(), |c| c.get());
        }
        for (&i, &(preds_from, preds_to)) in order.iter().zip(&spans) {
            let wp = &wps[i];
            let done = wp.percent_complete.fraction();
            let share = 1.0 - done;
            work_package_actuals += wp.actual_cost.map_or(done * wp.cost.most_likely(), |c| c.get());
            nodes.push(Node {
                duration: Estimate::new(&wp.duration, dist, share * time),
                cost: Estimate::new(&wp.cost, dist, share * money),
                preds_from,
                preds_to,
            });
        }
        let (risk_index, risks) = compile_risks(project, &by_id, &position).into_iter().unzip();
        Ok(Self {
            wp_index: order,
            nodes,
            preds,
            sinks,
            work_package_actuals,
            risks,
            risk_index,
        })
    }
}

impl RiskModel {
    /// Whether the risk occurs in the iteration that drew `word` (see `lanes`): its top 32
    /// bits decide, its low 16 are the cost uniform, the next 16 the delay's.
    #[inline(always)]
    pub fn occurs(&self, word: u64) -> bool {
        word >> 32 < self.threshold
    }
}

/// The risks that can still strike, each with its index in `project.risks`.
fn compile_risks(project: &Project, by_id: &HashMap<&str, usize>, position: &[u32]) -> Vec<(usize, RiskModel)> {
    let dist = project.estimate;
    project
        .risks
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == RiskStatus::Open && r.probability.get() > 0.0)
        .filter_map(|(i, r)| {
            let mut targets: Vec<u32> = r
                .affects
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).map(|&j| position[j]))
                .filter(|&p| p != NONE)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            if targets.is_empty() && !r.affects.is_empty() {
                return None; // only completed work affected: nothing left to strike
            }
            let probability = r.probability.get();
            let model = RiskModel {
                probability,
                threshold: (probability * 4_294_967_296.0).round() as u64,
                cost: Estimate::new(&r.cost_impact, dist, 1.0),
                delay: Estimate::new(&r.schedule_impact, dist, 1.0),
                targets,
            };
            Some((i, model))
        })
        .collect()
}

/// Kahn's algorithm over the not-yet-complete work packages, ties broken by input order so
/// the same project always compiles to the same node numbering. Edges from completed
/// predecessors are dropped (they finished before the period end). Unknown predecessors and
/// cycles are refused, for projects that did not come through [`Project::validate`].
fn remaining_topological_order(wps: &[WorkPackage], by_id: &HashMap<&str, usize>) -> Result<Vec<usize>, EngineError> {
    let n = wps.len();
    let remaining: Vec<bool> = wps.iter().map(|w| !w.is_complete()).collect();
    let mut indegree = vec![0u32; n];
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, wp) in wps.iter().enumerate() {
        for (j, pred) in wp.predecessors.iter().enumerate() {
            let &p = by_id.get(pred.as_str()).ok_or_else(|| {
                invalid(
                    format!("work_packages[{i}].predecessors[{j}]"),
                    format!("unknown work package {pred:?}"),
                )
            })?;
            if remaining[i] && remaining[p] && !successors[p].contains(&i) {
                successors[p].push(i);
                indegree[i] += 1;
            }
        }
    }
    // A min-heap on input position keeps the order stable; n is small enough that a sorted
    // ready list is as fast.
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&i| remaining[i] && indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &s in &successors[i] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                ready.insert(s);
            }
        }
    }
    let expected = remaining.iter().filter(|&&r| r).count();
    if order.len() != expected {
        return Err(invalid(
            "work_packages".to_owned(),
            "dependencies must not form a cycle".to_owned(),
        ));
    }
    Ok(order)
}

fn invalid(field: String, rule: String) -> EngineError {
    EngineError::Invalid(ValidationErrors::single(field, rule))
}
