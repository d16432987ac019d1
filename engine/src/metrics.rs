//! Earned value, earned schedule, utilisation, risk exposure and RAG status (SPEC §1.3).
//!
//! Every ratio is an `Option`: a division by zero is "not available", never an infinity or
//! a NaN that could reach the screen.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::working_days_between;
use crate::error::EngineError;
use crate::model::{MilestoneStatus, Period, Project, RiskStatus, Snapshot};

/// Red/amber/green. `NotAvailable` when the data for a dimension is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
    NotAvailable,
}

impl Rag {
    /// Severity for "worst of": not-available never outranks a real status.
    fn severity(self) -> u8 {
        match self {
            Rag::NotAvailable => 0,
            Rag::Green => 1,
            Rag::Amber => 2,
            Rag::Red => 3,
        }
    }
    pub fn worst(items: impl IntoIterator<Item = Rag>) -> Rag {
        items
            .into_iter()
            .max_by_key(|r| r.severity())
            .unwrap_or(Rag::NotAvailable)
    }
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
            Rag::NotAvailable => "n/a",
        }
    }
}

/// RAG thresholds (configuration; defaults from SPEC §1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RagThresholds {
    pub cpi_green: f64,
    pub cpi_amber: f64,
    pub spi_green: f64,
    pub spi_amber: f64,
    /// Schedule is red when the forecast finish is more than this many working days late.
    pub slip_red_days: i64,
    pub utilisation_red: f64,
    pub utilisation_amber: f64,
    pub p_on_time_red: f64,
    pub p_on_time_amber: f64,
}

impl Default for RagThresholds {
    fn default() -> Self {
        Self {
            cpi_green: 0.95,
            cpi_amber: 0.90,
            spi_green: 0.95,
            spi_amber: 0.90,
            slip_red_days: 10,
            utilisation_red: 1.10,
            utilisation_amber: 0.95,
            p_on_time_red: 0.50,
            p_on_time_amber: 0.85,
        }
    }
}

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
    pub tcpi: Option<f64>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RagSet {
    pub cost: Rag,
    pub schedule: Rag,
    pub resource: Rag,
    pub forecast: Rag,
    pub overall: Rag,
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
    Ok(Metrics {
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
    })
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
        tcpi: ratio(bac - ev, bac - ac),
        percent_complete: ratio(ev, bac),
        percent_spent: ratio(ac, bac),
    }
}

/// Earned schedule over the cumulative PV curve: (start, 0), each month end's PV, then the
/// baseline finish at BAC. ES is where that curve first reaches today's EV, interpolated
/// linearly inside the segment (i.e. within the month).
pub fn earned_schedule(project: &Project, period: Period, history: &[&Snapshot], ev: f64) -> EarnedSchedule {
    let start = project.start;
    let days = |d: NaiveDate| (d - start).num_days() as f64;
    let at_date = period.last_day();
    let at_days = days(at_date).max(0.0);
    let mut curve: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    curve.extend(history.iter().map(|s| (days(s.period.last_day()), s.pv.get())));
    let planned = days(project.baseline_finish);
    if curve.last().is_some_and(|&(t, _)| t < planned) {
        curve.push((planned, project.bac.get()));
    }
    let es_days = if history.is_empty() {
        None
    } else {
        Some(reach_time(&curve, ev))
    };
    let spi_t = es_days.and_then(|es| ratio(es, at_days));
    let es_date = es_days.map(|es| start + chrono::Duration::days(es.floor() as i64));
    let forecast_finish = spi_t
        .filter(|&s| s > 0.0)
        .and_then(|s| ratio(planned, s))
        .filter(|d| *d < 36_500.0)
        .map(|d| start + chrono::Duration::days(d.round() as i64));
    EarnedSchedule {
        es_days,
        at_days,
        spi_t,
        es_date,
        sv_days: es_date.map(|d| working_days_between(at_date, d)),
        forecast_finish,
        baseline_finish: project.baseline_finish,
        slip_days: forecast_finish.map(|f| working_days_between(project.baseline_finish, f)),
    }
}

/// The first time at which a piecewise-linear, cumulative curve reaches `value`; the last
/// point's time when it never does.
fn reach_time(curve: &[(f64, f64)], value: f64) -> f64 {
    if value <= 0.0 {
        return 0.0;
    }
    for pair in curve.windows(2) {
        let ((t0, v0), (t1, v1)) = (pair[0], pair[1]);
        if v1 >= value && v0 < value {
            let frac = ratio(value - v0, v1 - v0).unwrap_or(1.0);
            return t0 + frac * (t1 - t0);
        }
    }
    curve.last().map_or(0.0, |&(t, _)| t)
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

/// RAG per dimension and overall. `p_on_time` is the Monte Carlo P(finish ≤ baseline)
/// when a forecast exists.
pub fn assess(
    evm: &Evm,
    schedule: &EarnedSchedule,
    resources: &Resources,
    p_on_time: Option<f64>,
    t: &RagThresholds,
) -> RagSet {
    let band = |v: Option<f64>, green: f64, amber: f64| match v {
        None => Rag::NotAvailable,
        Some(x) if x >= green => Rag::Green,
        Some(x) if x >= amber => Rag::Amber,
        Some(_) => Rag::Red,
    };
    let cost = band(evm.cpi, t.cpi_green, t.cpi_amber);
    let mut schedule_rag = band(schedule.spi_t, t.spi_green, t.spi_amber);
    if schedule.slip_days.is_some_and(|d| d > t.slip_red_days) {
        schedule_rag = Rag::Red;
    }
    let resource = match resources.utilisation {
        None => Rag::NotAvailable,
        Some(u) if u > t.utilisation_red => Rag::Red,
        Some(u) if u > t.utilisation_amber => Rag::Amber,
        Some(_) => Rag::Green,
    };
    let forecast = match p_on_time {
        None => Rag::NotAvailable,
        Some(p) if p < t.p_on_time_red => Rag::Red,
        Some(p) if p < t.p_on_time_amber => Rag::Amber,
        Some(_) => Rag::Green,
    };
    RagSet {
        cost,
        schedule: schedule_rag,
        resource,
        forecast,
        overall: Rag::worst([cost, schedule_rag, resource, forecast]),
    }
}

impl Metrics {
    /// The same metrics with the forecast dimension filled in from a Monte Carlo result.
    pub fn with_forecast(mut self, p_on_time: f64, t: &RagThresholds) -> Self {
        self.rag = assess(&self.evm, &self.schedule, &self.resources, Some(p_on_time), t);
        self
    }
}
