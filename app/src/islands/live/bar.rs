//! The live bar of a report page: the connection's state and who else is reading. It is
//! the island that starts the page's socket. Fixed to a corner of the screen, so whatever
//! it shows never moves the report; hidden until hydrated (without JavaScript there is no
//! live connection to speak of).

use leptos::prelude::*;

use super::store::{live, Conn};
use crate::domain::ReportId;

#[island]
pub fn LiveBar(
    report_id: ReportId,
    /// The reader's own name, left out of the presence list.
    me: String,
) -> impl IntoView {
    let live = live();
    let hydrated = RwSignal::new(false);
    Effect::new({
        let report_id = report_id.clone();
        move |_| {
            hydrated.set(true);
            #[cfg(feature = "hydrate")]
            super::socket::start(report_id.as_str());
            #[cfg(not(feature = "hydrate"))]
            let _ = &report_id;
        }
    });
    let state = RwSignal::from(live.conn.clone());
    let others = {
        let people = live.people.clone();
        move || people.get().into_iter().filter(|p| *p != me).collect::<Vec<_>>()
    };
    view! {
        <aside class="live-bar" aria-label="Live collaboration" hidden=move || !hydrated.get() data-state=move || state.get().as_str()>
            <p class="live-state" role="status">
                <span class="live-dot" aria-hidden="true"></span>
                {move || label(state.get())}
            </p>
            <ul class="presence" aria-label="Also here">
                {move || {
                    others()
                        .into_iter()
                        .map(|name| view! { <li class="person"><span class="person-name">{name}</span></li> })
                        .collect_view()
                }}
            </ul>
        </aside>
    }
}

fn label(c: Conn) -> &'static str {
    match c {
        Conn::Connecting => "Connecting…",
        Conn::Connected => "Live",
        Conn::Reconnecting => "Reconnecting…",
        Conn::Offline => "Offline",
        Conn::Paused => "Paused while hidden",
    }
}
