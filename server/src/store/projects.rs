//! Projects: import (replace as a whole, in one transaction, with an event for every
//! report whose computed sections it changes). Reading them back is `project_rows.rs`.

use app::domain::SectionId;
use engine::{Amount, Project, ThreePoint};
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

use super::events::append;
use super::{now_text, Store};
use crate::error::Result;
use crate::events::{ReportEvent, StoredEvent};

impl Store {
    /// Inserts or replaces a project and all its children; returns the new data version
    /// and the events of the reports whose computed sections now change (every report of the
    /// project that is not frozen), written in the same transaction.
    pub async fn save_project(&self, p: &Project, actor: &str) -> Result<(i64, Vec<StoredEvent>)> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            let id = p.id.as_str();
            let now = now_text();
            let version: Option<i64> = sqlx::query_scalar("SELECT data_version FROM projects WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let version = version.map_or(1, |v| v + 1);
            sqlx::query(
                "INSERT INTO projects (id, name, code, manager, sponsor, currency, start, baseline_finish, bac, \
                 contingency, estimate, data_version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
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
                sqlx::query(&format!("DELETE FROM {table} WHERE project_id = $1"))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            for (seq, wp) in p.work_packages.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO work_packages (project_id, seq, id, name, predecessors, duration_o, duration_m, \
                     duration_p, cost_o, cost_m, cost_p, percent_complete, actual_start, actual_finish, actual_cost) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
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
                     delay_o, delay_m, delay_p, affects, status, owner) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
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
                    "INSERT INTO milestones (project_id, seq, name, baseline, forecast, status) VALUES ($1, $2, $3, $4, $5, $6)",
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
                     defects_open, defects_closed, stakeholder_satisfaction, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
            let events = if version > 1 {
                changed_reports(&mut tx, p, actor).await?
            } else {
                Vec::new()
            };
            tx.commit().await?;
            Ok((version, events))
        })
        .await
    }
}

/// Binds a three-point estimate as its three columns, optimistic first.
trait BindThree {
    fn bind_three(self, t: &ThreePoint) -> Self;
}

impl<'q> BindThree for Query<'q, Any, AnyArguments<'q>> {
    fn bind_three(self, t: &ThreePoint) -> Self {
        self.bind(t.optimistic()).bind(t.most_likely()).bind(t.pessimistic())
    }
}

/// Stores a snake_case enum as its JSON string without quotes.
pub(super) fn enum_text<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn json_text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Every non-frozen report of the project gets a `report_changed` event naming its
/// computed sections: new data changes them.
async fn changed_reports(
    tx: &mut sqlx::Transaction<'static, Any>,
    p: &Project,
    actor: &str,
) -> Result<Vec<StoredEvent>> {
    let reports: Vec<String> =
        sqlx::query_scalar("SELECT id FROM reports WHERE project_id = $1 AND status IN ('draft', 'review')")
            .bind(p.id.as_str())
            .fetch_all(&mut **tx)
            .await?;
    let mut events = Vec::with_capacity(reports.len());
    for id in reports {
        let report = app::domain::ReportId::parse(&id).map_err(super::corrupt)?;
        let sections: Vec<String> =
            sqlx::query_scalar("SELECT id FROM report_sections WHERE report_id = $1 AND kind != 'custom' ORDER BY seq")
                .bind(report.as_str())
                .fetch_all(&mut **tx)
                .await?;
        let sections = sections
            .iter()
            .map(|s| SectionId::parse(s).map_err(super::corrupt))
            .collect::<Result<Vec<_>>>()?;
        let event = ReportEvent::ReportChanged {
            status: None,
            sections: Some(sections),
        };
        events.push(append(tx, &report, actor, event).await?);
    }
    Ok(events)
}
