//! The executive summary: overall status, narrative, key figures, highlights, and how
//! complete the report is.

use leptos::prelude::*;

use crate::components::{format, RagBadge};
use crate::services::SummaryContent;

#[component]
pub fn Summary(content: SummaryContent) -> impl IntoView {
    let s = content.summary;
    view! {
        <div class="summary">
            <p class="headline">
                <RagBadge rag=s.overall label="Overall" />
                <strong>{s.headline}</strong>
            </p>
            <div class="narrative">
                {s.narrative.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
            <ul class="key-figures">
                {s
                    .key_figures
                    .into_iter()
                    .map(|k| {
                        view! {
                            <li>
                                <span class="kf-label">{k.label}</span>
                                <span class="kf-value">{k.value}</span>
                                {k.rag.map(|r| view! { <RagBadge rag=r /> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {(!s.highlights.is_empty())
                .then(|| {
                    view! {
                        <h3>"Highlights"</h3>
                        <ul class="highlights">
                            {s.highlights.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <p class="completeness">"Report completeness: " {format::percent(Some(content.completeness))}</p>
        </div>
    }
}
