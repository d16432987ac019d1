//! IntersectionObserver glue (browser only): calls back once when a target becomes
//! visible under the given margin and threshold, then stops observing.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// Observes `target`; runs `on_visible` the first time it intersects. Returns the observer
/// so the caller can disconnect it when the section loads by another route.
pub fn when_visible(
    target: &Element,
    root_margin: &str,
    threshold: f64,
    on_visible: impl Fn() + 'static,
) -> Option<IntersectionObserver> {
    let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: IntersectionObserver| {
            let visible = entries.iter().any(|e| {
                e.dyn_into::<IntersectionObserverEntry>()
                    .map(|e| e.is_intersecting() && e.intersection_ratio() >= threshold)
                    .unwrap_or(false)
            });
            if visible {
                observer.disconnect();
                on_visible();
            }
        },
    );
    let options = IntersectionObserverInit::new();
    options.set_root_margin(root_margin);
    options.set_threshold(&JsValue::from_f64(threshold));
    let observer = IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options).ok()?;
    observer.observe(target);
    // The callback lives as long as the page (islands are never unmounted). So must the
    // observer: with no JS reference left, Chromium may collect it and it silently stops
    // reporting — a section scrolled into view would then never load. It disconnects
    // itself once it has fired, so keeping it costs nothing afterwards.
    callback.forget();
    std::mem::forget(observer.clone());
    Some(observer)
}
