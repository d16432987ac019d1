//! How a page shows a failure: the right HTTP status and a short, useful message.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// Sets the response status for `error` and renders its panel.
pub fn page_error(error: AppError) -> AnyView {
    let error = error.respond();
    let (title, detail) = match &error {
        AppError::NotFound(what) => ("Not found".to_owned(), format!("There is no {what}.")),
        AppError::Forbidden(why) => ("Not allowed".to_owned(), format!("You are signed in, but this {why}.")),
        AppError::Unauthorized => ("Sign-in required".to_owned(), "Please sign in to continue.".to_owned()),
        other => ("Something went wrong".to_owned(), other.to_string()),
    };
    view! {
        <Title text=title.clone() />
        <section class="panel error-panel">
            <h1>{title}</h1>
            <p>{detail}</p>
            <p>
                <a href="/">"Back to the portfolio"</a>
            </p>
        </section>
    }
    .into_any()
}

/// A trail of links: (label, href) pairs; the last is the current page.
#[component]
pub fn Breadcrumbs(items: Vec<(String, Option<String>)>) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                {items
                    .into_iter()
                    .map(|(label, href)| match href {
                        Some(h) => view! { <li><a href=h>{label}</a></li> }.into_any(),
                        None => view! { <li aria-current="page">{label}</li> }.into_any(),
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}
