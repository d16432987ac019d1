//! Building a demo project from its profile: snapshots along an S-curve bent by the
//! profile's drift, a layered work-package network scaled to the planned duration, risks on
//! the remaining work, and milestones that slip as the schedule does.

use chrono::{Datelike, NaiveDate};
use engine::{
    Amount, Currency, Milestone, MilestoneStatus, Percent, Period, Probability, Project, ProjectId, Risk, RiskCategory,
    RiskStatus, Snapshot, ThreePoint, WorkPackage,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::profiles::Profile;
use super::AS_OF;
use crate::error::{Error, Result};

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::internal(format!("bad demo date {y}-{m}-{d}")))
}

pub(super) fn period(y: i32, m: u32) -> Result<Period> {
    Period::new(y, m).ok_or_else(|| Error::internal(format!("bad demo period {y}-{m}")))
}

fn money(v: f64) -> Result<Amount> {
    Amount::new((v * 100.0).round() / 100.0).map_err(Error::internal)
}

fn three(o: f64, m: f64, p: f64) -> Result<ThreePoint> {
    let r = |v: f64| (v * 100.0).round() / 100.0;
    ThreePoint::new(r(o), r(m), r(p)).map_err(Error::internal)
}

/// Builds one demo project from its profile.
pub(super) fn build(p: &Profile) -> Result<Project> {
    let mut rng = StdRng::seed_from_u64(
        p.id.bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
    );
    let start = date(p.start.0, p.start.1, 1)?;
    let start_period = Period::of(start);
    let as_of = period(AS_OF.0, AS_OF.1)?;
    let months_elapsed = start_period.months_until(as_of) as u32 + 1;
    let finish_period = (0..p.months - 1).fold(start_period, |q, _| q.next());
    let baseline_finish = finish_period.last_day();
    let snapshots = snapshots(p, &mut rng, start_period, months_elapsed)?;
    let progress = snapshots.last().map_or(0.0, |s| s.ev.get() / p.bac);
    let cpi_now = p.cpi.1;
    let mut work_packages = work_packages(p, &mut rng, progress, cpi_now)?;
    if let Some(last) = snapshots.last() {
        reconcile_with(&mut work_packages, last.ac.get())?;
    }
    let risks = risks(p, &mut rng, &work_packages)?;
    let milestones = milestones(p, start, baseline_finish, as_of)?;
    Ok(Project {
        id: ProjectId::parse(p.id).map_err(Error::internal)?,
        name: p.name.into(),
        code: format!("PRJ-{}", p.id.to_uppercase().replace('-', "")),
        manager: p.manager.into(),
        sponsor: p.sponsor.into(),
        currency: Currency::try_from(p.currency.to_owned()).map_err(Error::internal)?,
        start,
        baseline_finish,
        bac: money(p.bac)?,
        contingency: Some(money(p.bac * 0.06)?),
        estimate: p.estimate,
        work_packages,
        risks,
        milestones,
        snapshots,
    })
}

fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

fn snapshots(p: &Profile, rng: &mut StdRng, start: Period, months: u32) -> Result<Vec<Snapshot>> {
    let mut out = Vec::new();
    let mut period = start;
    let mut defects_open: i32 = 4;
    let mut defects_closed: u32 = 0;
    let headcount = ((p.bac / 60_000.0).round() as u32).clamp(4, 60);
    for k in 0..months {
        let t = if months > 1 {
            f64::from(k) / f64::from(months - 1)
        } else {
            1.0
        };
        let x = (f64::from(k + 1) / f64::from(p.months)).min(1.0);
        let planned = x * x * (3.0 - 2.0 * x);
        let pv = p.bac * planned;
        let spi = lerp(p.spi.0, p.spi.1, t) + rng.random_range(-0.005..0.005);
        let cpi = lerp(p.cpi.0, p.cpi.1, t) + rng.random_range(-0.004..0.004);
        let ev = (pv * spi).min(p.bac);
        let ac = ev / cpi;
        let capacity = f64::from(headcount) * 160.0;
        let utilisation = lerp(0.85, p.utilisation, t) + rng.random_range(-0.01..0.01);
        defects_open = (defects_open + p.defect_trend + rng.random_range(-1..=1)).max(0);
        defects_closed += rng.random_range(2..6);
        let satisfaction = (4.4 - 1.5 * (1.0 - cpi.min(spi)).max(0.0) * 5.0).clamp(1.5, 4.8);
        out.push(Snapshot {
            period,
            pv: money(pv)?,
            ev: money(ev)?,
            ac: money(ac)?,
            capacity_hours: money(capacity)?,
            allocated_hours: money(capacity * utilisation)?,
            headcount,
            defects_open: defects_open as u32,
            defects_closed,
            stakeholder_satisfaction: Some((satisfaction * 10.0).round() / 10.0),
            notes: None,
        });
        period = period.next();
    }
    Ok(out)
}

