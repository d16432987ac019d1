//! Comment threads under a section: a closed `<details>` (opening it is the reader's doing,
//! so a comment arriving live changes only the count in its summary — nothing shifts), the
//! threads with replies under their parent, and for editors plain forms to comment, reply
//! and resolve. The server renders all of it (the island's children), so it works without
//! JavaScript.
//!
//! In the browser the island keeps it live: once the socket has the report's comments, the
//! list is redrawn from them with the same renderer ([`threads_html`]), keeping whatever is
//! being typed in a reply; the forms' submits are caught (one listener for all of them) and
//! sent over the socket instead of posting. Markup from one string renderer rather than a
//! reactive view per thread keeps this island a few kB in the bundle.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use super::forms::{AddComment, ResolveComment};
use crate::domain::{ReportId, SectionId};
use crate::dto::Comment;

#[island]
pub fn CommentThreads(
    report_id: ReportId,
    section_id: SectionId,
    can_comment: bool,
    /// The summary line as the page was rendered.
    summary: String,
    /// The server-rendered threads and form ([`threads_html`], [`comment_form_html`]).
    children: Children,
) -> impl IntoView {
    let store = super::live().comments;
    let wrap = NodeRef::<leptos::html::Div>::new();
    let failed = RwSignal::new(None::<String>);
    let mine = {
        let section_id = section_id.clone();
        move |all: &[Comment]| {
            all.iter()
                .filter(|c| c.section_id == section_id)
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let summary = {
        let (store, mine) = (store.clone(), mine.clone());
        move || {
            store
                .with(|all| all.as_deref().map(|all| summary_line(&mine(all))))
                .unwrap_or_else(|| summary.clone())
        }
    };
    #[cfg(feature = "hydrate")]
    browser::keep_live(report_id.as_str(), section_id.as_str(), can_comment, wrap, failed, mine);
    #[cfg(not(feature = "hydrate"))]
    let _ = (&report_id, can_comment, mine);
    view! {
        <details class="comments" id=format!("comments-{section_id}") data-section=section_id.to_string() on:submit=move |ev| {
            #[cfg(feature = "hydrate")]
            browser::submit(ev, failed);
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }>
            <summary class="comments-summary">{summary}</summary>
            <div class="threads-wrap" node_ref=wrap>{children()}</div>
            <p class="form-error" role="alert">{move || failed.get()}</p>
        </details>
    }
}

/// "Comments (n, o open)".
pub fn summary_line(comments: &[Comment]) -> String {
    let open = comments
        .iter()
        .filter(|c| c.parent_id.is_none() && c.resolved_at.is_none())
        .count();
    match (comments.len(), open) {
        (0, _) => "Comments".to_owned(),
        (n, 0) => format!("Comments ({n}, all resolved)"),
        (n, o) => format!("Comments ({n}, {o} open)"),
    }
}

/// The `<li>` of every thread of one section's comments, replies under their parent, with
/// the reply and resolve forms of open threads for those who may comment.
pub fn threads_html(report_id: &str, section_id: &str, comments: &[Comment], can_comment: bool) -> String {
    let mut out = String::new();
    for root in comments.iter().filter(|c| c.parent_id.is_none()) {
        let resolved = root.resolved_at.is_some();
        out += &format!(
            r#"<li class="thread" data-comment="{}" data-resolved="{resolved}">"#,
            root.id
        );
        out += &comment_html(root);
        out += r#"<ol class="replies">"#;
        for reply in comments.iter().filter(|c| c.parent_id == Some(root.id)) {
            out += &format!("<li>{}</li>", comment_html(reply));
        }
        out += "</ol>";
        if can_comment && !resolved {
            out += &comment_form_html(report_id, section_id, Some(root.id));
            out += &format!(
                r#"<form method="post" action="{}" class="inline-form resolve-form"><input type="hidden" name="report_id" value="{}"/><input type="hidden" name="comment_id" value="{}"/><button type="submit" class="link-button">Resolve</button></form>"#,
                ResolveComment::PATH,
                escape(report_id),
                root.id
            );
        }
        out += "</li>";
    }
    out
}

fn comment_html(c: &Comment) -> String {
    let meta = match &c.resolved_by {
        Some(by) => format!("{} · {} · resolved by {by}", c.author, c.created_at),
        None => format!("{} · {}", c.author, c.created_at),
    };
    // `html` is rendered and sanitised on the server (see the server's markdown module).
    format!(
        r#"<div class="comment" data-comment-id="{}"><p class="comment-meta">{}</p><div class="comment-text markdown">{}</div></div>"#,
        c.id,
        escape(&meta),
        c.html
    )
}

/// A form to comment on the section, or to reply to `parent`.
pub fn comment_form_html(report_id: &str, section_id: &str, parent: Option<i64>) -> String {
    let (label, which, parent_input) = match parent {
        Some(p) => (
            "Reply",
            p.to_string(),
            format!(r#"<input type="hidden" name="parent_id" value="{p}"/>"#),
        ),
        None => ("Add a comment", "new".to_owned(), String::new()),
    };
    let (report_id, section_id) = (escape(report_id), escape(section_id));
    format!(
        r#"<form method="post" action="{action}" class="comment-form"><input type="hidden" name="report_id" value="{report_id}"/><input type="hidden" name="section_id" value="{section_id}"/>{parent_input}<label for="comment-{section_id}-{which}">{label}</label><textarea id="comment-{section_id}-{which}" name="content" rows="2" maxlength="4000" required=""></textarea><button type="submit" class="button">{label}</button></form>"#,
        action = AddComment::PATH
    )
}

/// Text as HTML (character data or a quoted attribute value).
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Browser only: redrawing the list and sending the forms over the socket.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{FormData, HtmlElement, HtmlFormElement, HtmlTextAreaElement};

    use crate::dto::Comment;
    use crate::islands::live::store::{find, live, Reply};

    thread_local! {
        /// Comment messages in flight: (message id, the textarea to clear once accepted).
        static PENDING: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Redraws the threads when the comments change, and settles sent messages.
    pub fn keep_live(
        report_id: &str,
        section_id: &str,
        can_comment: bool,
        wrap: NodeRef<leptos::html::Div>,
        failed: RwSignal<Option<String>>,
        mine: impl Fn(&[Comment]) -> Vec<Comment> + Send + Sync + 'static,
    ) {
        let live = live();
        let (report_id, section_id) = (report_id.to_owned(), section_id.to_owned());
        let store = live.comments.clone();
        Effect::new(move |_| {
            let Some(comments) = store.with(|all| all.as_deref().map(&mine)) else {
                return;
            };
            let html = super::threads_html(&report_id, &section_id, &comments, can_comment);
            if let Some(list) = wrap
                .get_untracked()
                .and_then(|w| w.query_selector("ol.threads").ok().flatten())
            {
                redraw(&list, &html);
            }
        });
        let replies = live.replies.clone();
        Effect::new(move |_| {
            replies.with(|r| {
                PENDING.with(|p| {
                    p.borrow_mut().retain(|(id, field)| match find(r, id) {
                        Some(Reply::Accepted { .. }) => {
                            if let Some(t) = by_id::<HtmlTextAreaElement>(field) {
                                t.set_value("");
                            }
                            false
                        }
                        Some(Reply::Failed(e)) => {
                            failed.set(Some(e.clone()));
                            false
                        }
                        _ => true,
                    })
                })
            });
        });
    }

    /// Replaces the list, keeping what was typed in its textareas and where the caret was.
    fn redraw(list: &web_sys::Element, html: &str) {
        let typed: Vec<(String, String)> = list
            .query_selector_all("textarea")
            .ok()
            .map(|nodes| {
                (0..nodes.length())
                    .filter_map(|i| nodes.get(i)?.dyn_into::<HtmlTextAreaElement>().ok())
                    .map(|t| (t.id(), t.value()))
                    .filter(|(_, v)| !v.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .map(|e| e.id());
        list.set_inner_html(html);
        for (id, value) in typed {
            if let Some(t) = by_id::<HtmlTextAreaElement>(&id) {
                t.set_value(&value);
            }
        }
        if let Some(el) = focused.and_then(|id| by_id::<HtmlElement>(&id)) {
            let _ = el.focus();
        }
    }

    /// A comment, reply or resolve form was submitted: send it over the socket if there is
    /// one (the form does not post then).
    pub fn submit(ev: web_sys::SubmitEvent, failed: RwSignal<Option<String>>) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        let Ok(data) = FormData::new_with_form(&form) else {
            return;
        };
        let field = |name: &str| data.get(name).as_string();
        let live = live();
        let (id, frame, textarea) = if let Some(comment) = field("comment_id") {
            let id = live.next_id("resolve-");
            let Ok(comment) = comment.parse::<i64>() else { return };
            let frame = super::super::protocol::comment_resolve(&id, comment);
            (id, frame, String::new())
        } else {
            let (Some(section), Some(content)) = (field("section_id"), field("content")) else {
                return;
            };
            let parent = field("parent_id").and_then(|p| p.parse::<i64>().ok());
            let id = live.next_id("comment-");
            let frame = super::super::protocol::comment_add(&id, &section, &content, parent);
            let which = parent.map_or_else(|| "new".to_owned(), |p| p.to_string());
            (id, frame, format!("comment-{section}-{which}"))
        };
        if super::super::send(&frame) {
            ev.prevent_default();
            failed.set(None);
            PENDING.with(|p| p.borrow_mut().push((id, textarea)));
        }
    }

    fn by_id<T: JsCast>(id: &str) -> Option<T> {
        web_sys::window()?
            .document()?
            .get_element_by_id(id)?
            .dyn_into::<T>()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(id: i64, parent_id: Option<i64>, author: &str) -> Comment {
        Comment {
            id,
            section_id: SectionId::parse("notes").expect("a section id"),
            parent_id,
            author: author.to_owned(),
            content: "x".into(),
            html: "<p>x</p>".into(),
            created_at: "2026-11-01".into(),
            resolved_by: None,
            resolved_at: None,
        }
    }

    #[test]
    fn replies_sit_under_their_thread_and_names_stay_text() {
        let all = [
            comment(1, None, "<b>ann</b>"),
            comment(2, Some(1), "bob"),
            comment(3, None, "cy"),
        ];
        let html = threads_html("r-1", "notes", &all, true);
        assert_eq!(html.matches(r#"<li class="thread""#).count(), 2);
        let first = &html[..html.find(r#"data-comment="3""#).expect("thread 3")];
        assert!(first.contains(r#"data-comment-id="2""#), "the reply is in thread 1");
        assert!(html.contains("&lt;b&gt;ann&lt;/b&gt;") && !html.contains("<b>ann"));
        assert_eq!(html.matches("resolve-form").count(), 2);
        assert!(!threads_html("r-1", "notes", &all, false).contains("<form"));
        assert_eq!(summary_line(&all), "Comments (3, 2 open)");
    }
}
