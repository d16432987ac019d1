//! One island for every medium/low section: a placeholder that keeps the section's final
//! height, watches its own visibility, fetches the server-rendered section through
//! [`report_section`] when it is due, and shows a skeleton, the content, or the failure with
//! a Retry button.
//!
//! Medium sections are due when their head comes within 200 px of the viewport (threshold
//! 0.1); low ones only when the head is in the viewport. Either kind also loads as soon as
//! any part of it is actually visible (a reader who jumps past the head still gets it).
//!
//! A newer version of the section heard on the page's live socket replaces what is shown,
//! in place, keeping at least the height it had (nothing below it moves up).

use leptos::{html, prelude::*};

use crate::domain::{ReportId, SectionId};
use crate::dto::{Priority, SectionHtml};
use crate::error::AppError;

/// Fetches one section of a report, rendered to HTML on the server (cache first).
/// `version` is the section version the page showed (optional): while it is current the
/// cached HTML is found in one read. Unknown report or section → 404 and nothing cached.
#[server(prefix = "/api/fn", endpoint = "report_section")]
pub async fn report_section(
    report_id: String,
    section_id: String,
    version: Option<u32>,
) -> Result<SectionHtml, AppError> {
    use self::ssr::*;
    let report = arg("report_id", &report_id, ReportId::parse).map_err(AppError::respond)?;
    let section = arg("section_id", &section_id, SectionId::parse).map_err(AppError::respond)?;
    lazy_section_html(&report, &section, version)
        .await
        .map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::domain::arg;
    pub use crate::sections::lazy_section_html;
}

#[derive(Clone, PartialEq)]
enum State {
    Waiting,
    Loading,
    Loaded(String),
    Failed(String),
}

#[island]
pub fn LazySection(
    report_id: ReportId,
    section_id: SectionId,
    version: u32,
    title: String,
    priority: Priority,
) -> impl IntoView {
    let state = RwSignal::new(State::Waiting);
    let head = NodeRef::<html::Div>::new();
    let root = NodeRef::<html::Div>::new();
    let href = format!("/reports/{report_id}/sections/{section_id}");

    let load = {
        let (report_id, section_id) = (report_id.clone(), section_id.clone());
        move || {
            // Only from Waiting: observers firing again never retry a failure by themselves;
            // the Retry button puts the island back to Waiting first.
            if state.get_untracked() != State::Waiting {
                return;
            }
            state.set(State::Loading);
            let (report_id, section_id) = (report_id.clone(), section_id.clone());
            leptos::task::spawn_local(async move {
                match report_section(report_id.to_string(), section_id.to_string(), Some(version)).await {
                    // A live update may have filled it meanwhile, with something newer.
                    Ok(section) if state.get_untracked() == State::Loading => {
                        state.set(State::Loaded(section.html));
                        super::progress::mark_loaded();
                    }
                    Ok(_) => {}
                    Err(e) => state.set(State::Failed(e.to_string())),
                }
            });
        }
    };

    #[cfg(feature = "hydrate")]
    {
        let load = load.clone();
        Effect::new(move |_| {
            let (Some(head_el), Some(root_el)) = (head.get(), root.get()) else {
                return;
            };
            let (margin, threshold) = match priority {
                Priority::Medium => ("200px 0px", 0.1),
                _ => ("0px", 0.0),
            };
            let l = load.clone();
            let near = super::observer::when_visible(&head_el, margin, threshold, l);
            let l = load.clone();
            super::observer::when_visible(&root_el, "0px", 0.0, move || {
                if let Some(o) = &near {
                    o.disconnect();
                }
                l()
            });
            // Lets tests (and curious readers) tell a live island from server HTML.
            let _ = root_el.set_attribute("data-hydrated", "true");
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&head, priority);

    follow_live(&report_id, &section_id, version, state, root);

    let retry = move |_| {
        state.set(State::Waiting);
        load();
    };

    view! {
        <div class="lazy" node_ref=root data-state=move || state_name(&state.get())>
            <div class="lazy-head" node_ref=head aria-hidden="true"></div>
            {move || match state.get() {
                State::Waiting => {
                    view! {
                        <div class="placeholder">
                            <p class="placeholder-text">{format!("Loading {title}…")}</p>
                            <a class="placeholder-link" href=href.clone()>
                                {format!("Open “{title}” on its own page")}
                            </a>
                        </div>
                    }
                        .into_any()
                }
                State::Loading => view! { <Skeleton /> }.into_any(),
                State::Loaded(html) => view! { <div class="lazy-content" inner_html=html></div> }.into_any(),
                State::Failed(error) => {
                    view! {
                        <div class="lazy-failed" role="alert">
                            <p class="failed-title">{format!("Failed to load {title}")}</p>
                            <p class="failed-error">{error}</p>
                            <button type="button" class="button" on:click=retry.clone()>
                                "Retry"
                            </button>
                        </div>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// Shows versions newer than `version` as the page's live socket hears of them: with their
/// HTML when it came along, else fetched (our own save) — unless the section is not loaded
/// yet, when its first load will bring the current version anyway.
fn follow_live(
    report_id: &ReportId,
    section_id: &SectionId,
    version: u32,
    state: RwSignal<State>,
    root: NodeRef<html::Div>,
) {
    let sections = super::live::live().sections;
    let (report, section) = (report_id.to_string(), section_id.to_string());
    let shown = StoredValue::new(version);
    Effect::new(move |_| {
        let Some(now) = sections.with(|s| super::live::find(s, &section).cloned()) else {
            return;
        };
        if now.version <= shown.get_value() {
            return;
        }
        shown.set_value(now.version);
        hold_height(root);
        let was = state.get_untracked();
        match now.html {
            Some(html) => {
                if !matches!(was, State::Loaded(_)) {
                    super::progress::mark_loaded();
                }
                state.set(State::Loaded(html));
            }
            None if matches!(was, State::Loaded(_)) => {
                let (report, section) = (report.clone(), section.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(s) = report_section(report, section, Some(now.version)).await {
                        if shown.get_value() == now.version {
                            state.set(State::Loaded(s.html));
                        }
                    }
                });
            }
            None => {}
        }
    });
}

/// Pins the section's current height as its minimum, so new content never pulls what
/// follows upwards (growing past it is the only shift left, and only for longer text).
fn hold_height(root: NodeRef<html::Div>) {
    #[cfg(feature = "hydrate")]
    if let Some(el) = root.get_untracked() {
        let _ = web_sys::HtmlElement::style(&el).set_property("min-height", &format!("{}px", el.offset_height()));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = root;
}

fn state_name(s: &State) -> &'static str {
    match s {
        State::Waiting => "waiting",
        State::Loading => "loading",
        State::Loaded(_) => "loaded",
        State::Failed(_) => "failed",
    }
}

#[component]
fn Skeleton() -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-label="Loading">
            <span class="skeleton-line"></span>
            <span class="skeleton-line"></span>
            <span class="skeleton-line short"></span>
        </div>
    }
}
