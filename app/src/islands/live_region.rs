//! A region of a server-rendered page that refreshes itself: every few seconds it asks a
//! server function for the region's HTML (rendered by the same server component that drew
//! the first paint) and swaps it in. Without JavaScript the first paint simply stays.

use leptos::{html, prelude::*};

use crate::error::AppError;

/// The performance dashboard's body, rendered on the server (viewer).
#[server(prefix = "/api/fn", endpoint = "performance_snapshot")]
pub async fn performance_snapshot() -> Result<String, AppError> {
    use self::ssr::*;
    dashboard_html().await.map_err(AppError::respond)
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::pages::dashboard_html;
}

#[island]
pub fn LiveRegion(
    /// How often to refresh, in ms.
    every_ms: u32,
    children: Children,
) -> impl IntoView {
    let region = NodeRef::<html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{closure::Closure, JsCast};
        Effect::new(move |_| {
            let Some(window) = web_sys::window() else { return };
            if let Some(el) = region.get() {
                let _ = el.set_attribute("data-hydrated", "true");
            }
            let tick = Closure::<dyn FnMut()>::new(move || {
                leptos::task::spawn_local(async move {
                    if let (Ok(html), Some(el)) = (performance_snapshot().await, region.get_untracked()) {
                        el.set_inner_html(&html);
                    }
                });
            });
            let _ = window
                .set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), every_ms as i32);
            // The interval lives as long as the page.
            tick.forget();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = every_ms;
    view! {
        <div class="live-region" node_ref=region aria-live="polite">
            {children()}
        </div>
    }
}
