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

/// A set of keys to evict: an exact key, or a glob ending in `*`. Travels (in the cluster
/// log) as its glob alone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Pattern {
    glob: String,
    /// For a section's versions after an edit: the version the edit made (see
    /// [`Pattern::section_edited`]).
    newest: Option<u32>,
}

impl From<String> for Pattern {
    fn from(glob: String) -> Self {
        Self { glob, newest: None }
    }
}

impl From<Pattern> for String {
    fn from(p: Pattern) -> Self {
        p.glob
    }
}

/// How many of a section's latest versions an edit evicts by key from Redis.
pub const EDITED_VERSIONS: u32 = 32;

impl Pattern {
    fn of(glob: String) -> Self {
        Self { glob, newest: None }
    }
    pub fn exact(key: &Key) -> Self {
        Self::of(key.to_string())
    }
    /// Every period's metrics of a project.
    pub fn project_metrics(project: &str) -> Self {
        Self::of(format!("pmr:metrics:{project}:*"))
    }
    /// Everything computed for a report: outline, insights, forecast, all sections.
    pub fn report(report: &str) -> Vec<Self> {
        vec![
            Self::of(format!("pmr:report:{report}")),
            Self::of(format!("pmr:insights:{report}")),
            Self::of(format!("pmr:monte_carlo:{report}")),
            Self::of(format!("pmr:section:{report}:*")),
        ]
    }
    /// Every version of one section.
    pub fn section(report: &str, section: &str) -> Self {
        Self::of(format!("pmr:section:{report}:{section}:v*"))
    }
    /// A section's versions after an edit that made version `newest`. In memory it is the
    /// glob of [`Pattern::section`]. Redis deletes the latest [`EDITED_VERSIONS`] versions
    /// by key instead ([`Pattern::keys`]): a glob there is a `SCAN` of the whole keyspace,
    /// once per edit. Older versions' keys can only be asked for by a reader holding an
    /// outline from that many edits ago, and hold that version's text or a newer one (a
    /// key is only ever written from an outline's version, with what the store held then):
    /// never older text under a newer version. They expire with their time to live.
    pub fn section_edited(report: &str, section: &str, newest: u32) -> Self {
        Self {
            newest: Some(newest),
            ..Self::section(report, section)
        }
    }
    /// All of PMR's keys.
    pub fn all() -> Self {
        Self::of("pmr:*".into())
    }
    pub fn as_str(&self) -> &str {
        &self.glob
    }
    pub fn is_glob(&self) -> bool {
        self.glob.ends_with('*')
    }
    /// The exact keys a glob stands for where they are known (see
    /// [`Pattern::section_edited`]); `None` for every other pattern.
    pub fn keys(&self) -> Option<Vec<String>> {
        let newest = self.newest?;
        let prefix = self.glob.strip_suffix('*')?;
        let oldest = newest.saturating_sub(EDITED_VERSIONS - 1);
        Some((oldest..=newest).map(|v| format!("{prefix}{v}")).collect())
    }
    /// Whether `key` (without the configured prefix) falls under this pattern.
    pub fn matches(&self, key: &str) -> bool {
        match self.glob.strip_suffix('*') {
            Some(prefix) => key.starts_with(prefix),
            None => key == self.glob,
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

    #[test]
    fn an_edited_section_names_its_latest_versions_and_travels_as_its_glob() {
        let p = Pattern::section_edited("r1", "notes", 40);
        assert!(
            p.is_glob() && p.matches("pmr:section:r1:notes:v3"),
            "in memory: every version"
        );
        let keys = p.keys().expect("known keys");
        assert_eq!(keys.len(), EDITED_VERSIONS as usize);
        assert_eq!(keys.first().map(String::as_str), Some("pmr:section:r1:notes:v9"));
        assert_eq!(keys.last().map(String::as_str), Some("pmr:section:r1:notes:v40"));
        let early = Pattern::section_edited("r1", "notes", 1).keys().expect("known keys");
        assert_eq!(early, ["pmr:section:r1:notes:v0", "pmr:section:r1:notes:v1"]);
        assert_eq!(Pattern::section("r1", "notes").keys(), None);
        let json = serde_json::to_string(&p).expect("serialises");
        assert_eq!(json, r#""pmr:section:r1:notes:v*""#);
        let back: Pattern = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, Pattern::section("r1", "notes"));
    }
}
