//! "Loaded X of N sections" — a line that counts the lazy sections as they arrive and goes
//! away once all are there.
//!
//! Islands are separate roots, so the count lives in one page-wide signal that
//! [`LazySection`](super::LazySection) increments; the line is fixed-position so its
//! appearance never shifts the report.

use leptos::prelude::*;

thread_local! {
    static LOADED: ArcRwSignal<usize> = ArcRwSignal::new(0);
}

/// Called by a lazy section once its content is in the page.
pub(crate) fn mark_loaded() {
    LOADED.with(|c| c.update(|n| *n += 1));
}

#[island]
pub fn SectionProgress(
    /// Sections on the page.
    total: usize,
    /// Sections already in the first HTML (high priority).
    preloaded: usize,
) -> impl IntoView {
    let loaded = LOADED.with(|c| c.clone());
    // Without JavaScript nothing would ever count up, so the line only appears once hydrated.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let done = move || preloaded + loaded.get();
    view! {
        <p class="section-progress" role="status" aria-live="polite">
            {move || {
                (hydrated.get() && done() < total)
                    .then(|| format!("Loaded {} of {} sections", done().min(total), total))
            }}
        </p>
    }
}
