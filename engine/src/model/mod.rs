//! The project input model of SPEC §1.1: a project with its work-package network, risks,
//! milestones and monthly snapshots.
//!
//! What a value must be to mean anything (finite, ≥ 0, ordered, a real month) lives in the
//! newtypes (`newtypes.rs`) and runs while deserialising, so the error carries the JSON
//! path. The bounds of SPEC §1.1 ([`crate::limits`]) and the rules that span items (unique
//! ids, known predecessors, no cycles) run in [`Project::validate`], which reports every
//! broken rule at once. A [`Project`] obtained from [`Project::from_json`] has passed both.

mod newtypes;
#[cfg(feature = "openapi")]
mod schema;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use newtypes::{Amount, Currency, Percent, Period, Probability, ProjectId, ThreePoint};

use crate::error::{FieldError, ValidationErrors};

/// How three-point estimates are sampled.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    Triangular,
    #[default]
    Pert,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskCategory {
    Budget,
    Schedule,
    Resource,
    Technical,
    External,
    Quality,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskStatus {
    Open,
    Mitigated,
    Closed,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    Planned,
    InProgress,
    Completed,
    Missed,
}

impl MilestoneStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Missed => "missed",
        }
    }
}

/// A node of the schedule network.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkPackage {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub predecessors: Vec<String>,
    /// Working days.
    pub duration: ThreePoint,
    pub cost: ThreePoint,
    #[serde(default)]
    pub percent_complete: Percent,
    #[serde(default)]
    pub actual_start: Option<NaiveDate>,
    #[serde(default)]
    pub actual_finish: Option<NaiveDate>,
    /// Cost booked so far; when complete this is the fixed final cost.
    #[serde(default)]
    pub actual_cost: Option<Amount>,
}

impl WorkPackage {
    pub fn is_complete(&self) -> bool {
        self.actual_finish.is_some() || self.percent_complete.get() >= 100.0
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub id: String,
    pub title: String,
    pub category: RiskCategory,
    pub probability: Probability,
    pub cost_impact: ThreePoint,
    /// Working days of delay when the risk occurs: one event, counted at most once along
    /// any path through the work packages it affects (the project finish when it affects
    /// none). Its cost impact is counted once.
    pub schedule_impact: ThreePoint,
    #[serde(default)]
    pub affects: Vec<String>,
    pub status: RiskStatus,
    #[serde(default)]
    pub owner: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub name: String,
    pub baseline: NaiveDate,
    pub forecast: NaiveDate,
    pub status: MilestoneStatus,
}

/// Cumulative figures to the end of `period`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub period: Period,
    pub pv: Amount,
    pub ev: Amount,
    pub ac: Amount,
    pub capacity_hours: Amount,
    pub allocated_hours: Amount,
    #[serde(default)]
    pub headcount: u32,
    #[serde(default)]
    pub defects_open: u32,
    #[serde(default)]
    pub defects_closed: u32,
    #[serde(default)]
    pub stakeholder_satisfaction: Option<f64>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// A project with its network, risks, milestones and monthly snapshots.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub code: String,
    #[serde(default)]
    pub manager: String,
    #[serde(default)]
    pub sponsor: String,
    pub currency: Currency,
    pub start: NaiveDate,
    pub baseline_finish: NaiveDate,
    pub bac: Amount,
    /// Budget held for risks; insights compare risk exposure with what remains of it.
    #[serde(default)]
    pub contingency: Option<Amount>,
    #[serde(default)]
    pub estimate: Distribution,
    pub work_packages: Vec<WorkPackage>,
    #[serde(default)]
    pub risks: Vec<Risk>,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
}

impl Project {
    /// Parses and validates an import document. Structural errors carry the JSON path;
    /// all cross-item rules are checked and reported together.
    pub fn from_json(bytes: &[u8]) -> Result<Project, ValidationErrors> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let mut project: Project = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            ValidationErrors(vec![FieldError::from_serde(
                &e.path().to_string(),
                &e.inner().to_string(),
                "$",
            )])
        })?;
        // One document and nothing after it: `{…}garbage` is refused, not half-read.
        de.end()
            .map_err(|_| ValidationErrors::single("$", "must hold one JSON document and nothing after it"))?;
        project.validate()?;
        project.snapshots.sort_by_key(|s| s.period);
        Ok(project)
    }

    /// Checks the bounds of SPEC §1.1 and the rules that span items (unique ids, known
    /// references, no cycles, …), collecting every broken rule.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        crate::validate::project(self)
    }

    /// The snapshot of `period`, if one was recorded.
    pub fn snapshot(&self, period: Period) -> Option<&Snapshot> {
        self.snapshots.iter().find(|s| s.period == period)
    }

    /// Snapshots up to and including `period`, oldest first.
    pub fn history(&self, period: Period) -> Vec<&Snapshot> {
        let mut v: Vec<&Snapshot> = self.snapshots.iter().filter(|s| s.period <= period).collect();
        v.sort_by_key(|s| s.period);
        v
    }

    pub fn start_period(&self) -> Period {
        Period::of(self.start)
    }
}
