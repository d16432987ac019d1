//! The plain form posts the live islands enhance: saving a custom section, adding a
//! comment, resolving a thread. Without JavaScript (or with the socket down) the forms post
//! here and the server redirects back; with the socket up, the islands send the same thing
//! over it instead. Both routes end in the services' one write path.

use leptos::prelude::*;

use crate::error::AppError;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::domain::{arg, ReportId, SectionId};
    pub use crate::services::RequestCtx;
    pub use crate::url::escape;
}

/// Saves a custom section's Markdown (plain form post) and redirects back to the section.
/// A stale `base_version` is refused (someone else saved first) and nothing is lost: the
/// page shows the error and the current text.
#[server(prefix = "/api/fn", endpoint = "edit_section")]
pub async fn edit_section(
    report_id: String,
    section_id: String,
    base_version: u32,
    content: String,
) -> Result<(), AppError> {
    use self::ssr::*;
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report_id = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let section_id = arg("section_id", &section_id, SectionId::parse).map_err(AppError::respond)?;
    let page = format!("/reports/{report_id}/sections/{section_id}");
    let result = ctx
        .services
        .edit_section(&ctx.principal, &report_id, &section_id, base_version, content)
        .await;
    finish(result.map(|_| ()), &page, &page)
}

/// Adds a comment (plain form post), then back to the section on the report.
#[server(prefix = "/api/fn", endpoint = "add_comment")]
pub async fn add_comment(
    report_id: String,
    section_id: String,
    content: String,
    parent_id: Option<i64>,
) -> Result<(), AppError> {
    use self::ssr::*;
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let section = arg("section_id", &section_id, SectionId::parse).map_err(AppError::respond)?;
    let result = ctx
        .services
        .add_comment(&ctx.principal, &report, &section, content, parent_id)
        .await;
    let page = format!("/reports/{report}#comments-{section}");
    let back = format!("/reports/{report}?error={{}}#comments-{section}");
    finish(result.map(|_| ()), &page, &back)
}

/// Resolves a comment's thread (plain form post), then back to the report.
#[server(prefix = "/api/fn", endpoint = "resolve_comment")]
pub async fn resolve_comment(report_id: String, comment_id: i64) -> Result<(), AppError> {
    use self::ssr::*;
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let result = ctx.services.resolve_comment(&ctx.principal, &report, comment_id).await;
    let page = format!("/reports/{report}");
    finish(result.map(|_| ()), &page, &format!("{page}?error={{}}"))
}

/// Redirects to `page` on success; on failure to `failed` with the message in place of
/// `{}` (or appended as `?error=` when there is no placeholder).
#[cfg(feature = "ssr")]
fn finish(result: Result<(), AppError>, page: &str, failed: &str) -> Result<(), AppError> {
    match result {
        Ok(()) => {
            leptos_axum::redirect(page);
            Ok(())
        }
        Err(e) => {
            let message = ssr::escape(&e.to_string());
            let to = if failed.contains("{}") {
                failed.replacen("{}", &message, 1)
            } else {
                format!("{failed}?error={message}")
            };
            leptos_axum::redirect(&to);
            Err(e.respond())
        }
    }
}
