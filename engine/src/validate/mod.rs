//! Every rule of a [`Project`] that its types cannot carry: the bounds of SPEC §1.1
//! (text lengths, money, days, hours, counts, dates, list sizes — see [`crate::limits`]),
//! unique ids, known references, an acyclic network, consistent dates and snapshots.
//!
//! The newtypes already refuse what no project could mean (a negative amount, a NaN, an
//! unordered estimate) while deserialising; the bounds live here because one type serves
//! several units (a `ThreePoint` is days or money, an `Amount` money or hours) and because
//! here every broken rule of a file is collected, so it can be fixed in one pass.

mod graph;
mod rules;

use std::collections::{HashMap, HashSet};

use crate::error::{excerpt, show, ValidationErrors};
use crate::limits::{
    MAX_DAYS, MAX_HOURS, MAX_LINKS, MAX_MILESTONES, MAX_MONEY, MAX_NOTES, MAX_RISKS, MAX_SNAPSHOTS, MAX_TEXT,
    MAX_WORK_PACKAGES,
};
use crate::model::{Project, Snapshot, WorkPackage};
use rules::Errors;

const DAYS: &str = " working days";
const HOURS: &str = " hours";
const MONEY: &str = "";

pub(crate) fn project(p: &Project) -> Result<(), ValidationErrors> {
    let mut errs = Errors::new();
    errs.text("", "name", &p.name, MAX_TEXT, true);
    errs.text("", "code", &p.code, MAX_TEXT, true);
    errs.text("", "manager", &p.manager, MAX_TEXT, false);
    errs.text("", "sponsor", &p.sponsor, MAX_TEXT, false);
    errs.date("", "start", p.start);
    errs.date("", "baseline_finish", p.baseline_finish);
    if p.baseline_finish <= p.start {
        errs.push(
            "baseline_finish",
            format!("must be after start ({} <= {})", p.baseline_finish, p.start),
        );
    }
    errs.at_most("", "bac", p.bac.get(), MAX_MONEY, MONEY);
    if let Some(c) = p.contingency {
        errs.at_most("", "contingency", c.get(), MAX_MONEY, MONEY);
    }
    work_packages(&mut errs, p);
    risks(&mut errs, p);
    milestones(&mut errs, p);
    snapshots(&mut errs, p);
    errs.finish()
}

fn work_packages(errs: &mut Errors, p: &Project) {
    if p.work_packages.is_empty() {
        errs.push("work_packages", "must contain at least one work package");
        return;
    }
    if !errs.list(
        "",
        "work_packages",
        p.work_packages.len(),
        MAX_WORK_PACKAGES,
        "work packages",
    ) {
        return;
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, wp) in p.work_packages.iter().enumerate() {
        let at = format!("work_packages[{i}]");
        if errs.id(&at, &wp.id) && index.insert(wp.id.as_str(), i).is_some() {
            errs.push(format!("{at}.id"), format!("duplicate id {}", excerpt(&wp.id)));
        }
        work_package(errs, &at, wp);
    }
    graph::network(errs, p, &index);
}

fn work_package(errs: &mut Errors, at: &str, wp: &WorkPackage) {
    errs.text(at, "name", &wp.name, MAX_TEXT, true);
    errs.list(at, "predecessors", wp.predecessors.len(), MAX_LINKS, "entries");
    if wp.duration.optimistic() <= 0.0 {
        errs.push(
            format!("{at}.duration.optimistic"),
            format!("must be > 0 working days (got {})", show(wp.duration.optimistic())),
        );
    }
    errs.three_point(at, "duration", &wp.duration, MAX_DAYS, DAYS);
    errs.three_point(at, "cost", &wp.cost, MAX_MONEY, MONEY);
    if let Some(c) = wp.actual_cost {
        errs.at_most(at, "actual_cost", c.get(), MAX_MONEY, MONEY);
    }
    if let Some(d) = wp.actual_start {
        errs.date(at, "actual_start", d);
    }
    if let Some(d) = wp.actual_finish {
        errs.date(at, "actual_finish", d);
    }
    if let (Some(s), Some(f)) = (wp.actual_start, wp.actual_finish) {
        if f < s {
            errs.push(
                format!("{at}.actual_finish"),
                format!("must not be before actual_start ({f} < {s})"),
            );
        }
    }
}

