//! Editing a custom section in place on the report page. "Edit" opens the section's
//! Markdown in a textarea; Save sends SPEC §5's `section_update` with the version the text
//! is based on. If someone saved first the server answers `conflict`, and the editor offers
//! the choice — keep mine (send again on their version) or take theirs — without ever
//! dropping what was typed. Others' saves flow into an untouched textarea.
//!
//! The same markup is a plain form to the `edit_section` server function, which is what
//! happens without JavaScript or while the socket is down.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use super::forms::EditSection;
use super::store::{find, live, Conn, Reply, SectionNow};
use super::threads::escape;
use crate::domain::{ReportId, SectionId};

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Saving(String),
    Saved(u32),
    /// Someone saved `version` (with `content`) first.
    Conflict {
        version: u32,
        content: String,
    },
    Failed(String),
}

#[island]
pub fn SectionEditor(
    report_id: ReportId,
    section_id: SectionId,
    /// The section version `markdown` is.
    version: u32,
    markdown: String,
) -> impl IntoView {
    let text = RwSignal::new(markdown.clone());
    let base = RwSignal::new(version);
    // Typed since the last save or adoption: others' saves must not overwrite it.
    let dirty = RwSignal::new(false);
    let status = RwSignal::new(Status::Idle);
    let sid = section_id.to_string();
    follow_others(&sid, text, base, dirty, status);
    follow_replies(&sid, text, base, dirty, status);
    follow_connection(status);

    let save = {
        let sid = sid.clone();
        move || {
            let live = live();
            let id = live.next_id("edit-");
            let frame = super::protocol::section_update(&id, &sid, base.get_untracked(), &text.get_untracked());
            let sent = super::send(&frame);
            if sent {
                live.editing(&sid, &id);
                status.set(Status::Saving(id));
            }
            sent
        }
    };
    let submit = {
        let save = save.clone();
        move |ev: leptos::ev::SubmitEvent| {
            if save() {
                ev.prevent_default();
            }
        }
    };
    let keep_mine = move |_| {
        if let Status::Conflict { version, .. } = status.get_untracked() {
            base.set(version);
            if !save() {
                status.set(Status::Failed("Not connected: try again in a moment.".into()));
            }
        }
    };
    let take_theirs = move |_| {
        if let Status::Conflict { version, content } = status.get_untracked() {
            text.set(content);
            base.set(version);
            dirty.set(false);
            status.set(Status::Idle);
        }
    };
    let field = format!("edit-{section_id}");
    view! {
        <details class="section-edit" data-section=sid>
            <summary class="section-edit-toggle">"Edit"</summary>
            <form method="post" action=EditSection::PATH class="edit-form" on:submit=submit>
                <input type="hidden" name="report_id" value=report_id.to_string() />
                <input type="hidden" name="section_id" value=section_id.to_string() />
                <input type="hidden" name="base_version" value=move || base.get().to_string() />
                <label for=field.clone()>"Markdown"</label>
                <textarea
                    id=field
                    name="content"
                    rows="8"
                    prop:value=move || text.get()
                    // The first text for the server's HTML (and so for a form without
                    // JavaScript); as markup rather than a child text node, which an empty
                    // section would not have to hydrate against.
                    inner_html=escape(&markdown)
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        dirty.set(true);
                    }
                ></textarea>
                <button type="submit" class="button primary">"Save"</button>
                <p class="edit-status" role="status">{move || status_line(&status.get())}</p>
            </form>
            {move || match status.get() {
                Status::Conflict { version, .. } => Some(view! {
                    <div class="conflict" role="alert">
                        <p>{format!("Someone else saved version {version} while you were editing. Your text is still here.")}</p>
                        <button type="button" class="button keep-mine" on:click=keep_mine.clone()>"Keep mine"</button>
                        <button type="button" class="button take-theirs" on:click=take_theirs>"Take theirs"</button>
                    </div>
                }),
                _ => None,
            }}
        </details>
    }
}

fn status_line(s: &Status) -> String {
    match s {
        Status::Idle | Status::Conflict { .. } => String::new(),
        Status::Saving(_) => "Saving…".into(),
        Status::Saved(v) => format!("Saved as version {v}."),
        Status::Failed(e) => format!("Not saved: {e}"),
    }
}

/// Someone else's save: adopted when nothing has been typed here, so Save starts from it —
/// and our own, heard on resume after its ack was lost with the socket, settles our save.
fn follow_others(
    sid: &str,
    text: RwSignal<String>,
    base: RwSignal<u32>,
    dirty: RwSignal<bool>,
    status: RwSignal<Status>,
) {
    let sections = live().sections;
    let sid = sid.to_owned();
    Effect::new(move |_| {
        let Some(now) = sections.with(|s| find(s, &sid).cloned()) else {
            return;
        };
        let Some(content) = now.content.filter(|_| now.version > base.get_untracked()) else {
            return;
        };
        // Our own save, heard on resume after its ack was lost with the socket, is ours too.
        let ours = text.with_untracked(|t| *t == content);
        if ours || !dirty.get_untracked() {
            text.set(content);
            base.set(now.version);
            dirty.set(false);
        }
        if ours && matches!(status.get_untracked(), Status::Saving(_) | Status::Failed(_)) {
            status.set(Status::Saved(now.version));
        }
    });
}

/// A save whose answer was lost with the socket: say so (the text stays, Save sends again;
/// if it had been stored, its event on resume settles it, see [`follow_others`]).
fn follow_connection(status: RwSignal<Status>) {
    let conn = live().conn;
    Effect::new(move |_| {
        let lost = matches!(conn.get(), Conn::Reconnecting | Conn::Offline | Conn::Paused);
        if lost && matches!(status.get_untracked(), Status::Saving(_)) {
            status.set(Status::Failed(
                "the connection dropped before the server answered; your text is still here, save again".into(),
            ));
        }
    });
}

/// The answer to our save: accepted (the section shows it), refused, or stale.
fn follow_replies(
    sid: &str,
    text: RwSignal<String>,
    base: RwSignal<u32>,
    dirty: RwSignal<bool>,
    status: RwSignal<Status>,
) {
    let live = live();
    let replies = live.replies.clone();
    let sid = sid.to_owned();
    Effect::new(move |_| {
        let Status::Saving(id) = status.get() else { return };
        match replies.with(|r| find(r, &id).cloned()) {
            Some(Reply::Accepted { version: Some(v) }) => {
                base.set(v);
                dirty.set(false);
                status.set(Status::Saved(v));
                // Our own save is not echoed back: the section fetches its new HTML.
                let mine = SectionNow {
                    version: v,
                    content: Some(text.get_untracked()),
                    html: None,
                };
                live.section_at(&sid, mine);
            }
            Some(Reply::Accepted { version: None }) => status.set(Status::Idle),
            Some(Reply::Failed(e)) => status.set(Status::Failed(e)),
            Some(Reply::Stale { version, content }) => status.set(Status::Conflict { version, content }),
            None => {}
        }
    });
}
