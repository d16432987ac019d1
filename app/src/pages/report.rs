//! `/reports/{id}` — the report's sections in template order. High sections are in the
//! first HTML; medium and low ones are [`LazySection`] islands inside a body that already
//! has the section's final height. Signed-in readers get the live islands (SPEC §5): the
//! [`LiveBar`] with the connection and presence, comment threads that stay current, and for
//! editors an in-place editor under each custom section — all plain HTML and forms first.

use leptos::prelude::*;
use leptos_meta::Title;

use leptos::server_fn::ServerFn as _;

use super::{awaited, param, query};
use crate::components::{Breadcrumbs, Layout, StatusBadge};
use crate::domain::{arg, ReportId, ReportStatus, SectionId, StatusMove};
use crate::dto::{Priority, SectionKind};
use crate::error::AppError;
use crate::islands::live::{comment_form_html, summary_line, threads_html};
use crate::islands::{CommentThreads, LazySection, LiveBar, SectionEditor, SectionProgress};
use crate::policy::Action;
use crate::sections::body_class;
use crate::services::{Comment, ReportOutline, ReportView, RequestCtx, SectionOutline};

/// Moves the report along its workflow from the buttons in its header (plain form post),
/// then back to the report; a refused move comes back as a message.
#[server(prefix = "/api/fn", endpoint = "set_report_status")]
pub async fn set_report_status(report_id: String, status: String) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report_id = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let status = arg("status", &status, ReportStatus::parse).map_err(AppError::respond)?;
    let page = format!("/reports/{report_id}");
    match ctx.services.set_report_status(&ctx.principal, &report_id, status).await {
        Ok(_) => {
            leptos_axum::redirect(&page);
            Ok(())
        }
        Err(e) => {
            leptos_axum::redirect(&format!("{page}?error={}", crate::url::escape(&e.to_string())));
            Err(e.respond())
        }
    }
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = param("id");
    let error = query("error");
    view! {
        <Layout>
            {awaited(move |ctx| async move {
                let id = ReportId::parse(&id).map_err(|_| AppError::NotFound(format!("report {id:?}")))?;
                let report = ctx.services.report(&id).await?;
                let comments = ctx.services.comments(&id).await?;
                let can_comment = ctx.principal.may(Action::Comment);
                let drafts = drafts(&ctx, &report).await?;
                let me = ctx.principal.signed_in.then(|| ctx.principal.name.clone());
                let moves = report
                    .outline
                    .status
                    .moves()
                    .filter(|m| ctx.principal.may(Action::MoveStatus(m)))
                    .collect();
                Ok(view! { <ReportBody report comments can_comment drafts me moves error /> }.into_any())
            })}
        </Layout>
    }
}

/// The Markdown of each custom section this reader may edit here (none for viewers or a
/// frozen report).
async fn drafts(ctx: &RequestCtx, report: &ReportView) -> Result<Vec<(SectionId, String)>, AppError> {
    let o = &report.outline;
    if o.status.is_frozen() || !ctx.principal.may(Action::EditSection) {
        return Ok(Vec::new());
    }
    let mut drafts = Vec::new();
    for s in o.sections.iter().filter(|s| s.kind == SectionKind::Custom) {
        let view = ctx.services.section(&o.id, &s.id).await?;
        drafts.push((s.id.clone(), view.markdown.unwrap_or_default()));
    }
    Ok(drafts)
}

