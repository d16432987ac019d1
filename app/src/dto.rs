//! Small types both sides of the wire share: section kinds and priorities, roles, what the
//! lazy-section server function returns, and comments (rendered on the server and kept live
//! by the comment island).

use serde::{Deserialize, Serialize};
use std::fmt;

/// How soon a section loads (SPEC §4).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// In the first HTML.
    High,
    /// Loads when within 200 px of the viewport.
    Medium,
    /// Loads once in the viewport.
    Low,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "high" => Some(Self::High),
            "medium" => Some(Self::Medium),
            "low" => Some(Self::Low),
            _ => None,
        }
    }
}

/// The six section kinds of SPEC §1.2.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    ExecutiveSummary,
    Metrics,
    AiInsights,
    MonteCarlo,
    Charts,
    Custom,
}

impl SectionKind {
    pub const ALL: [SectionKind; 6] = [
        Self::ExecutiveSummary,
        Self::Metrics,
        Self::AiInsights,
        Self::MonteCarlo,
        Self::Charts,
        Self::Custom,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExecutiveSummary => "executive_summary",
            Self::Metrics => "metrics",
            Self::AiInsights => "ai_insights",
            Self::MonteCarlo => "monte_carlo",
            Self::Charts => "charts",
            Self::Custom => "custom",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn default_priority(self) -> Priority {
        match self {
            Self::ExecutiveSummary | Self::Metrics => Priority::High,
            Self::AiInsights | Self::MonteCarlo => Priority::Medium,
            Self::Charts | Self::Custom => Priority::Low,
        }
    }
    pub fn default_title(self) -> &'static str {
        match self {
            Self::ExecutiveSummary => "Executive summary",
            Self::Metrics => "Earned value and status",
            Self::AiInsights => "Insights",
            Self::MonteCarlo => "Monte Carlo forecast",
            Self::Charts => "Charts",
            Self::Custom => "Notes",
        }
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may do what (SPEC intro). Ordered: each role can do what the ones before it can.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "viewer" => Some(Self::Viewer),
            "editor" => Some(Self::Editor),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A lazily loaded section, rendered on the server: the island only swaps it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionHtml {
    pub section_id: crate::domain::SectionId,
    pub version: u32,
    pub html: String,
}

/// A comment on a section; a reply has a parent. Resolving closes the thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub section_id: crate::domain::SectionId,
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub author: String,
    /// As written (Markdown).
    pub content: String,
    /// Rendered and sanitised on the server.
    pub html: String,
    pub created_at: String,
    #[serde(default)]
    pub resolved_by: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
}
