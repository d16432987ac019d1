//! The work-package network's rules: every predecessor is a known other package, and the
//! dependencies form no cycle (SPEC §1.1).

use std::collections::HashMap;

use super::rules::Errors;
use crate::error::excerpt;
use crate::model::Project;

/// Predecessor references, then cycles among the known ones. `index` maps each usable id
/// to its package's position.
pub(super) fn network(errs: &mut Errors, p: &Project, index: &HashMap<&str, usize>) {
    for (i, wp) in p.work_packages.iter().enumerate() {
        for (j, pred) in wp.predecessors.iter().enumerate() {
            if pred == &wp.id {
                errs.push(
                    format!("work_packages[{i}].predecessors[{j}]"),
                    "a work package cannot precede itself",
                );
            } else if !index.contains_key(pred.as_str()) {
                errs.push(
                    format!("work_packages[{i}].predecessors[{j}]"),
                    format!("unknown work package {}", excerpt(pred)),
                );
            }
        }
    }
    if let Some(cycle) = find_cycle(p, index) {
        errs.push(
            "work_packages",
            format!("dependencies must not form a cycle: {}", shown(&cycle)),
        );
    }
}

/// A closed cycle of ids, its middle elided when long: a cycle through thousands of
/// packages is fixed by breaking one edge, not by reading them all.
fn shown(cycle: &[String]) -> String {
    const HEAD: usize = 10;
    match cycle {
        [head @ .., last] if cycle.len() > HEAD + 2 => format!(
            "{} -> … ({} work packages in all) -> {last}",
            head[..HEAD].join(" -> "),
            cycle.len() - 1
        ),
        _ => cycle.join(" -> "),
    }
}

/// Depth-first search over known predecessor edges; returns one cycle's ids, closed.
fn find_cycle(p: &Project, index: &HashMap<&str, usize>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = p.work_packages.len();
    let preds: Vec<Vec<usize>> = p
        .work_packages
        .iter()
        .map(|wp| {
            wp.predecessors
                .iter()
                .filter_map(|id| index.get(id.as_str()).copied())
                .filter(|&j| p.work_packages[j].id != wp.id)
                .collect()
        })
        .collect();
    let mut mark = vec![Mark::New; n];
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        // Iterative DFS: (node, next edge to follow); `path` mirrors the open nodes.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        let mut path: Vec<usize> = vec![root];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if let Some(&next) = preds[node].get(*edge) {
                *edge += 1;
                match mark[next] {
                    Mark::Open => {
                        let from = path.iter().position(|&x| x == next).unwrap_or(0);
                        let mut ids: Vec<String> =
                            path[from..].iter().map(|&k| p.work_packages[k].id.clone()).collect();
                        ids.push(p.work_packages[next].id.clone());
                        return Some(ids);
                    }
                    Mark::New => {
                        mark[next] = Mark::Open;
                        stack.push((next, 0));
                        path.push(next);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
                path.pop();
            }
        }
    }
    None
}