fn risks(errs: &mut Errors, p: &Project) {
    if !errs.list("", "risks", p.risks.len(), MAX_RISKS, "risks") {
        return;
    }
    let wps: HashSet<&str> = p.work_packages.iter().map(|w| w.id.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, r) in p.risks.iter().enumerate() {
        let at = format!("risks[{i}]");
        if errs.id(&at, &r.id) && !seen.insert(r.id.as_str()) {
            errs.push(format!("{at}.id"), format!("duplicate id {}", excerpt(&r.id)));
        }
        errs.text(&at, "title", &r.title, MAX_TEXT, true);
        errs.text(&at, "owner", &r.owner, MAX_TEXT, false);
        errs.three_point(&at, "cost_impact", &r.cost_impact, MAX_MONEY, MONEY);
        errs.three_point(&at, "schedule_impact", &r.schedule_impact, MAX_DAYS, DAYS);
        if !errs.list(&at, "affects", r.affects.len(), MAX_LINKS, "entries") {
            continue;
        }
        for (j, a) in r.affects.iter().enumerate() {
            if !wps.contains(a.as_str()) {
                errs.push(
                    format!("{at}.affects[{j}]"),
                    format!("unknown work package {}", excerpt(a)),
                );
            }
        }
    }
}

fn milestones(errs: &mut Errors, p: &Project) {
    if !errs.list("", "milestones", p.milestones.len(), MAX_MILESTONES, "milestones") {
        return;
    }
    for (i, m) in p.milestones.iter().enumerate() {
        let at = format!("milestones[{i}]");
        errs.text(&at, "name", &m.name, MAX_TEXT, true);
        errs.date(&at, "baseline", m.baseline);
        errs.date(&at, "forecast", m.forecast);
    }
}

fn snapshots(errs: &mut Errors, p: &Project) {
    if !errs.list("", "snapshots", p.snapshots.len(), MAX_SNAPSHOTS, "snapshots") {
        return;
    }
    let start = p.start_period();
    let mut seen = HashSet::new();
    for (i, s) in p.snapshots.iter().enumerate() {
        let at = format!("snapshots[{i}]");
        if !seen.insert(s.period) {
            errs.push(format!("{at}.period"), format!("duplicate period {}", s.period));
        }
        if s.period < start {
            errs.push(
                format!("{at}.period"),
                format!("must not be before the project start ({} < {start})", s.period),
            );
        }
        snapshot(errs, &at, s);
    }
}

fn snapshot(errs: &mut Errors, at: &str, s: &Snapshot) {
    errs.at_most(at, "pv", s.pv.get(), MAX_MONEY, MONEY);
    errs.at_most(at, "ev", s.ev.get(), MAX_MONEY, MONEY);
    errs.at_most(at, "ac", s.ac.get(), MAX_MONEY, MONEY);
    errs.at_most(at, "capacity_hours", s.capacity_hours.get(), MAX_HOURS, HOURS);
    errs.at_most(at, "allocated_hours", s.allocated_hours.get(), MAX_HOURS, HOURS);
    errs.count(at, "headcount", s.headcount);
    errs.count(at, "defects_open", s.defects_open);
    errs.count(at, "defects_closed", s.defects_closed);
    if let Some(v) = s.stakeholder_satisfaction {
        if !(0.0..=5.0).contains(&v) {
            errs.push(
                format!("{at}.stakeholder_satisfaction"),
                format!("must be between 0 and 5 (got {})", show(v)),
            );
        }
    }
    if let Some(n) = &s.notes {
        errs.text(at, "notes", n, MAX_NOTES, false);
    }
}
