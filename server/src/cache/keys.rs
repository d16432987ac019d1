//! Cache keys and invalidation patterns, exactly as SPEC §2 names them. Ids reaching here
//! are slugs (checked at the edge), so they never carry glob characters.

use std::fmt;

use engine::Period;

/// The six kinds of cached value; each has its own TTL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Report,
    Insights,
    MonteCarlo,
    Metrics,
    Template,
    Section,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// The report's outline.
    Report {
        report: String,
    },
    Insights {
        report: String,
    },
    MonteCarlo {
        report: String,
    },
    Metrics {
        project: String,
        period: Period,
    },
    Template {
        template: String,
    },
    Section {
        report: String,
        section: String,
        version: u32,
    },
}

impl Key {
    pub fn kind(&self) -> Kind {
        match self {
            Self::Report { .. } => Kind::Report,
            Self::Insights { .. } => Kind::Insights,
            Self::MonteCarlo { .. } => Kind::MonteCarlo,
            Self::Metrics { .. } => Kind::Metrics,
            Self::Template { .. } => Kind::Template,
            Self::Section { .. } => Kind::Section,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Report { report } => write!(f, "pmr:report:{report}"),
            Self::Insights { report } => write!(f, "pmr:insights:{report}"),
            Self::MonteCarlo { report } => write!(f, "pmr:monte_carlo:{report}"),
            Self::Metrics { project, period } => write!(f, "pmr:metrics:{project}:{period}"),
            Self::Template { template } => write!(f, "pmr:template:{template}"),
            Self::Section {
                report,
                section,
                version,
            } => write!(f, "pmr:section:{report}:{section}:v{version}"),
        }
    }
}

/// A set of keys to evict: an exact key, or a glob ending in `*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Pattern(String);

impl Pattern {
    pub fn exact(key: &Key) -> Self {
        Self(key.to_string())
    }
    /// Every period's metrics of a project.
    pub fn project_metrics(project: &str) -> Self {
        Self(format!("pmr:metrics:{project}:*"))
    }
    /// Everything computed for a report: outline, insights, forecast, all sections.
    pub fn report(report: &str) -> Vec<Self> {
        vec![
            Self(format!("pmr:report:{report}")),
            Self(format!("pmr:insights:{report}")),
            Self(format!("pmr:monte_carlo:{report}")),
            Self(format!("pmr:section:{report}:*")),
        ]
    }
    /// Every version of one section.
    pub fn section(report: &str, section: &str) -> Self {
        Self(format!("pmr:section:{report}:{section}:v*"))
    }
    /// All of PMR's keys.
    pub fn all() -> Self {
        Self("pmr:*".into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn is_glob(&self) -> bool {
        self.0.ends_with('*')
    }
    /// Whether `key` (without the configured prefix) falls under this pattern.
    pub fn matches(&self, key: &str) -> bool {
        match self.0.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == self.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_spelled_as_the_spec() {
        let period = Period::parse("2025-06").expect("valid");
        let cases = [
            (Key::Report { report: "r1".into() }, "pmr:report:r1"),
            (Key::Insights { report: "r1".into() }, "pmr:insights:r1"),
            (Key::MonteCarlo { report: "r1".into() }, "pmr:monte_carlo:r1"),
            (
                Key::Metrics {
                    project: "apollo".into(),
                    period,
                },
                "pmr:metrics:apollo:2025-06",
            ),
            (
                Key::Template {
                    template: "executive".into(),
                },
                "pmr:template:executive",
            ),
            (
                Key::Section {
                    report: "r1".into(),
                    section: "summary".into(),
                    version: 3,
                },
                "pmr:section:r1:summary:v3",
            ),
        ];
        for (key, text) in cases {
            assert_eq!(key.to_string(), text);
        }
    }

    #[test]
    fn patterns_do_not_reach_other_reports() {
        let p = Pattern::section("r1", "notes");
        assert!(p.matches("pmr:section:r1:notes:v2"));
        assert!(!p.matches("pmr:section:r10:notes:v2"));
        let all: Vec<Pattern> = Pattern::report("r1");
        assert!(all.iter().any(|p| p.matches("pmr:section:r1:x:v1")));
        assert!(!all.iter().any(|p| p.matches("pmr:section:r10:x:v1")));
        assert!(!all.iter().any(|p| p.matches("pmr:report:r10")));
    }
}
