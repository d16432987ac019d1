//! Custom sections: Markdown written by people, rendered and sanitised on the server before
//! it gets here (the HTML is trusted as produced by the server's Markdown renderer).

use leptos::prelude::*;

/// Lines the section will take on a laptop-width column, so its placeholder can reserve
/// them: wrapped at ~90 characters, blank lines count once, at least 3 and at most 40.
pub fn custom_rows(markdown: &str) -> u32 {
    let lines: usize = markdown.lines().map(|l| l.chars().count().div_ceil(90).max(1)).sum();
    (lines as u32).clamp(3, super::MAX_ROWS)
}

#[component]
pub fn Markdown(html: String) -> impl IntoView {
    if html.trim().is_empty() {
        view! { <p class="empty">"Nothing written here yet."</p> }.into_any()
    } else {
        view! { <div class="markdown" inner_html=html></div> }.into_any()
    }
}
