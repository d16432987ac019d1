//! Earned value, earned schedule, utilisation, risk exposure and RAG status (SPEC §1.3).
//!
//! Every ratio is an `Option`: a division by zero is "not available", never an infinity or
//! a NaN that could reach the screen. As a last line, [`compute`] refuses metrics with any
//! non-finite figure ([`EngineError::NonFinite`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::working_days_between;
use crate::error::EngineError;
use crate::finite::ensure_finite;

mod rag;
mod schedule;

use crate::model::{MilestoneStatus, Period, Project, RiskStatus, Snapshot};
pub use rag::{assess, Rag, RagSet, RagThresholds};
pub use schedule::earned_schedule;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evm {
    pub bac: f64,
    pub pv: f64,
    pub ev: f64,
    pub ac: f64,
    pub cv: f64,
    pub sv: f64,
    pub cpi: Option<f64>,
    pub spi: Option<f64>,
    pub eac: Option<f64>,
    pub etc: Option<f64>,
    pub vac: Option<f64>,
    /// To-complete performance index against BAC, `(BAC − EV) / (BAC − AC)`; not
    /// available once AC ≥ BAC (the budget is spent; see `tcpi_eac`).
    pub tcpi: Option<f64>,
    /// To-complete performance index against EAC, `(BAC − EV) / (EAC − AC)`; not available
    /// when EAC is not, or `EAC − AC ≤ 0`. Shown in place of `tcpi` once the budget is spent.
    pub tcpi_eac: Option<f64>,
    pub percent_complete: Option<f64>,
    pub percent_spent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarnedSchedule {
    /// Calendar days from the start at which PV first reached today's EV.
    pub es_days: Option<f64>,
    /// Calendar days from the start to the end of the period.
    pub at_days: f64,
    pub spi_t: Option<f64>,
    pub es_date: Option<NaiveDate>,
    /// Working days ahead (+) or behind (−) plan.
    pub sv_days: Option<i64>,
    /// Finish forecast by earned schedule: planned duration ÷ SPI(t).
    pub forecast_finish: Option<NaiveDate>,
    pub baseline_finish: NaiveDate,
    /// Working days from baseline to forecast finish (+ is late).
    pub slip_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub capacity_hours: f64,
    pub allocated_hours: f64,
    pub utilisation: Option<f64>,
    pub headcount: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    pub defects_open: u32,
    pub defects_closed: u32,
    pub stakeholder_satisfaction: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskSummary {
    /// Σ open risks' probability × most-likely cost impact.
    pub exposure: f64,
    pub open_risks: u32,
    pub contingency: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneRow {
    pub name: String,
    pub baseline: NaiveDate,
    pub forecast: NaiveDate,
    pub status: MilestoneStatus,
    /// Working days of forecast slip against baseline (+ is late).
    pub slip_days: i64,
}

/// All metrics of one project for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub project_id: String,
    pub period: Period,
    pub currency: String,
    /// The period of the snapshot the figures come from (the latest at or before `period`).
    pub snapshot_period: Option<Period>,
    pub months_of_data: u32,
    pub evm: Evm,
    pub schedule: EarnedSchedule,
    pub resources: Resources,
    pub quality: Quality,
    pub risk: RiskSummary,
    pub milestones: Vec<MilestoneRow>,
    pub rag: RagSet,
}

/// `a / b`, or `None` when the result would not be a finite number.
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    if b == 0.0 {
        return None;
    }
    let r = a / b;
    r.is_finite().then_some(r)
}

/// Refuses periods before the project start or after next month (SPEC §1.2).
pub fn check_period(project: &Project, period: Period, today: NaiveDate) -> Result<(), EngineError> {
    let start = project.start_period();
    if period < start {
        return Err(EngineError::PeriodBeforeStart {
            period: period.to_string(),
            start: start.to_string(),
        });
    }
    let latest = Period::of(today).next();
    if period > latest {
        return Err(EngineError::PeriodTooLate {
            period: period.to_string(),
            latest: latest.to_string(),
        });
    }
    Ok(())
}

/// Metrics for `period`, from the latest snapshot at or before it.
pub fn compute(project: &Project, period: Period, t: &RagThresholds) -> Result<Metrics, EngineError> {
    if period < project.start_period() {
        return Err(EngineError::PeriodBeforeStart {
            period: period.to_string(),
            start: project.start_period().to_string(),
        });
    }
    let history = project.history(period);
    let snap = history.last().copied();
    let evm = evm(project.bac.get(), snap);
    let schedule = earned_schedule(project, period, &history, evm.ev);
    let resources = resources(snap);
    let rag = assess(&evm, &schedule, &resources, None, t);
    let metrics = Metrics {
        project_id: project.id.to_string(),
        period,
        currency: project.currency.as_str().to_owned(),
        snapshot_period: snap.map(|s| s.period),
        months_of_data: history.len() as u32,
        evm,
        schedule,
        resources,
        quality: Quality {
            defects_open: snap.map_or(0, |s| s.defects_open),
            defects_closed: snap.map_or(0, |s| s.defects_closed),
            stakeholder_satisfaction: snap.and_then(|s| s.stakeholder_satisfaction),
        },
        risk: risk_summary(project),
        milestones: milestones(project),
        rag,
    };
    ensure_finite(&metrics).map_err(|e| EngineError::NonFinite(e.within("metrics")))?;
    Ok(metrics)
}

/// Metrics for every snapshot period up to `period`, oldest first: the series the trend
/// rules and the S-curve read.
pub fn history(project: &Project, period: Period, t: &RagThresholds) -> Vec<Metrics> {
    project
        .history(period)
        .iter()
        .filter_map(|s| compute(project, s.period, t).ok())
        .collect()
}

pub fn evm(bac: f64, snap: Option<&Snapshot>) -> Evm {
    let (pv, ev, ac) = snap.map_or((0.0, 0.0, 0.0), |s| (s.pv.get(), s.ev.get(), s.ac.get()));
    let cpi = ratio(ev, ac);
    let eac = cpi.and_then(|c| ratio(bac, c));
    Evm {
        bac,
        pv,
        ev,
        ac,
        cv: ev - ac,
        sv: ev - pv,
        cpi,
        spi: ratio(ev, pv),
        eac,
        etc: eac.map(|e| e - ac),
        vac: eac.map(|e| bac - e),
        tcpi: if ac < bac { ratio(bac - ev, bac - ac) } else { None },
        tcpi_eac: eac.filter(|&e| e - ac > 0.0).and_then(|e| ratio(bac - ev, e - ac)),
        percent_complete: ratio(ev, bac),
        percent_spent: ratio(ac, bac),
    }
}

fn resources(snap: Option<&Snapshot>) -> Resources {
    let (cap, alloc, head) = snap.map_or((0.0, 0.0, 0), |s| {
        (s.capacity_hours.get(), s.allocated_hours.get(), s.headcount)
    });
    Resources {
        capacity_hours: cap,
        allocated_hours: alloc,
        utilisation: ratio(alloc, cap),
        headcount: head,
    }
}

fn risk_summary(project: &Project) -> RiskSummary {
    let open = project.risks.iter().filter(|r| r.status == RiskStatus::Open);
    let (exposure, count) = open.fold((0.0, 0u32), |(e, n), r| {
        (e + r.probability.get() * r.cost_impact.most_likely(), n + 1)
    });
    RiskSummary {
        exposure,
        open_risks: count,
        contingency: project.contingency.map(|c| c.get()),
    }
}

fn milestones(project: &Project) -> Vec<MilestoneRow> {
    let mut rows: Vec<MilestoneRow> = project
        .milestones
        .iter()
        .map(|m| MilestoneRow {
            name: m.name.clone(),
            baseline: m.baseline,
            forecast: m.forecast,
            status: m.status,
            slip_days: working_days_between(m.baseline, m.forecast),
        })
        .collect();
    rows.sort_by_key(|m| m.baseline);
    rows
}
