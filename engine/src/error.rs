//! Errors of the engine: validation failures that name the field and the rule, and the
//! typed refusals of the computations (bad iteration counts, periods outside the project,
//! results outside the calendar or not finite).

use serde::{Deserialize, Serialize};

use crate::finite::NonFinite;

/// One broken rule: `field` is a path into the input (`work_packages[3].duration`), `rule`
/// says what was expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub rule: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            rule: rule.into(),
        }
    }
}

impl FieldError {
    /// From a serde error at `path` (`.` for the root): a missing field is named as the
    /// field itself (`period`, `work_packages[2].cost`), and serde's "at line …" position
    /// is dropped because the path already says where. An empty key (`{"": 1}`) leaves an
    /// empty or dot-ended path; the field is then its parent, or `root`, never blank.
    pub fn from_serde(path: &str, message: &str, root: &str) -> Self {
        let message = match message.rfind(" at line ") {
            Some(i) => &message[..i],
            None => message,
        };
        let path = path.trim_end_matches('.');
        let base = (!path.is_empty()).then_some(path);
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .filter(|m| !m.is_empty());
        let field = match (base, missing) {
            (Some(b), Some(m)) => format!("{b}.{m}"),
            (None, Some(m)) => m.to_owned(),
            (Some(b), None) => b.to_owned(),
            (None, None) => root.to_owned(),
        };
        Self::new(field, message)
    }
}

/// A number for a message: plain when short, in exponent form when plain would run to
/// hundreds of digits (`1e300`) or zeros (`5e-324`).
pub(crate) fn show(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || (1e-4..1e7).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// Text from the input quoted in a message, cut to a readable length so a refusal never
/// echoes a megabyte back.
pub(crate) fn excerpt(s: &str) -> String {
    const SHOWN: usize = 64;
    if s.len() <= SHOWN {
        format!("{s:?}")
    } else {
        let head: String = s.chars().take(SHOWN).collect();
        format!("{head:?}… ({} characters)", s.chars().count())
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// Every broken rule of one input, so a user can fix a file in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, rule)])
    }
}

impl std::fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        write!(f, "{}", parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Why a computation refused its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    #[error("{0}")]
    Invalid(#[from] ValidationErrors),
    #[error("iterations: must be between 1000 and 1000000 (got {0})")]
    Iterations(u64),
    /// The caller asked the run to stop (its requester went away) before it finished.
    #[error("the simulation was cancelled before it finished")]
    Cancelled,
    #[error("period: {period} is before the project start ({start})")]
    PeriodBeforeStart { period: String, start: String },
    #[error("period: {period} is after next month ({latest})")]
    PeriodTooLate { period: String, latest: String },
    /// A result would fall outside what the engine can write, e.g. a forecast finish after
    /// [`crate::calendar::LAST_DATE`]: the inputs are valid one by one but too large
    /// together.
    #[error("{field}: {rule}")]
    OutOfRange { field: String, rule: String },
    /// A computed figure is NaN or infinite; refused rather than stored as `null`.
    #[error("{0}")]
    NonFinite(#[from] NonFinite),
}

impl EngineError {
    /// The field a client should fix, for the 422 body.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            Self::Invalid(v) => v.0.clone(),
            Self::OutOfRange { field, rule } => vec![FieldError::new(field, rule)],
            Self::NonFinite(n) => vec![FieldError::new(
                &n.path,
                format!("computed value is not a finite number ({})", n.value),
            )],
            Self::Iterations(_) => vec![FieldError::new("iterations", self.to_string())],
            Self::Cancelled => Vec::new(),
            Self::PeriodBeforeStart { .. } | Self::PeriodTooLate { .. } => {
                vec![FieldError::new("period", self.to_string())]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_excerpts_stay_short() {
        assert_eq!(show(10_000.0), "10000");
        assert_eq!(show(1e13), "1e13");
        assert_eq!(show(2.5e13), "2.5e13");
        assert_eq!(show(5e-324), "5e-324");
        assert_eq!(show(-3.0), "-3");
        assert_eq!(show(0.0), "0");
        assert_eq!(excerpt("WP-1"), "\"WP-1\"");
        let long = "x".repeat(100_000);
        assert!(excerpt(&long).len() < 100, "{}", excerpt(&long));
    }

    #[test]
    fn serde_errors_always_name_a_field() {
        // Found by fuzzing the import: an empty key gave a refusal with a blank field.
        let unknown = "unknown field ``, expected one of `id`, `name` at line 10 column 6";
        assert_eq!(FieldError::from_serde("", unknown, "$").field, "$");
        assert_eq!(FieldError::from_serde(".", unknown, "$").field, "$");
        assert_eq!(
            FieldError::from_serde("work_packages[0].", unknown, "$").field,
            "work_packages[0]"
        );
        let missing = "missing field `cost` at line 3 column 1";
        assert_eq!(
            FieldError::from_serde("work_packages[2]", missing, "$").field,
            "work_packages[2].cost"
        );
        assert_eq!(FieldError::from_serde(".", missing, "body").field, "cost");
        assert_eq!(FieldError::from_serde(".", "missing field ``", "body").field, "body");
    }
}
