//! Comment threads under each section of a report, rendered on the server so they work
//! without JavaScript: a closed `<details>` per section (opening it is the reader's doing,
//! so a comment arriving live changes only the count in its summary — nothing shifts), the
//! threads (replies under their parent), and for editors plain forms to comment, reply and
//! resolve. The live island enhances the same markup.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::domain::{arg, ReportId, SectionId};
use crate::error::AppError;
use crate::services::{Comment, RequestCtx};

/// Adds a comment (plain form post), then back to the section on the report.
#[server(prefix = "/api/fn", endpoint = "add_comment")]
pub async fn add_comment(
    report_id: String,
    section_id: String,
    content: String,
    parent_id: Option<i64>,
) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let section = arg("section_id", &section_id, SectionId::parse).map_err(AppError::respond)?;
    let page = format!("/reports/{report}#comments-{section}");
    match ctx
        .services
        .add_comment(&ctx.principal, &report, &section, content, parent_id)
        .await
    {
        Ok(_) => {
            leptos_axum::redirect(&page);
            Ok(())
        }
        Err(e) => {
            let back = format!(
                "/reports/{report}?error={}#comments-{section}",
                crate::url::escape(&e.to_string())
            );
            leptos_axum::redirect(&back);
            Err(e.respond())
        }
    }
}

/// Resolves a comment's thread (plain form post), then back to the report.
#[server(prefix = "/api/fn", endpoint = "resolve_comment")]
pub async fn resolve_comment(report_id: String, comment_id: i64) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    let report = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let page = format!("/reports/{report}");
    match ctx.services.resolve_comment(&ctx.principal, &report, comment_id).await {
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

/// One section's threads.
#[component]
pub fn CommentThreads(
    report_id: ReportId,
    section_id: SectionId,
    comments: Vec<Comment>,
    can_comment: bool,
) -> impl IntoView {
    let open = comments
        .iter()
        .filter(|c| c.parent_id.is_none() && c.resolved_at.is_none())
        .count();
    let roots: Vec<Comment> = comments.iter().filter(|c| c.parent_id.is_none()).cloned().collect();
    let summary = match (comments.len(), open) {
        (0, _) => "Comments".to_owned(),
        (n, 0) => format!("Comments ({n}, all resolved)"),
        (n, o) => format!("Comments ({n}, {o} open)"),
    };
    view! {
        <details class="comments" id=format!("comments-{section_id}") data-section=section_id.to_string()>
            <summary class="comments-summary">{summary}</summary>
            <ol class="threads">
                {roots
                    .into_iter()
                    .map(|root| {
                        let replies: Vec<Comment> = comments
                            .iter()
                            .filter(|c| c.parent_id == Some(root.id))
                            .cloned()
                            .collect();
                        view! {
                            <Thread
                                report_id=report_id.clone()
                                section_id=section_id.clone()
                                root
                                replies
                                can_comment
                            />
                        }
                    })
                    .collect_view()}
            </ol>
            {can_comment
                .then(|| {
                    view! {
                        <CommentForm
                            report_id=report_id.clone()
                            section_id=section_id.clone()
                            parent=None
                            label="Add a comment"
                        />
                    }
                })}
        </details>
    }
}

#[component]
fn Thread(
    report_id: ReportId,
    section_id: SectionId,
    root: Comment,
    replies: Vec<Comment>,
    can_comment: bool,
) -> impl IntoView {
    let resolved = root.resolved_at.is_some();
    let root_id = root.id;
    view! {
        <li class="thread" data-comment=root.id data-resolved=resolved.to_string()>
            <CommentBody comment=root.clone() />
            <ol class="replies">
                {replies.into_iter().map(|c| view! { <li><CommentBody comment=c /></li> }).collect_view()}
            </ol>
            {(can_comment && !resolved)
                .then(|| {
                    view! {
                        <CommentForm
                            report_id=report_id.clone()
                            section_id=section_id.clone()
                            parent=Some(root_id)
                            label="Reply"
                        />
                        <form method="post" action=ResolveComment::PATH class="inline-form resolve-form">
                            <input type="hidden" name="report_id" value=report_id.to_string() />
                            <input type="hidden" name="comment_id" value=root_id.to_string() />
                            <button type="submit" class="link-button">"Resolve"</button>
                        </form>
                    }
                })}
        </li>
    }
}

#[component]
fn CommentBody(comment: Comment) -> impl IntoView {
    let meta = match &comment.resolved_by {
        Some(by) => format!("{} · {} · resolved by {by}", comment.author, comment.created_at),
        None => format!("{} · {}", comment.author, comment.created_at),
    };
    view! {
        <div class="comment" data-comment-id=comment.id>
            <p class="comment-meta">{meta}</p>
            // Rendered and sanitised on the server (see the server's markdown module).
            <div class="comment-text markdown" inner_html=comment.html></div>
        </div>
    }
}

#[component]
fn CommentForm(report_id: ReportId, section_id: SectionId, parent: Option<i64>, label: &'static str) -> impl IntoView {
    let field = format!(
        "comment-{section_id}-{}",
        parent.map_or_else(|| "new".to_owned(), |p| p.to_string())
    );
    view! {
        <form method="post" action=AddComment::PATH class="comment-form">
            <input type="hidden" name="report_id" value=report_id.to_string() />
            <input type="hidden" name="section_id" value=section_id.to_string() />
            {parent.map(|p| view! { <input type="hidden" name="parent_id" value=p.to_string() /> })}
            <label for=field.clone()>{label}</label>
            <textarea id=field name="content" rows="2" maxlength="4000" required></textarea>
            <button type="submit" class="button">{label}</button>
        </form>
    }
}
