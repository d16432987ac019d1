//! Benchmark-only (feature `bench`): a server function answering a constant in-memory
//! section of the same size as a real one, through the same router and middleware — the
//! ceiling the cached section function is measured against (BENCHMARKS.md).

use leptos::prelude::*;

use crate::dto::SectionHtml;
use crate::error::AppError;

#[cfg(feature = "ssr")]
static CONSTANT: std::sync::OnceLock<SectionHtml> = std::sync::OnceLock::new();

/// Sets the value [`bench_constant`] answers with (once per process).
#[cfg(feature = "ssr")]
pub fn set_constant(value: SectionHtml) {
    let _ = CONSTANT.set(value);
}

/// Same arguments and result type as `report_section`, no cache and no computation.
#[server(prefix = "/api/fn", endpoint = "bench_constant")]
pub async fn bench_constant(report_id: String, section_id: String) -> Result<SectionHtml, AppError> {
    let _ = (report_id, section_id);
    CONSTANT
        .get()
        .cloned()
        .ok_or(AppError::NotFound("bench constant".into()))
}
