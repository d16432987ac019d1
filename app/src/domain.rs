//! The report domain's small types, parsed once at the edge (a URL, a form, a JSON body, a
//! WebSocket frame) so that no raw id or status string flows further in: report and section
//! ids, the report's status with the moves its workflow allows, and the templates.
//!
//! Project ids are the engine's [`ProjectId`](https://docs.rs) (the engine owns the project
//! model); these are the report's own.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dto::Role;

/// `a-z`, `0-9`, `-`; not starting with `-`; 1 to `max` bytes.
fn is_slug(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $max:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_LEN: usize = $max;

            pub fn parse(s: &str) -> Result<Self, String> {
                if is_slug(s, $max) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(format!(
                        concat!("must be a ", $what, " id: 1-{} characters a-z, 0-9 and '-'"),
                        $max
                    ))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

slug_id!(
    /// A report's id: `{project}-{period}` plus `-n` for later reports of the same month.
    ReportId,
    80,
    "report"
);
slug_id!(
    /// A section's id within its report (`summary`, `forecast`, `budget-notes`, …).
    SectionId,
    64,
    "section"
);

impl SectionId {
    /// A section id from a title: `"Budget notes"` → `budget-notes` (never empty).
    pub fn from_title(title: &str) -> Self {
        let mut out = String::new();
        for c in title.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(48).collect();
        let trimmed = trimmed.trim_end_matches('-');
        Self(if trimmed.is_empty() {
            "notes".into()
        } else {
            trimmed.to_owned()
        })
    }

    /// `base`, or `base-n` for the n-th section with the same base.
    pub fn numbered(&self, n: usize) -> Self {
        if n <= 1 {
            self.clone()
        } else {
            Self(format!("{}-{n}", self.0))
        }
    }
}

/// Where a report is in its workflow (SPEC §1.2).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Review,
    Approved,
    Distributed,
}

/// A move of the workflow: where to, who may make it, and the button that offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusMove {
    pub from: ReportStatus,
    pub to: ReportStatus,
    pub needs: Role,
    pub label: &'static str,
}

/// draft → review → approved → distributed; a review can go back to draft. Approving and
/// distributing fix what readers see, so they are for admins.
const MOVES: [StatusMove; 4] = [
    StatusMove {
        from: ReportStatus::Draft,
        to: ReportStatus::Review,
        needs: Role::Editor,
        label: "Send for review",
    },
    StatusMove {
        from: ReportStatus::Review,
        to: ReportStatus::Draft,
        needs: Role::Editor,
        label: "Back to draft",
    },
    StatusMove {
        from: ReportStatus::Review,
        to: ReportStatus::Approved,
        needs: Role::Admin,
        label: "Approve",
    },
    StatusMove {
        from: ReportStatus::Approved,
        to: ReportStatus::Distributed,
        needs: Role::Admin,
        label: "Mark distributed",
    },
];

impl ReportStatus {
    pub const ALL: [Self; 4] = [Self::Draft, Self::Review, Self::Approved, Self::Distributed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Review => "review",
            Self::Approved => "approved",
            Self::Distributed => "distributed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| "must be draft, review, approved or distributed".to_owned())
    }

    /// An approved (or distributed) report is a frozen snapshot: its sections no longer
    /// change, whatever happens to the project's data.
    pub fn is_frozen(self) -> bool {
        matches!(self, Self::Approved | Self::Distributed)
    }

    /// The moves the workflow offers from here.
    pub fn moves(self) -> impl Iterator<Item = &'static StatusMove> {
        MOVES.iter().filter(move |m| m.from == self)
    }

    /// The move to `to`, if the workflow has one.
    pub fn move_to(self, to: Self) -> Option<&'static StatusMove> {
        self.moves().find(|m| m.to == to)
    }
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which sections a report has, in which order (SPEC §1.2).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    Executive,
    Financial,
    Technical,
}

impl Template {
    pub const ALL: [Self; 3] = [Self::Executive, Self::Financial, Self::Technical];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Executive => "executive",
            Self::Financial => "financial",
            Self::Technical => "technical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Executive => "Executive",
            Self::Financial => "Financial",
            Self::Technical => "Technical",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| "must be executive, financial or technical".to_owned())
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a server function's argument, naming the field when it does not parse (serde's
/// own message for a refused value does not say which argument it was).
pub fn arg<T>(
    field: &str,
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, crate::error::AppError> {
    parse(raw).map_err(|rule| crate::error::AppError::invalid(field, rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_slugs() {
        for bad in ["", "../etc", "a b", "A", "x;DROP", "-x", "a*", "%2e"] {
            assert!(ReportId::parse(bad).is_err(), "{bad}");
        }
        assert!(ReportId::parse("apollo-2026-10").is_ok());
        assert!(ReportId::parse(&"a".repeat(81)).is_err());
        assert!(SectionId::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn section_ids_from_titles() {
        assert_eq!(SectionId::from_title("Budget notes").as_str(), "budget-notes");
        assert_eq!(
            SectionId::from_title("  Technical progress!! ").as_str(),
            "technical-progress"
        );
        assert_eq!(SectionId::from_title("***").as_str(), "notes");
        assert_eq!(SectionId::from_title("notes").numbered(2).as_str(), "notes-2");
    }

    #[test]
    fn the_workflow_owns_its_moves() {
        use ReportStatus::*;
        assert_eq!(Draft.move_to(Review).map(|m| m.needs), Some(Role::Editor));
        assert_eq!(Review.move_to(Approved).map(|m| m.needs), Some(Role::Admin));
        assert!(Draft.move_to(Approved).is_none());
        assert!(Distributed.moves().next().is_none());
        assert!(Approved.is_frozen() && Distributed.is_frozen() && !Review.is_frozen());
        assert_eq!(ReportStatus::parse("review"), Ok(Review));
        assert!(ReportStatus::parse("Review").is_err());
    }
}
