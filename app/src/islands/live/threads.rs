//! Comment threads under a section: a closed `<details>` (opening it is the reader's doing,
//! so a comment arriving live changes only the count in its summary — nothing shifts), the
//! threads with replies under their parent, and for editors the forms to comment, reply and
//! resolve. Rendered on the server from the comments it is given, so it all works without
//! JavaScript; once the socket has the report's comments they replace that list and stay
//! live, and the forms send over the socket instead of posting.
//!
//! Only what changes re-renders (memos per thread): a reply being typed in one thread is
//! never wiped by a comment arriving in another.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use super::forms::{AddComment, ResolveComment};
use super::store::{find, live, Reply};
use crate::domain::{ReportId, SectionId};
use crate::dto::Comment;

#[island]
pub fn CommentThreads(
    report_id: ReportId,
    section_id: SectionId,
    /// This section's comments as the page was rendered.
    comments: Vec<Comment>,
    can_comment: bool,
) -> impl IntoView {
    let store = live().comments;
    let all = {
        let section_id = section_id.clone();
        Memo::new(move |_| match store.get() {
            Some(all) => all.into_iter().filter(|c| c.section_id == section_id).collect(),
            None => comments.clone(),
        })
    };
    let roots = Memo::new(move |_| {
        all.get()
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| c.id)
            .collect::<Vec<_>>()
    });
    let (anchor, section) = (format!("comments-{section_id}"), section_id.to_string());
    let ids = Ids { report_id, section_id };
    let new_form = can_comment.then(|| view! { <CommentForm ids=ids.clone() parent=None label="Add a comment" /> });
    view! {
        <details class="comments" id=anchor data-section=section>
            <summary class="comments-summary">{move || summary(&all.get())}</summary>
            <ol class="threads">
                <For each=move || roots.get() key=|id| *id let(id)>
                    <Thread ids=ids.clone() id all can_comment />
                </For>
            </ol>
            {new_form}
        </details>
    }
}

/// What every form of the island needs to name.
#[derive(Clone)]
struct Ids {
    report_id: ReportId,
    section_id: SectionId,
}

fn summary(comments: &[Comment]) -> String {
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

#[component]
fn Thread(ids: Ids, id: i64, all: Memo<Vec<Comment>>, can_comment: bool) -> impl IntoView {
    let root = Memo::new(move |_| all.get().into_iter().find(|c| c.id == id));
    let resolved = Memo::new(move |_| root.get().is_some_and(|c| c.resolved_at.is_some()));
    let replies = Memo::new(move |_| {
        all.get()
            .into_iter()
            .filter(|c| c.parent_id == Some(id))
            .collect::<Vec<_>>()
    });
    view! {
        <li class="thread" data-comment=id data-resolved=move || resolved.get().to_string()>
            {move || root.get().map(|c| view! { <CommentBody comment=c /> })}
            <ol class="replies">
                <For each=move || replies.get() key=|c| c.id let(c)>
                    <li><CommentBody comment=c /></li>
                </For>
            </ol>
            {move || {
                (can_comment && !resolved.get())
                    .then(|| {
                        view! {
                            <CommentForm ids=ids.clone() parent=Some(id) label="Reply" />
                            <ResolveForm ids=ids.clone() id />
                        }
                    })
            }}
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

/// A comment or reply form. Over the socket the text stays until the server accepts it.
#[component]
fn CommentForm(ids: Ids, parent: Option<i64>, label: &'static str) -> impl IntoView {
    let field = format!(
        "comment-{}-{}",
        ids.section_id,
        parent.map_or_else(|| "new".to_owned(), |p| p.to_string())
    );
    let text = RwSignal::new(String::new());
    let sent = Sent::new(move || text.set(String::new()));
    let section = ids.section_id.to_string();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let id = live().next_id("comment-");
        let frame = super::protocol::comment_add(&id, &section, &text.get_untracked(), parent);
        if super::send(&frame) {
            ev.prevent_default();
            sent.waiting.set(Some(id));
        }
    };
    view! {
        <form method="post" action=AddComment::PATH class="comment-form" on:submit=submit>
            <input type="hidden" name="report_id" value=ids.report_id.to_string() />
            <input type="hidden" name="section_id" value=ids.section_id.to_string() />
            {parent.map(|p| view! { <input type="hidden" name="parent_id" value=p.to_string() /> })}
            <label for=field.clone()>{label}</label>
            <textarea
                id=field
                name="content"
                rows="2"
                maxlength="4000"
                required
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <button type="submit" class="button">{label}</button>
            {move || sent.failed.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
}

#[component]
fn ResolveForm(ids: Ids, id: i64) -> impl IntoView {
    let sent = Sent::new(|| {});
    let submit = move |ev: leptos::ev::SubmitEvent| {
        let msg = live().next_id("resolve-");
        if super::send(&super::protocol::comment_resolve(&msg, id)) {
            ev.prevent_default();
            sent.waiting.set(Some(msg));
        }
    };
    view! {
        <form method="post" action=ResolveComment::PATH class="inline-form resolve-form" on:submit=submit>
            <input type="hidden" name="report_id" value=ids.report_id.to_string() />
            <input type="hidden" name="comment_id" value=id.to_string() />
            <button type="submit" class="link-button">"Resolve"</button>
            {move || sent.failed.get().map(|e| view! { <span class="form-error" role="alert">{e}</span> })}
        </form>
    }
}

/// A message sent over the socket, waiting for its `ack` or `error`.
#[derive(Clone, Copy)]
struct Sent {
    waiting: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
}

impl Sent {
    fn new(on_accepted: impl Fn() + Send + Sync + 'static) -> Self {
        let sent = Self {
            waiting: RwSignal::new(None),
            failed: RwSignal::new(None),
        };
        let replies = live().replies;
        Effect::new(move |_| {
            let Some(id) = sent.waiting.get() else { return };
            match replies.with(|r| find(r, &id).cloned()) {
                Some(Reply::Accepted { .. }) => {
                    sent.waiting.set(None);
                    sent.failed.set(None);
                    on_accepted();
                }
                Some(Reply::Failed(e)) => {
                    sent.waiting.set(None);
                    sent.failed.set(Some(e));
                }
                Some(Reply::Stale { .. }) | None => {}
            }
        });
        sent
    }
}
