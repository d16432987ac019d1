//! The HTML document and the route table. Pages that load data render with
//! `SsrMode::Async`, so the first HTML already holds everything above the lazy sections and
//! the status code (404 for an unknown id) is known before the first byte goes out.

use leptos::nonce::Nonce;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{NotFoundPage, PerformancePage, PortfolioPage, ProjectPage, ReportPage, SectionPage, SignInPage};

/// The per-request CSP nonce, put in the request's extensions by the server's security
/// layer; the hydration script carries it so no inline script runs without it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The built stylesheet's file name (content-hashed), provided by the server. The script
/// and WebAssembly names come to Leptos's hydration scripts through its hash file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetNames {
    pub css: String,
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    if let Some(nonce) = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned()) {
        provide_context(Nonce::from_value(nonce.0));
    }
    let css = use_context::<AssetNames>().map_or_else(|| "pmr.css".to_owned(), |a| a.css);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href=format!("/pkg/{css}") />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| format!("{} · PMR", escape_title(&page)) />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/") view=PortfolioPage ssr=SsrMode::Async />
                <Route path=path!("/projects/:id") view=ProjectPage ssr=SsrMode::Async />
                <Route path=path!("/reports/:id") view=ReportPage ssr=SsrMode::Async />
                <Route
                    path=path!("/reports/:id/sections/:section")
                    view=SectionPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/performance") view=PerformancePage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// `leptos_meta` writes the title into `<title>` as it is, unescaped; project names and
/// section titles are user text, so the page's title is escaped here (the only place a
/// title is formatted).
fn escape_title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn titles_cannot_close_their_element() {
        assert_eq!(
            super::escape_title("</title><script>x</script> & \"q\""),
            "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
