//! `/projects/{id}` — the project's facts, its reports, its monthly snapshots, and (for
//! editors) the form that generates a report for a period.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use super::{awaited, param, query};
use crate::components::{format, Breadcrumbs, Layout, StatusBadge};
use crate::domain::{arg, Template};
use crate::error::AppError;
use crate::policy::Action;
use crate::services::{GenerateRequest, ProjectView, RequestCtx};
use engine::{Period, ProjectId};

/// Generates a report from the project page's form and redirects to it; on failure,
/// redirects back with the error shown above the form (this works without JavaScript).
#[server(prefix = "/api/fn", endpoint = "generate_report")]
pub async fn generate_report(project_id: String, period: String, template: String) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let project_id = arg("project_id", &project_id, ProjectId::parse).map_err(AppError::respond)?;
    let period = arg("period", &period, Period::parse).map_err(AppError::respond)?;
    let template = arg("template", &template, Template::parse).map_err(AppError::respond)?;
    let req = GenerateRequest {
        project_id: project_id.clone(),
        period,
        template,
        iterations: None,
    };
    match ctx.services.generate_report(&ctx.principal, req).await {
        Ok(id) => {
            leptos_axum::redirect(&format!("/reports/{id}"));
            Ok(())
        }
        Err(e) => {
            let back = format!("/projects/{project_id}?error={}", crate::url::escape(&e.to_string()));
            leptos_axum::redirect(&back);
            Err(e.respond())
        }
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let id = param("id");
    let error = query("error");
    view! {
        <Layout>
            {awaited(move |ctx| async move {
                let id = ProjectId::parse(&id).map_err(|_| AppError::NotFound(format!("project {id:?}")))?;
                let project = ctx.services.project(&id).await?;
                let can_generate = ctx.principal.may(Action::GenerateReport);
                let can_export = ctx.principal.may(Action::ExportProject);
                Ok(view! { <ProjectView project can_generate can_export error /> }.into_any())
            })}
        </Layout>
    }
}

#[component]
fn ProjectView(project: ProjectView, can_generate: bool, can_export: bool, error: Option<String>) -> impl IntoView {
    let p = project;
    let currency = p.currency.clone();
    view! {
        <Title text=p.name.clone() />
        <Breadcrumbs items=vec![("Portfolio".into(), Some("/".into())), (p.name.clone(), None)] />
        <header class="page-header">
            <h1>{p.name.clone()} <span class="code">{p.code.clone()}</span></h1>
            <dl class="facts">
                <div><dt>"Manager"</dt><dd>{p.manager.clone()}</dd></div>
                <div><dt>"Sponsor"</dt><dd>{p.sponsor.clone()}</dd></div>
                <div><dt>"Budget (BAC)"</dt><dd>{format::money(p.bac, &currency)}</dd></div>
                <div><dt>"Start"</dt><dd>{p.start.clone()}</dd></div>
                <div><dt>"Baseline finish"</dt><dd>{p.baseline_finish.clone()}</dd></div>
                <div><dt>"Work packages"</dt><dd>{p.work_packages}</dd></div>
                <div><dt>"Risks"</dt><dd>{p.risks}</dd></div>
            </dl>
            // The import format, so the data can go back out (and be imported elsewhere).
            {can_export.then(|| {
                let href = format!("/api/v1/projects/{}/export", p.id);
                let file = format!("{}.json", p.id);
                view! { <p class="export"><a class="button" href=href download=file>"Download project data (JSON)"</a></p> }
            })}
        </header>
        {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        {can_generate.then(|| view! { <GenerateForm project_id=p.id.clone() periods=p.periods.clone() /> })}
        <section class="panel">
            <h2>"Reports"</h2>
            <ReportsTable reports=p.reports.clone() />
        </section>
        <section class="panel">
            <h2>"Monthly snapshots"</h2>
            <SnapshotsTable rows=p.snapshots.clone() currency />
        </section>
    }
}

#[component]
fn GenerateForm(project_id: ProjectId, periods: Vec<Period>) -> impl IntoView {
    view! {
        <form class="panel generate-form" method="post" action=GenerateReport::PATH>
            <h2>"Generate a report"</h2>
            <input type="hidden" name="project_id" value=project_id.to_string() />
            <label>
                "Period"
                <select name="period" required>
                    {periods
                        .into_iter()
                        .map(|p| view! { <option value=p.to_string()>{p.to_string()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                "Template"
                <select name="template">
                    {Template::ALL
                        .into_iter()
                        .map(|t| view! { <option value=t.as_str()>{t.label()}</option> })
                        .collect_view()}
                </select>
            </label>
            <button type="submit" class="button primary">"Generate report"</button>
        </form>
    }
}

#[component]
fn ReportsTable(reports: Vec<crate::services::ReportListItem>) -> impl IntoView {
    if reports.is_empty() {
        return view! { <p class="empty">"No reports yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Template"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Version"</th>
                        <th scope="col">"Generated"</th>
                    </tr>
                </thead>
                <tbody>
                    {reports
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <td>{r.period.to_string()}</td>
                                    <td><a href=format!("/reports/{}", r.id)>{r.title}</a></td>
                                    <td>{r.template.label()}</td>
                                    <td><StatusBadge status=r.status /></td>
                                    <td class="num">{r.version}</td>
                                    <td>{r.created_at}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn SnapshotsTable(rows: Vec<crate::services::SnapshotRow>, currency: String) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">"Period"</th>
                        <th scope="col" class="num">"PV"</th>
                        <th scope="col" class="num">"EV"</th>
                        <th scope="col" class="num">"AC"</th>
                        <th scope="col" class="num">"CPI"</th>
                        <th scope="col" class="num">"SPI"</th>
                        <th scope="col" class="num">"Utilisation"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .rev()
                        .map(|s| {
                            view! {
                                <tr>
                                    <th scope="row">{s.period.to_string()}</th>
                                    <td class="num">{format::money(s.pv, &currency)}</td>
                                    <td class="num">{format::money(s.ev, &currency)}</td>
                                    <td class="num">{format::money(s.ac, &currency)}</td>
                                    <td class="num">{format::ratio(s.cpi)}</td>
                                    <td class="num">{format::ratio(s.spi)}</td>
                                    <td class="num">{format::percent(s.utilisation)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
