//! Reading projects back: rows mapped with `sqlx::FromRow` into records, and records
//! checked into the engine's model (a row that no longer parses is a server fault).

use std::collections::HashMap;

use chrono::NaiveDate;
use engine::{
    Amount, Currency, Milestone, Percent, Period, Probability, Project, ProjectId, Risk, Snapshot, ThreePoint,
    WorkPackage,
};
use serde::de::DeserializeOwned;

use super::{corrupt, Store};
use crate::error::{Error, Result};

/// A project's row without its children: enough for lists and cache decisions.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectSummary {
    #[sqlx(try_from = "String")]
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    pub manager: String,
    pub currency: String,
    pub bac: f64,
    pub data_version: i64,
}

#[derive(sqlx::FromRow)]
struct ProjectRecord {
    id: String,
    name: String,
    code: String,
    manager: String,
    sponsor: String,
    currency: String,
    start: String,
    baseline_finish: String,
    bac: f64,
    contingency: Option<f64>,
    estimate: String,
    data_version: i64,
}

#[derive(sqlx::FromRow)]
struct WorkPackageRecord {
    id: String,
    name: String,
    predecessors: String,
    duration_o: f64,
    duration_m: f64,
    duration_p: f64,
    cost_o: f64,
    cost_m: f64,
    cost_p: f64,
    percent_complete: f64,
    actual_start: Option<String>,
    actual_finish: Option<String>,
    actual_cost: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct RiskRecord {
    id: String,
    title: String,
    category: String,
    probability: f64,
    cost_o: f64,
    cost_m: f64,
    cost_p: f64,
    delay_o: f64,
    delay_m: f64,
    delay_p: f64,
    affects: String,
    status: String,
    owner: String,
}

#[derive(sqlx::FromRow)]
struct MilestoneRecord {
    name: String,
    baseline: String,
    forecast: String,
    status: String,
}

#[derive(sqlx::FromRow)]
struct SnapshotRecord {
    period: String,
    pv: f64,
    ev: f64,
    ac: f64,
    capacity_hours: f64,
    allocated_hours: f64,
    headcount: i64,
    defects_open: i64,
    defects_closed: i64,
    stakeholder_satisfaction: Option<f64>,
    notes: Option<String>,
}

impl Store {
    /// The whole project and its data version, or `NotFound`.
    pub async fn load_project(&self, id: &ProjectId) -> Result<(Project, i64)> {
        self.timed(async {
            let row: ProjectRecord = sqlx::query_as(
                "SELECT id, name, code, manager, sponsor, currency, start, baseline_finish, bac, contingency, \
                 estimate, data_version FROM projects WHERE id = $1",
            )
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::NotFound(format!("project {id:?}")))?;
            let wps: Vec<WorkPackageRecord> = sqlx::query_as(
                "SELECT id, name, predecessors, duration_o, duration_m, duration_p, cost_o, cost_m, cost_p, \
                 percent_complete, actual_start, actual_finish, actual_cost FROM work_packages \
                 WHERE project_id = $1 ORDER BY seq",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            let risks: Vec<RiskRecord> = sqlx::query_as(
                "SELECT id, title, category, probability, cost_o, cost_m, cost_p, delay_o, delay_m, delay_p, \
                 affects, status, owner FROM risks WHERE project_id = $1 ORDER BY seq",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            let milestones: Vec<MilestoneRecord> = sqlx::query_as(
                "SELECT name, baseline, forecast, status FROM milestones WHERE project_id = $1 ORDER BY seq",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            let snapshots: Vec<SnapshotRecord> = sqlx::query_as(
                "SELECT period, pv, ev, ac, capacity_hours, allocated_hours, headcount, defects_open, \
                 defects_closed, stakeholder_satisfaction, notes FROM snapshots WHERE project_id = $1 ORDER BY period",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            let version = row.data_version;
            let project = Project {
                id: ProjectId::parse(&row.id).map_err(corrupt)?,
                name: row.name,
                code: row.code,
                manager: row.manager,
                sponsor: row.sponsor,
                currency: Currency::try_from(row.currency).map_err(corrupt)?,
                start: date(&row.start)?,
                baseline_finish: date(&row.baseline_finish)?,
                bac: amount(row.bac)?,
                contingency: row.contingency.map(amount).transpose()?,
                estimate: enum_of(&row.estimate)?,
                work_packages: wps.into_iter().map(work_package).collect::<Result<_>>()?,
                risks: risks.into_iter().map(risk).collect::<Result<_>>()?,
                milestones: milestones.into_iter().map(milestone).collect::<Result<_>>()?,
                snapshots: snapshots.into_iter().map(snapshot).collect::<Result<_>>()?,
            };
            Ok((project, version))
        })
        .await
    }

    pub async fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        self.timed(async {
            Ok(sqlx::query_as(
                "SELECT id, name, code, manager, currency, bac, data_version FROM projects ORDER BY name",
            )
            .fetch_all(&self.pool)
            .await?)
        })
        .await
    }

    pub async fn project_summary(&self, id: &ProjectId) -> Result<ProjectSummary> {
        self.timed(async {
            sqlx::query_as("SELECT id, name, code, manager, currency, bac, data_version FROM projects WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("project {id:?}")))
        })
        .await
    }

    /// Each project's latest snapshot period.
    pub async fn latest_snapshot_periods(&self) -> Result<HashMap<ProjectId, Period>> {
        self.timed(async {
            let rows: Vec<(String, String)> =
                sqlx::query_as("SELECT project_id, MAX(period) AS period FROM snapshots GROUP BY project_id")
                    .fetch_all(&self.pool)
                    .await?;
            rows.into_iter()
                .map(|(p, period)| {
                    Ok((
                        ProjectId::parse(&p).map_err(corrupt)?,
                        Period::parse(&period).map_err(corrupt)?,
                    ))
                })
                .collect()
        })
        .await
    }

    pub async fn count_projects(&self) -> Result<i64> {
        self.timed(async {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM projects")
                .fetch_one(&self.pool)
                .await?)
        })
        .await
    }
}

fn work_package(r: WorkPackageRecord) -> Result<WorkPackage> {
    Ok(WorkPackage {
        id: r.id,
        name: r.name,
        predecessors: json_of(&r.predecessors)?,
        duration: three(r.duration_o, r.duration_m, r.duration_p)?,
        cost: three(r.cost_o, r.cost_m, r.cost_p)?,
        percent_complete: Percent::new(r.percent_complete).map_err(corrupt)?,
        actual_start: r.actual_start.as_deref().map(date).transpose()?,
        actual_finish: r.actual_finish.as_deref().map(date).transpose()?,
        actual_cost: r.actual_cost.map(amount).transpose()?,
    })
}

fn risk(r: RiskRecord) -> Result<Risk> {
    Ok(Risk {
        id: r.id,
        title: r.title,
        category: enum_of(&r.category)?,
        probability: Probability::new(r.probability).map_err(corrupt)?,
        cost_impact: three(r.cost_o, r.cost_m, r.cost_p)?,
        schedule_impact: three(r.delay_o, r.delay_m, r.delay_p)?,
        affects: json_of(&r.affects)?,
        status: enum_of(&r.status)?,
        owner: r.owner,
    })
}

fn milestone(r: MilestoneRecord) -> Result<Milestone> {
    Ok(Milestone {
        name: r.name,
        baseline: date(&r.baseline)?,
        forecast: date(&r.forecast)?,
        status: enum_of(&r.status)?,
    })
}

fn snapshot(r: SnapshotRecord) -> Result<Snapshot> {
    let count = |v: i64| u32::try_from(v).map_err(corrupt);
    Ok(Snapshot {
        period: Period::parse(&r.period).map_err(corrupt)?,
        pv: amount(r.pv)?,
        ev: amount(r.ev)?,
        ac: amount(r.ac)?,
        capacity_hours: amount(r.capacity_hours)?,
        allocated_hours: amount(r.allocated_hours)?,
        headcount: count(r.headcount)?,
        defects_open: count(r.defects_open)?,
        defects_closed: count(r.defects_closed)?,
        stakeholder_satisfaction: r.stakeholder_satisfaction,
        notes: r.notes,
    })
}

fn three(o: f64, m: f64, p: f64) -> Result<ThreePoint> {
    ThreePoint::new(o, m, p).map_err(corrupt)
}

fn amount(v: f64) -> Result<Amount> {
    Amount::new(v).map_err(corrupt)
}

fn date(s: &str) -> Result<NaiveDate> {
    s.parse().map_err(corrupt)
}

fn json_of<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(corrupt)
}

/// A snake_case enum stored as its name without quotes.
fn enum_of<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(corrupt)
}
