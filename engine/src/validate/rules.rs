//! The single-field rules of SPEC §1.1 — text lengths, ids, numeric and date bounds, list
//! lengths — as checks that push onto one collector, so a file's broken rules are all
//! reported together.
//!
//! Paths are joined only when a rule breaks: validation runs before every simulation, and
//! a valid 5,000-package project should not pay for 50,000 path strings it never shows.

use chrono::{Datelike, NaiveDate};

use crate::error::{show, FieldError, ValidationErrors};
use crate::limits::{FIRST_YEAR, LAST_YEAR, MAX_COUNT, MAX_ID, MAX_REPORTED_ERRORS};
use crate::model::ThreePoint;

/// The broken rules found so far: the first [`MAX_REPORTED_ERRORS`] listed, the rest
/// counted.
pub(super) struct Errors {
    list: Vec<FieldError>,
    unlisted: usize,
}

/// `at.name`, or `name` at the root.
fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

impl Errors {
    pub fn new() -> Self {
        Self {
            list: Vec::new(),
            unlisted: 0,
        }
    }

    pub fn push(&mut self, field: impl Into<String>, rule: impl Into<String>) {
        if self.list.len() < MAX_REPORTED_ERRORS {
            self.list.push(FieldError::new(field, rule));
        } else {
            self.unlisted += 1;
        }
    }

    pub fn finish(mut self) -> Result<(), ValidationErrors> {
        if self.unlisted > 0 {
            let rule = format!(
                "{} more broken rules not listed; fix the ones above first",
                self.unlisted
            );
            self.list.push(FieldError::new("input", rule));
        }
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.list))
        }
    }

    /// At most `max` characters, and not blank when `required`.
    pub fn text(&mut self, at: &str, name: &str, value: &str, max: usize, required: bool) {
        if required && value.trim().is_empty() {
            self.push(join(at, name), "must not be blank");
            return;
        }
        // Counting characters walks the string; its byte length bounds the count from above.
        if value.len() > max {
            let n = value.chars().count();
            if n > max {
                self.push(join(at, name), format!("must be at most {max} characters (got {n})"));
            }
        }
    }

    /// A work-package or risk id: 1–64 characters. Returns whether it is usable as a key.
    pub fn id(&mut self, at: &str, value: &str) -> bool {
        let ok = !value.trim().is_empty() && value.chars().count() <= MAX_ID;
        if !ok {
            self.push(join(at, "id"), format!("must be 1-{MAX_ID} characters"));
        }
        ok
    }

    /// `value ≤ max`; `unit` follows the numbers in the message (" working days", "").
    pub fn at_most(&mut self, at: &str, name: &str, value: f64, max: f64, unit: &str) {
        if value > max {
            self.push(
                join(at, name),
                format!("must be at most {}{unit} (got {})", show(max), show(value)),
            );
        }
    }

    /// Each point of a three-point estimate `≤ max`, each named (`duration.pessimistic`).
    pub fn three_point(&mut self, at: &str, name: &str, t: &ThreePoint, max: f64, unit: &str) {
        if t.pessimistic() <= max {
            return; // the points are ordered, so the others are within too
        }
        let field = join(at, name);
        for (point, v) in [
            ("optimistic", t.optimistic()),
            ("most_likely", t.most_likely()),
            ("pessimistic", t.pessimistic()),
        ] {
            self.at_most(&field, point, v, max, unit);
        }
    }

    pub fn count(&mut self, at: &str, name: &str, value: u32) {
        if value > MAX_COUNT {
            self.push(join(at, name), format!("must be at most {MAX_COUNT} (got {value})"));
        }
    }

    /// A date in the years every period lies in.
    pub fn date(&mut self, at: &str, name: &str, d: NaiveDate) {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
            self.push(
                join(at, name),
                format!("must be between {FIRST_YEAR}-01-01 and {LAST_YEAR}-12-31 (got {d})"),
            );
        }
    }

    /// At most `max` entries. Returns whether the list is within, so callers can skip
    /// checking the items of an oversized one.
    pub fn list(&mut self, at: &str, name: &str, len: usize, max: usize, what: &str) -> bool {
        if len > max {
            self.push(join(at, name), format!("must contain at most {max} {what} (got {len})"));
        }
        len <= max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_beyond_the_cap_are_counted() {
        let mut e = Errors::new();
        for i in 0..MAX_REPORTED_ERRORS + 7 {
            e.push(format!("f{i}"), "broken");
        }
        let all = e.finish().expect_err("broken").0;
        assert_eq!(all.len(), MAX_REPORTED_ERRORS + 1);
        assert_eq!(all[MAX_REPORTED_ERRORS].field, "input");
        assert!(all[MAX_REPORTED_ERRORS].rule.starts_with("7 more"));
    }
}
