//! Ids arriving from URLs and forms, checked before anything is looked up or cached: a
//! malformed id is simply not found (404), never an error deeper down — and never a key.

use crate::error::{Error, Result};

fn slug_ok(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub fn report(id: &str) -> Result<&str> {
    if slug_ok(id, 80) {
        Ok(id)
    } else {
        Err(Error::NotFound(format!("report {id:?}")))
    }
}

pub fn section(id: &str) -> Result<&str> {
    if slug_ok(id, 64) {
        Ok(id)
    } else {
        Err(Error::NotFound(format!("section {id:?}")))
    }
}

pub fn project(id: &str) -> Result<&str> {
    if slug_ok(id, 40) {
        Ok(id)
    } else {
        Err(Error::NotFound(format!("project {id:?}")))
    }
}

/// A section id from a title: `"Budget notes"` → `"budget-notes"`.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    let out: String = out.chars().take(48).collect();
    if out.is_empty() {
        "notes".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_ids_are_not_found() {
        for bad in ["", "../etc", "a b", "A", "x;DROP", "-x", "a*", "%2e"] {
            assert!(matches!(report(bad), Err(Error::NotFound(_))), "{bad}");
        }
        assert!(report("apollo-2026-10").is_ok());
    }

    #[test]
    fn slugs_titles() {
        assert_eq!(slugify("Budget notes"), "budget-notes");
        assert_eq!(slugify("  Technical progress!! "), "technical-progress");
        assert_eq!(slugify("***"), "notes");
    }
}
