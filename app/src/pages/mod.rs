//! Server-rendered pages. Each reads the request context, awaits its data through the
//! services, and renders; failures become an error panel with the right status.

mod not_found;
mod performance;
mod portfolio;
mod project;
mod report;
mod section;
mod sign_in;

use std::future::Future;

use leptos::prelude::*;

// The form posts the report page's live islands enhance live beside those islands.
pub use crate::islands::live::{add_comment, edit_section, resolve_comment, AddComment, EditSection, ResolveComment};
pub use not_found::NotFoundPage;
pub use performance::{
    clear_monitor_data, dashboard_html, set_monitoring, ClearMonitorData, PerformancePage, SetMonitoring,
};
pub use portfolio::PortfolioPage;
pub use project::{generate_report, GenerateReport, ProjectPage};
pub use report::{set_report_status, ReportPage, SetReportStatus};
pub use section::SectionPage;
pub use sign_in::SignInPage;

use crate::components::page_error;
use crate::error::AppError;
use crate::services::RequestCtx;

/// Renders what `load` produces once it resolves (the route is `SsrMode::Async`, so this
/// is all in the first HTML).
fn awaited<Fut>(load: impl FnOnce(RequestCtx) -> Fut) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, AppError>> + Send + 'static,
{
    let fut = RequestCtx::current().map(load);
    view! {
        <Suspense>
            {Suspend::new(async move {
                let result = match fut {
                    Ok(f) => f.await,
                    Err(e) => Err(e),
                };
                result.unwrap_or_else(page_error)
            })}
        </Suspense>
    }
}

/// A route parameter, or "" (which no lookup will match).
fn param(name: &str) -> String {
    leptos_router::hooks::use_params_map()
        .read_untracked()
        .get(name)
        .unwrap_or_default()
}

/// A query parameter of the current URL.
fn query(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map().read_untracked().get(name)
}
