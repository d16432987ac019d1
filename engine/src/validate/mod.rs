//! Rules that span items of a [`Project`]: unique ids, known references, an acyclic
//! network, consistent dates and snapshots. Every broken rule is collected so an import
//! can be fixed in one pass.

use std::collections::{HashMap, HashSet};

use crate::error::{FieldError, ValidationErrors};
use crate::model::Project;

const MAX_TEXT: usize = 200;
const MAX_WORK_PACKAGES: usize = 5_000;

pub(crate) fn project(p: &Project) -> Result<(), ValidationErrors> {
    let mut errs = Vec::new();
    text(&mut errs, "name", &p.name, true);
    text(&mut errs, "code", &p.code, true);
    text(&mut errs, "manager", &p.manager, false);
    text(&mut errs, "sponsor", &p.sponsor, false);
    if p.baseline_finish <= p.start {
        errs.push(FieldError::new(
            "baseline_finish",
            format!("must be after start ({} <= {})", p.baseline_finish, p.start),
        ));
    }
    work_packages(&mut errs, p);
    risks(&mut errs, p);
    milestones(&mut errs, p);
    snapshots(&mut errs, p);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ValidationErrors(errs))
    }
}

fn text(errs: &mut Vec<FieldError>, field: &str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        errs.push(FieldError::new(field, "must not be blank"));
    } else if value.chars().count() > MAX_TEXT {
        errs.push(FieldError::new(field, format!("must be at most {MAX_TEXT} characters")));
    }
}

fn work_packages(errs: &mut Vec<FieldError>, p: &Project) {
    if p.work_packages.is_empty() {
        errs.push(FieldError::new(
            "work_packages",
            "must contain at least one work package",
        ));
        return;
    }
    if p.work_packages.len() > MAX_WORK_PACKAGES {
        errs.push(FieldError::new(
            "work_packages",
            format!("must contain at most {MAX_WORK_PACKAGES} work packages"),
        ));
        return;
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, wp) in p.work_packages.iter().enumerate() {
        let at = format!("work_packages[{i}]");
        if wp.id.trim().is_empty() || wp.id.len() > 64 {
            errs.push(FieldError::new(format!("{at}.id"), "must be 1-64 characters"));
        } else if index.insert(wp.id.as_str(), i).is_some() {
            errs.push(FieldError::new(format!("{at}.id"), format!("duplicate id {:?}", wp.id)));
        }
        text(errs, &format!("{at}.name"), &wp.name, true);
        if wp.duration.optimistic() <= 0.0 {
            errs.push(FieldError::new(
                format!("{at}.duration.optimistic"),
                format!("must be > 0 working days (got {})", wp.duration.optimistic()),
            ));
        }
        if let (Some(s), Some(f)) = (wp.actual_start, wp.actual_finish) {
            if f < s {
                errs.push(FieldError::new(
                    format!("{at}.actual_finish"),
                    format!("must not be before actual_start ({f} < {s})"),
                ));
            }
        }
    }
    for (i, wp) in p.work_packages.iter().enumerate() {
        for (j, pred) in wp.predecessors.iter().enumerate() {
            let at = format!("work_packages[{i}].predecessors[{j}]");
            if pred == &wp.id {
                errs.push(FieldError::new(at, "a work package cannot precede itself"));
            } else if !index.contains_key(pred.as_str()) {
                errs.push(FieldError::new(at, format!("unknown work package {pred:?}")));
            }
        }
    }
    if let Some(cycle) = find_cycle(p, &index) {
        errs.push(FieldError::new(
            "work_packages",
            format!("dependencies must not form a cycle: {}", cycle.join(" -> ")),
        ));
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

fn risks(errs: &mut Vec<FieldError>, p: &Project) {
    let wps: HashSet<&str> = p.work_packages.iter().map(|w| w.id.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, r) in p.risks.iter().enumerate() {
        let at = format!("risks[{i}]");
        if r.id.trim().is_empty() || r.id.len() > 64 {
            errs.push(FieldError::new(format!("{at}.id"), "must be 1-64 characters"));
        } else if !seen.insert(r.id.as_str()) {
            errs.push(FieldError::new(format!("{at}.id"), format!("duplicate id {:?}", r.id)));
        }
        text(errs, &format!("{at}.title"), &r.title, true);
        for (j, a) in r.affects.iter().enumerate() {
            if !wps.contains(a.as_str()) {
                errs.push(FieldError::new(
                    format!("{at}.affects[{j}]"),
                    format!("unknown work package {a:?}"),
                ));
            }
        }
    }
}

fn milestones(errs: &mut Vec<FieldError>, p: &Project) {
    for (i, m) in p.milestones.iter().enumerate() {
        text(errs, &format!("milestones[{i}].name"), &m.name, true);
    }
}

fn snapshots(errs: &mut Vec<FieldError>, p: &Project) {
    let start = p.start_period();
    let mut seen = HashSet::new();
    for (i, s) in p.snapshots.iter().enumerate() {
        let at = format!("snapshots[{i}]");
        if !seen.insert(s.period) {
            errs.push(FieldError::new(
                format!("{at}.period"),
                format!("duplicate period {}", s.period),
            ));
        }
        if s.period < start {
            errs.push(FieldError::new(
                format!("{at}.period"),
                format!("must not be before the project start ({} < {start})", s.period),
            ));
        }
        if let Some(v) = s.stakeholder_satisfaction {
            if !(0.0..=5.0).contains(&v) {
                errs.push(FieldError::new(
                    format!("{at}.stakeholder_satisfaction"),
                    format!("must be between 0 and 5 (got {v})"),
                ));
            }
        }
        if let Some(n) = &s.notes {
            if n.chars().count() > 4_000 {
                errs.push(FieldError::new(
                    format!("{at}.notes"),
                    "must be at most 4000 characters",
                ));
            }
        }
    }
}