#[component]
fn ReportBody(
    report: ReportView,
    comments: Vec<Comment>,
    can_comment: bool,
    drafts: Vec<(SectionId, String)>,
    me: Option<String>,
    moves: Vec<&'static StatusMove>,
    error: Option<String>,
) -> impl IntoView {
    let ReportView { outline, mut high } = report;
    let total = outline.sections.len();
    let preloaded = outline.sections.iter().filter(|s| s.priority == Priority::High).count();
    let sections = outline
        .sections
        .iter()
        .map(|s| {
            let content = high
                .iter()
                .position(|(id, _)| id == &s.id)
                .map(|i| high.swap_remove(i).1);
            let mine: Vec<Comment> = comments.iter().filter(|c| c.section_id == s.id).cloned().collect();
            let draft = drafts.iter().find(|(id, _)| id == &s.id).map(|(_, md)| md.clone());
            let (report_id, section_id) = (outline.id.as_str(), s.id.as_str());
            let threads = threads_html(report_id, section_id, &mine, can_comment);
            let form = can_comment.then(|| comment_form_html(report_id, section_id, None));
            view! {
                <ReportSection outline=outline.clone() section=s.clone() html=content />
                {draft
                    .map(|markdown| {
                        view! {
                            <SectionEditor
                                report_id=outline.id.clone()
                                section_id=s.id.clone()
                                version=s.version
                                markdown
                            />
                        }
                    })}
                <CommentThreads
                    report_id=outline.id.clone()
                    section_id=s.id.clone()
                    can_comment
                    summary=summary_line(&mine)
                >
                    <ol class="threads" inner_html=threads></ol>
                    {form.map(|form| view! { <div inner_html=form></div> })}
                </CommentThreads>
            }
        })
        .collect_view();
    view! {
        <Title text=outline.title.clone() />
        <ReportHeader outline=outline.clone() />
        {error.map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        <StatusControls report_id=outline.id.clone() moves />
        <SectionProgress total preloaded />
        {me.map(|me| view! { <LiveBar report_id=outline.id.clone() me /> })}
        <div class="report">{sections}</div>
    }
}

#[component]
pub(crate) fn ReportHeader(outline: ReportOutline) -> impl IntoView {
    let o = outline;
    view! {
        <Breadcrumbs items=vec![
            ("Portfolio".into(), Some("/".into())),
            (o.project_name.clone(), Some(format!("/projects/{}", o.project_id))),
            (o.period.to_string(), None),
        ] />
        <header class="page-header report-header">
            <h1>{o.title.clone()}</h1>
            <p class="meta">
                <StatusBadge status=o.status />
                <span>"Version " {o.version}</span>
                <span>"Template: " {o.template.label()}</span>
                <span>"Generated by " {o.generated_by.clone()} " on " {o.created_at.clone()}</span>
            </p>
            <nav class="toc" aria-label="Sections">
                <ol>
                    {o
                        .sections
                        .iter()
                        .map(|s| view! { <li><a href=format!("#section-{}", s.id)>{s.title.clone()}</a></li> })
                        .collect_view()}
                </ol>
            </nav>
        </header>
    }
}

/// The workflow moves this reader may make from the current status.
#[component]
fn StatusControls(report_id: ReportId, moves: Vec<&'static StatusMove>) -> impl IntoView {
    (!moves.is_empty()).then(|| {
        view! {
            <div class="status-controls" aria-label="Workflow">
                {moves
                    .into_iter()
                    .map(|m| {
                        view! {
                            <form method="post" action=SetReportStatus::PATH class="inline-form">
                                <input type="hidden" name="report_id" value=report_id.to_string() />
                                <input type="hidden" name="status" value=m.to.as_str() />
                                <button type="submit" class="button">{m.label}</button>
                            </form>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}

#[component]
fn ReportSection(
    outline: ReportOutline,
    section: SectionOutline,
    html: Option<Result<String, AppError>>,
) -> impl IntoView {
    let heading = format!("h-{}", section.id);
    let labelled_by = heading.clone();
    let body = match html {
        Some(Ok(html)) => view! { <div class=body_class(&section) inner_html=html></div> }.into_any(),
        Some(Err(e)) => view! {
            <div class=body_class(&section)>
                <div class="lazy-failed" role="alert">
                    <p class="failed-title">{format!("Failed to load {}", section.title)}</p>
                    <p class="failed-error">{e.to_string()}</p>
                </div>
            </div>
        }
        .into_any(),
        None => view! {
            <div class=body_class(&section)>
                <LazySection
                    report_id=outline.id.clone()
                    section_id=section.id.clone()
                    version=section.version
                    title=section.title.clone()
                    priority=section.priority
                />
            </div>
        }
        .into_any(),
    };
    view! {
        <section
            id=format!("section-{}", section.id)
            class=format!("report-section kind-{}", section.kind)
            data-priority=section.priority.as_str()
            aria-labelledby=labelled_by
        >
            <h2 id=heading>
                <a href=format!("/reports/{}/sections/{}", outline.id, section.id)>{section.title.clone()}</a>
            </h2>
            {body}
        </section>
    }
}
