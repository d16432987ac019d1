//! Small labelled badges. Colour is never the only signal: each badge carries its text.

use engine::metrics::Rag;
use leptos::prelude::*;

use crate::domain::ReportStatus;
use crate::dto::Priority;

#[component]
pub fn RagBadge(rag: Rag, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let class = format!("badge rag rag-{}", rag_class(rag));
    let text = match label {
        Some(l) => format!("{l}: {}", rag.label()),
        None => rag.label().to_owned(),
    };
    view! { <span class=class>{text}</span> }
}

pub fn rag_class(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "green",
        Rag::Amber => "amber",
        Rag::Red => "red",
        Rag::NotAvailable => "na",
    }
}

#[component]
pub fn StatusBadge(status: ReportStatus) -> impl IntoView {
    let class = format!("badge status status-{status}");
    view! { <span class=class>{status.as_str()}</span> }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    let class = format!("badge priority priority-{}", priority.as_str());
    view! { <span class=class>{priority.as_str()}</span> }
}
