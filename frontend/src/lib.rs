//! The WASM entry point: installs the panic hook and hydrates the islands of the
//! server-rendered page. Everything else lives in `app`.

// Linking `app` is what brings its `#[island]` exports into this bundle.
pub use app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