/// A layered network (each package depends on one or two of the few before it), scaled so
/// its most-likely critical path matches the planned duration. Packages are complete, in
/// progress or not started according to the project's progress.
fn work_packages(p: &Profile, rng: &mut StdRng, progress: f64, cpi: f64) -> Result<Vec<WorkPackage>> {
    let n = p.work_packages;
    let mut preds: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut ml: Vec<f64> = Vec::with_capacity(n);
    for i in 0..n {
        let mut v = Vec::new();
        if i > 0 {
            let lo = i.saturating_sub(6);
            v.push(rng.random_range(lo..i));
            if i > 2 && rng.random_bool(0.4) {
                let other = rng.random_range(lo..i);
                if !v.contains(&other) {
                    v.push(other);
                }
            }
        }
        preds.push(v);
        ml.push(rng.random_range(5.0..25.0));
    }
    let mut finish = vec![0.0f64; n];
    for i in 0..n {
        let s = preds[i].iter().map(|&j| finish[j]).fold(0.0, f64::max);
        finish[i] = s + ml[i];
    }
    let longest = finish.iter().copied().fold(0.0, f64::max).max(1.0);
    let scale = f64::from(p.months) * 21.0 / longest;
    let weights: Vec<f64> = (0..n).map(|_| rng.random_range(0.5..1.5)).collect();
    let total_weight: f64 = weights.iter().sum();
    let mut done_value = progress * p.bac * 0.94;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let m = ml[i] * scale;
        let cost_ml = p.bac * 0.94 * weights[i] / total_weight;
        let pessimism = rng.random_range(1.3..1.9);
        let percent = if done_value >= cost_ml {
            done_value -= cost_ml;
            100.0
        } else if done_value > 0.0 {
            let part = (done_value / cost_ml * 100.0).floor();
            done_value = 0.0;
            part
        } else {
            0.0
        };
        let spent = cost_ml * percent / 100.0 / cpi;
        out.push(WorkPackage {
            id: format!("WP-{:03}", i + 1),
            name: format!("{} {}", PHASES[i % PHASES.len()], i / PHASES.len() + 1),
            predecessors: preds[i].iter().map(|j| format!("WP-{:03}", j + 1)).collect(),
            duration: three(m * 0.8, m, m * pessimism)?,
            cost: three(cost_ml * 0.85, cost_ml, cost_ml * (pessimism - 0.1))?,
            percent_complete: Percent::new(percent).map_err(Error::internal)?,
            actual_start: None,
            actual_finish: None,
            actual_cost: (percent > 0.0).then(|| money(spent)).transpose()?,
        });
    }
    Ok(out)
}

/// Scales the packages' booked actuals so they add up to the snapshot's AC, as a ledger
/// and its breakdown would (SPEC §1.5): the demo shows no reconciliation note.
fn reconcile_with(wps: &mut [WorkPackage], ac: f64) -> Result<()> {
    let booked: f64 = wps.iter().filter_map(|w| w.actual_cost.map(|a| a.get())).sum();
    if booked <= 0.0 {
        return Ok(());
    }
    let factor = ac / booked;
    for w in wps.iter_mut() {
        if let Some(a) = w.actual_cost {
            w.actual_cost = Some(money(a.get() * factor)?);
        }
    }
    Ok(())
}

const PHASES: [&str; 8] = [
    "Requirements",
    "Design",
    "Build",
    "Integration",
    "Data migration",
    "Testing",
    "Training",
    "Cut-over",
];

const RISK_TITLES: [(&str, RiskCategory); 6] = [
    ("Key supplier delivers late", RiskCategory::External),
    ("Budget cut in the next planning round", RiskCategory::Budget),
    ("Specialists leave the team", RiskCategory::Resource),
    ("Interface to the legacy system is unstable", RiskCategory::Technical),
    ("Regulatory approval takes longer", RiskCategory::Schedule),
    ("Defect backlog grows before release", RiskCategory::Quality),
];

fn risks(p: &Profile, rng: &mut StdRng, wps: &[WorkPackage]) -> Result<Vec<Risk>> {
    let open: Vec<&WorkPackage> = wps.iter().filter(|w| !w.is_complete()).collect();
    let pool = if open.is_empty() { wps.iter().collect() } else { open };
    (0..p.risks)
        .map(|i| {
            let (title, category) = RISK_TITLES[i % RISK_TITLES.len()];
            let cost = p.bac * rng.random_range(0.004..0.03);
            let delay = rng.random_range(2.0..15.0);
            let affects = (0..rng.random_range(1..=3))
                .map(|_| pool[rng.random_range(0..pool.len())].id.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let status = match rng.random_range(0..10) {
                0..=6 => RiskStatus::Open,
                7 | 8 => RiskStatus::Mitigated,
                _ => RiskStatus::Closed,
            };
            Ok(Risk {
                id: format!("R-{:02}", i + 1),
                title: format!("{title} ({})", i / RISK_TITLES.len() + 1),
                category,
                probability: Probability::new((rng.random_range(0.05..0.5f64) * 100.0).round() / 100.0)
                    .map_err(Error::internal)?,
                cost_impact: three(cost * 0.5, cost, cost * 2.0)?,
                schedule_impact: three(delay * 0.5, delay, delay * 2.0)?,
                affects,
                status,
                owner: p.manager.into(),
            })
        })
        .collect()
}

fn milestones(p: &Profile, start: NaiveDate, finish: NaiveDate, as_of: Period) -> Result<Vec<Milestone>> {
    let names = [
        "Scope agreed",
        "Design signed off",
        "Build complete",
        "Acceptance passed",
        "Go-live",
    ];
    let span = (finish - start).num_days();
    let slip_per_day = (1.0 - p.spi.1).max(-0.05);
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let offset = span * (i as i64 + 1) / names.len() as i64;
            let baseline = start + chrono::Duration::days(offset);
            let slip = (offset as f64 * slip_per_day).round() as i64;
            let forecast = baseline + chrono::Duration::days(slip);
            let due = Period::of(forecast) <= as_of;
            let status = match (due, slip > 10) {
                (true, false) => MilestoneStatus::Completed,
                (true, true) if Period::of(baseline) < as_of && baseline.day() > 0 => MilestoneStatus::Missed,
                (true, true) => MilestoneStatus::InProgress,
                (false, _) if Period::of(baseline) <= as_of.next() => MilestoneStatus::InProgress,
                (false, _) => MilestoneStatus::Planned,
            };
            Ok(Milestone {
                name: (*name).into(),
                baseline,
                forecast,
                status,
            })
        })
        .collect()
}
