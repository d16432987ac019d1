//! Projects: import (replace as a whole, in one transaction), load, list.

use chrono::NaiveDate;
use engine::{
    Amount, Currency, Distribution, Milestone, MilestoneStatus, Percent, Period, Probability, Project, ProjectId, Risk,
    RiskCategory, RiskStatus, Snapshot, ThreePoint, WorkPackage,
};
use serde::{de::DeserializeOwned, Serialize};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite};

use super::{now_text, Store};
use crate::error::{Error, Result};

/// A project's row without its children: enough for lists and cache decisions.
#[derive(Debug, Clone)]
pub struct ProjectSummary {
    pub id: String,
    pub name: String,
    pub code: String,
    pub manager: String,
    pub currency: String,
    pub bac: f64,
    pub data_version: i64,
}

impl Store {
    /// Inserts or replaces a project and all its children; returns the new data version.
    pub async fn save_project(&self, p: &Project) -> Result<i64> {
        self.timed(async {
            let mut tx = self.write_tx().await?;
            let id = p.id.as_str();
            let now = now_text();
            let version: Option<i64> = sqlx::query_scalar("SELECT data_version FROM projects WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let version = version.map_or(1, |v| v + 1);
            sqlx::query(
                "INSERT INTO projects (id, name, code, manager, sponsor, currency, start, baseline_finish, bac, \
                 contingency, estimate, data_version, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, code = excluded.code, \
                 manager = excluded.manager, sponsor = excluded.sponsor, currency = excluded.currency, \
                 start = excluded.start, baseline_finish = excluded.baseline_finish, bac = excluded.bac, \
                 contingency = excluded.contingency, estimate = excluded.estimate, \
                 data_version = excluded.data_version, updated_at = excluded.updated_at",
            )
            .bind(id)
            .bind(&p.name)
            .bind(&p.code)
            .bind(&p.manager)
            .bind(&p.sponsor)
            .bind(p.currency.as_str())
            .bind(p.start.to_string())
            .bind(p.baseline_finish.to_string())
            .bind(p.bac.get())
            .bind(p.contingency.map(Amount::get))
            .bind(enum_text(&p.estimate))
            .bind(version)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            for table in ["work_packages", "risks", "milestones", "snapshots"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE project_id = ?"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            for (seq, wp) in p.work_packages.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO work_packages (project_id, seq, id, name, predecessors, duration_o, duration_m, \
                     duration_p, cost_o, cost_m, cost_p, percent_complete, actual_start, actual_finish, actual_cost) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(seq as i64)
                .bind(&wp.id)
                .bind(&wp.name)
                .bind(json_text(&wp.predecessors))
                .bind_three(&wp.duration)
                .bind_three(&wp.cost)
                .bind(wp.percent_complete.get())
                .bind(wp.actual_start.map(|d| d.to_string()))
                .bind(wp.actual_finish.map(|d| d.to_string()))
                .bind(wp.actual_cost.map(Amount::get))
                .execute(&mut *tx)
                .await?;
            }
            for (seq, r) in p.risks.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO risks (project_id, seq, id, title, category, probability, cost_o, cost_m, cost_p, \
                     delay_o, delay_m, delay_p, affects, status, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(seq as i64)
                .bind(&r.id)
                .bind(&r.title)
                .bind(enum_text(&r.category))
                .bind(r.probability.get())
                .bind_three(&r.cost_impact)
                .bind_three(&r.schedule_impact)
                .bind(json_text(&r.affects))
                .bind(enum_text(&r.status))
                .bind(&r.owner)
                .execute(&mut *tx)
                .await?;
            }
            for (seq, m) in p.milestones.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO milestones (project_id, seq, name, baseline, forecast, status) VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(seq as i64)
                .bind(&m.name)
                .bind(m.baseline.to_string())
                .bind(m.forecast.to_string())
                .bind(enum_text(&m.status))
                .execute(&mut *tx)
                .await?;
            }
            for s in &p.snapshots {
                sqlx::query(
                    "INSERT INTO snapshots (project_id, period, pv, ev, ac, capacity_hours, allocated_hours, headcount, \
                     defects_open, defects_closed, stakeholder_satisfaction, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(id)
                .bind(s.period.to_string())
                .bind(s.pv.get())
                .bind(s.ev.get())
                .bind(s.ac.get())
                .bind(s.capacity_hours.get())
                .bind(s.allocated_hours.get())
                .bind(i64::from(s.headcount))
                .bind(i64::from(s.defects_open))
                .bind(i64::from(s.defects_closed))
                .bind(s.stakeholder_satisfaction)
                .bind(&s.notes)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(version)
        })
        .await
    }

    /// The whole project, or `NotFound`.
    pub async fn load_project(&self, id: &str) -> Result<(Project, i64)> {
        self.timed(async {
            let row = sqlx::query("SELECT * FROM projects WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| Error::NotFound(format!("project {id:?}")))?;
            let wps = sqlx::query("SELECT * FROM work_packages WHERE project_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
            let risks = sqlx::query("SELECT * FROM risks WHERE project_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
            let milestones = sqlx::query("SELECT * FROM milestones WHERE project_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
            let snapshots = sqlx::query("SELECT * FROM snapshots WHERE project_id = ? ORDER BY period")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
            let project = Project {
                id: ProjectId::parse(row.try_get("id")?).map_err(corrupt)?,
                name: row.try_get("name")?,
                code: row.try_get("code")?,
                manager: row.try_get("manager")?,
                sponsor: row.try_get("sponsor")?,
                currency: Currency::try_from(row.try_get::<String, _>("currency")?).map_err(corrupt)?,
                start: date(&row, "start")?,
                baseline_finish: date(&row, "baseline_finish")?,
                bac: amount(row.try_get("bac")?)?,
                contingency: row.try_get::<Option<f64>, _>("contingency")?.map(amount).transpose()?,
                estimate: from_text::<Distribution>(&row, "estimate")?,
                work_packages: wps.iter().map(work_package).collect::<Result<_>>()?,
                risks: risks.iter().map(risk).collect::<Result<_>>()?,
                milestones: milestones.iter().map(milestone).collect::<Result<_>>()?,
                snapshots: snapshots.iter().map(snapshot).collect::<Result<_>>()?,
            };
            Ok((project, row.try_get("data_version")?))
        })
        .await
    }

    pub async fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        self.timed(async {
            let rows =
                sqlx::query("SELECT id, name, code, manager, currency, bac, data_version FROM projects ORDER BY name")
                    .fetch_all(&self.pool)
                    .await?;
            rows.iter()
                .map(|r| {
                    Ok(ProjectSummary {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        code: r.try_get("code")?,
                        manager: r.try_get("manager")?,
                        currency: r.try_get("currency")?,
                        bac: r.try_get("bac")?,
                        data_version: r.try_get("data_version")?,
                    })
                })
                .collect()
        })
        .await
    }

    pub async fn project_summary(&self, id: &str) -> Result<ProjectSummary> {
        self.timed(async {
            let r =
                sqlx::query("SELECT id, name, code, manager, currency, bac, data_version FROM projects WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| Error::NotFound(format!("project {id:?}")))?;
            Ok(ProjectSummary {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                code: r.try_get("code")?,
                manager: r.try_get("manager")?,
                currency: r.try_get("currency")?,
                bac: r.try_get("bac")?,
                data_version: r.try_get("data_version")?,
            })
        })
        .await
    }

    /// Each project's latest snapshot period.
    pub async fn latest_snapshot_periods(&self) -> Result<std::collections::HashMap<String, Period>> {
        self.timed(async {
            let rows = sqlx::query("SELECT project_id, MAX(period) AS period FROM snapshots GROUP BY project_id")
                .fetch_all(&self.pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("project_id")?,
                        Period::parse(r.try_get("period")?).map_err(corrupt)?,
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

/// Binds a three-point estimate as its three columns, optimistic first.
trait BindThree {
    fn bind_three(self, t: &ThreePoint) -> Self;
}

impl<'q> BindThree for Query<'q, Sqlite, SqliteArguments<'q>> {
    fn bind_three(self, t: &ThreePoint) -> Self {
        self.bind(t.optimistic()).bind(t.most_likely()).bind(t.pessimistic())
    }
}

fn work_package(r: &SqliteRow) -> Result<WorkPackage> {
    Ok(WorkPackage {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        predecessors: json_col(r, "predecessors")?,
        duration: three(r, "duration_o", "duration_m", "duration_p")?,
        cost: three(r, "cost_o", "cost_m", "cost_p")?,
        percent_complete: Percent::new(r.try_get("percent_complete")?).map_err(corrupt)?,
        actual_start: opt_date(r, "actual_start")?,
        actual_finish: opt_date(r, "actual_finish")?,
        actual_cost: r.try_get::<Option<f64>, _>("actual_cost")?.map(amount).transpose()?,
    })
}

fn risk(r: &SqliteRow) -> Result<Risk> {
    Ok(Risk {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        category: from_text::<RiskCategory>(r, "category")?,
        probability: Probability::new(r.try_get("probability")?).map_err(corrupt)?,
        cost_impact: three(r, "cost_o", "cost_m", "cost_p")?,
        schedule_impact: three(r, "delay_o", "delay_m", "delay_p")?,
        affects: json_col(r, "affects")?,
        status: from_text::<RiskStatus>(r, "status")?,
        owner: r.try_get("owner")?,
    })
}

fn milestone(r: &SqliteRow) -> Result<Milestone> {
    Ok(Milestone {
        name: r.try_get("name")?,
        baseline: date(r, "baseline")?,
        forecast: date(r, "forecast")?,
        status: from_text::<MilestoneStatus>(r, "status")?,
    })
}

fn snapshot(r: &SqliteRow) -> Result<Snapshot> {
    let count = |c: &str| -> Result<u32> { u32::try_from(r.try_get::<i64, _>(c)?).map_err(corrupt) };
    Ok(Snapshot {
        period: Period::parse(r.try_get("period")?).map_err(corrupt)?,
        pv: amount(r.try_get("pv")?)?,
        ev: amount(r.try_get("ev")?)?,
        ac: amount(r.try_get("ac")?)?,
        capacity_hours: amount(r.try_get("capacity_hours")?)?,
        allocated_hours: amount(r.try_get("allocated_hours")?)?,
        headcount: count("headcount")?,
        defects_open: count("defects_open")?,
        defects_closed: count("defects_closed")?,
        stakeholder_satisfaction: r.try_get("stakeholder_satisfaction")?,
        notes: r.try_get("notes")?,
    })
}

fn three(r: &SqliteRow, o: &str, m: &str, p: &str) -> Result<ThreePoint> {
    ThreePoint::new(r.try_get(o)?, r.try_get(m)?, r.try_get(p)?).map_err(corrupt)
}

fn amount(v: f64) -> Result<Amount> {
    Amount::new(v).map_err(corrupt)
}

fn date(r: &SqliteRow, col: &str) -> Result<NaiveDate> {
    r.try_get::<String, _>(col)?.parse().map_err(corrupt)
}

fn opt_date(r: &SqliteRow, col: &str) -> Result<Option<NaiveDate>> {
    r.try_get::<Option<String>, _>(col)?
        .map(|s| s.parse().map_err(corrupt))
        .transpose()
}

fn json_col<T: DeserializeOwned>(r: &SqliteRow, col: &str) -> Result<T> {
    serde_json::from_str(&r.try_get::<String, _>(col)?).map_err(corrupt)
}

/// Stores a snake_case enum as its JSON string without quotes.
pub(super) fn enum_text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(super) fn from_text<T: DeserializeOwned>(r: &SqliteRow, col: &str) -> Result<T> {
    let s: String = r.try_get(col)?;
    serde_json::from_value(serde_json::Value::String(s)).map_err(corrupt)
}

fn json_text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// A row the store wrote but cannot read back: a server fault, never the client's.
pub(super) fn corrupt(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("stored data is unreadable: {e}"))
}
