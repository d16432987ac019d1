//! The insights section: each insight as a card with its category, priority, confidence,
//! and an expandable rationale (a `<details>`, so it needs no JavaScript).

use engine::insights::Insight;
use leptos::prelude::*;

fn label<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

#[component]
pub fn InsightList(insights: Vec<Insight>) -> impl IntoView {
    if insights.is_empty() {
        return view! { <p class="empty">"No insight reaches the confidence threshold for this period."</p> }
            .into_any();
    }
    view! {
        <ol class="insights">
            {insights.into_iter().map(|i| view! { <InsightCard insight=i /> }).collect_view()}
        </ol>
    }
    .into_any()
}

#[component]
fn InsightCard(insight: Insight) -> impl IntoView {
    let i = insight;
    let priority = label(&i.priority);
    let confidence = format!("Confidence: {:.0}%", (i.confidence * 100.0).round());
    let slope = i.rationale.trend_slope.map(|s| format!("{s:+.3} per month"));
    view! {
        <li class=format!("insight priority-{priority}")>
            <div class="insight-head">
                <span class=format!("badge priority priority-{priority}")>{priority.clone()}</span>
                <span class="badge category">{label(&i.category)}</span>
                <span class="badge kind">{label(&i.kind)}</span>
                <h3 class="insight-title">{i.title}</h3>
            </div>
            <p class="insight-content">{i.content}</p>
            <details class="rationale">
                <summary>
                    <span class="confidence">{confidence}</span>
                    " · Rationale"
                </summary>
                <dl class="facts">
                    {i
                        .rationale
                        .facts
                        .into_iter()
                        .map(|f| view! { <div><dt>{f.label}</dt><dd>{f.value}</dd></div> })
                        .collect_view()}
                    {slope.map(|s| view! { <div><dt>"Trend"</dt><dd>{s}</dd></div> })}
                    <div><dt>"Months of data"</dt><dd>{i.rationale.months_of_data}</dd></div>
                </dl>
                {(!i.recommended_actions.is_empty())
                    .then(|| {
                        view! {
                            <p class="actions-title">"Recommended actions"</p>
                            <ul class="actions">
                                {i.recommended_actions.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}
                            </ul>
                        }
                    })}
            </details>
        </li>
    }
}
