//! The stored form of an approved report's sections — its own format, versioned, so the
//! UI's types can change without making any approved report unreadable.
//!
//! - **Format 2** (written since the boundaries work):
//!   `{"format": 2, "kind", "rows", "html", "content"}` — the section as readers saw it when
//!   it was approved (rendered HTML and its row count), plus its typed content as JSON for
//!   the API, kept as a document, not re-parsed into today's types.
//! - **Format 1** (before): the bare `SectionContent` JSON of that time, with no version.
//!   Read by parsing it with today's types (new fields have defaults) and rendering it — in
//!   memory; reading never rewrites the store. Fixtures of format 1 written by the old
//!   code are tested in `server/tests/api/upgrade.rs`.

use app::dto::SectionKind;
use app::sections::section_to_html;
use app::services::{ReportOutline, SectionContent};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const FORMAT: u32 = 2;

/// A frozen section, whatever format it was stored in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrozenSection {
    pub format: u32,
    pub kind: SectionKind,
    pub rows: u32,
    pub html: String,
    pub content: serde_json::Value,
}

impl FrozenSection {
    /// Freezes a section's content as readers see it now.
    pub fn new(outline: &ReportOutline, content: &SectionContent) -> Result<Self> {
        engine::ensure_finite(content).map_err(|e| Error::internal(format!("not freezing a section: {e}")))?;
        Ok(Self {
            format: FORMAT,
            kind: content.kind(),
            rows: content.rows(),
            html: section_to_html(outline, content),
            content: serde_json::to_value(content).map_err(|e| Error::internal(format!("freezing: {e}")))?,
        })
    }

    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::internal(format!("freezing: {e}")))
    }

    /// Reads any stored format; an older one is upgraded in memory.
    pub fn read(json: &str, outline: &ReportOutline) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(unreadable)?;
        match value.get("format").and_then(serde_json::Value::as_u64) {
            Some(2) => serde_json::from_value(value).map_err(unreadable),
            Some(other) => Err(Error::internal(format!(
                "frozen section in format {other}, newer than this server reads ({FORMAT})"
            ))),
            None => Self::from_format_1(value, outline),
        }
    }

    /// Format 1 was the bare `SectionContent` of its day: upgraded to today's shape first
    /// ([`upgrade_1`]), then rendered.
    fn from_format_1(value: serde_json::Value, outline: &ReportOutline) -> Result<Self> {
        let content: SectionContent = serde_json::from_value(upgrade_1(value.clone())).map_err(unreadable)?;
        Ok(Self {
            format: 1,
            kind: content.kind(),
            rows: content.rows(),
            html: section_to_html(outline, &content),
            content: value,
        })
    }
}

fn unreadable(e: serde_json::Error) -> Error {
    Error::Internal {
        context: "a frozen section is unreadable".into(),
        cause: Some(Box::new(e)),
    }
}

/// Format 1 → today's content shape. What changed since:
/// - a forecast's `tornado` was one list of work packages ranked by finish correlation
///   (`work_package_id`, on a 20,480-iteration subsample); now it is risks and work
///   packages, ranked for finish and for cost separately, with the iterations and the
///   standard error they rest on. The old list becomes both rankings of the same drivers.
/// - a forecast records its cost base (`reconciliation`); an old one did not, and says so
///   (`source: unrecorded`) rather than invent one.
///
/// Everything else reads as it was (fields added since are optional).
pub fn upgrade_1(mut v: serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Value};
    if v["kind"] != "monte_carlo" {
        return v;
    }
    let f = &mut v["data"]["forecast"];
    if let Some(old) = f.get("tornado").and_then(Value::as_array).cloned() {
        let drivers: Vec<Value> = old
            .iter()
            .map(|d| {
                json!({
                    "kind": "work_package",
                    "id": d["work_package_id"],
                    "name": d["name"],
                    "finish_correlation": d["finish_correlation"],
                    "cost_correlation": d["cost_correlation"],
                })
            })
            .collect();
        let mut by_cost = drivers.clone();
        let cost = |d: &Value| d["cost_correlation"].as_f64().unwrap_or(0.0).abs();
        by_cost.sort_by(|a, b| cost(b).total_cmp(&cost(a)));
        let n = f["iterations"].as_u64().unwrap_or(0).min(20_480);
        f["tornado"] = json!({
            "finish": drivers,
            "cost": by_cost,
            "iterations": n,
            "standard_error": if n > 1 { 1.0 / ((n - 1) as f64).sqrt() } else { 0.0 },
        });
    }
    if f.get("reconciliation").is_none() {
        f["reconciliation"] = json!({
            "source": "unrecorded",
            "cost_to_date": 0.0,
            "snapshot_period": null,
            "snapshot_ac": null,
            "work_package_actuals": 0.0,
            "difference": null,
            "material": false,
            "note": null,
        });
    }
    v
}
