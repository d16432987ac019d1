//! The frame of every page: a header with navigation and who is signed in, the main
//! region, a footer.

use leptos::prelude::*;

use crate::services::Principal;

fn principal() -> Option<Principal> {
    use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Principal>().cloned())
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let user = principal();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/" aria-label="PMR home">
                <span class="brand-mark" aria-hidden="true">"▮"</span>
                "PMR"
            </a>
            <nav class="topnav" aria-label="Main">
                <a href="/">"Portfolio"</a>
                <a href="/performance">"Performance"</a>
            </nav>
            <div class="user">
                {match user {
                    Some(p) if p.signed_in => {
                        view! {
                            <span class="user-name">{p.name.clone()}</span>
                            <span class="badge role">{p.role.as_str()}</span>
                            <form method="post" action="/auth/sign-out" class="inline-form">
                                <button type="submit" class="link-button">"Sign out"</button>
                            </form>
                        }
                            .into_any()
                    }
                    _ => view! { <a href="/sign-in">"Sign in"</a> }.into_any(),
                }}
            </div>
        </header>
        <main id="main" class="container">{children()}</main>
        <footer class="footer">"PMR — Project Monthly Reports"</footer>
    }
}
