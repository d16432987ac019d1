//! The report's WebSocket (browser only): opened while the page is visible, closed after
//! the tab has been hidden a while, reopened with `?since=<last offset>` so nothing is
//! missed or repeated, and reconnected with full-jitter backoff when it drops. Incoming
//! frames go to the page's store ([`super::store::apply`]); what islands send goes through
//! [`send`].

use std::cell::RefCell;

use leptos::prelude::Set;

use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use super::backoff::delay_ms;
use super::protocol::Frame;
use super::store::{apply, live, Conn};

/// How long a hidden tab keeps its socket before closing it.
const HIDDEN_GRACE_MS: i32 = 30_000;
/// "Not allowed / revoked / wrong origin": retrying cannot help.
const POLICY: u16 = 1008;

#[derive(Default)]
struct Socket {
    report: String,
    ws: Option<WebSocket>,
    /// The current socket's handlers; replaced (and freed) with the next socket.
    handlers: Vec<Closure<dyn FnMut(Event)>>,
    attempt: u32,
    /// A pending reconnect, or the pause of a hidden tab.
    timer: Option<i32>,
}

thread_local! {
    static SOCKET: RefCell<Option<Socket>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Socket) -> R) -> Option<R> {
    SOCKET.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Starts following `report` (once per page).
pub fn start(report: &str) {
    let fresh = SOCKET.with(|s| {
        let mut s = s.borrow_mut();
        let fresh = s.is_none();
        s.get_or_insert_with(|| Socket {
            report: report.to_owned(),
            ..Socket::default()
        });
        fresh
    });
    if !fresh {
        return;
    }
    listen(document_target(), "visibilitychange", on_visibility);
    listen(window_target(), "online", resume);
    listen(window_target(), "offline", || {
        stop(Conn::Offline);
    });
    if page_hidden() {
        live().conn.set(Conn::Paused);
    } else if !online() {
        live().conn.set(Conn::Offline);
    } else {
        connect();
    }
}

/// Sends a text frame; false when the socket is not open (the caller falls back or waits).
pub fn send(text: &str) -> bool {
    with(|s| {
        s.ws.as_ref()
            .filter(|ws| ws.ready_state() == WebSocket::OPEN)
            .is_some_and(|ws| ws.send_with_str(text).is_ok())
    })
    .unwrap_or(false)
}

fn connect() {
    let Some(url) = with(|s| {
        cancel_timer(s);
        close_quietly(s);
        socket_url(&s.report)
    })
    .flatten() else {
        return;
    };
    let Ok(ws) = WebSocket::new(&url) else {
        retry_later();
        return;
    };
    let on_open = Closure::<dyn FnMut(Event)>::new(|_| {
        with(|s| s.attempt = 0);
        // A resume gets no session_state: presence arrives afresh, events follow.
        let live = live();
        if live.offset.get().is_some() {
            live.people.set(Default::default());
            live.conn.set(Conn::Connected);
        }
    });
    let on_message = Closure::<dyn FnMut(Event)>::new(|e: Event| {
        if let Some(text) = e.unchecked_into::<MessageEvent>().data().as_string() {
            let live = live();
            for message in Frame::parse(&text) {
                apply(&live, message);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(Event)>::new(|e: Event| {
        let code = e.unchecked_into::<CloseEvent>().code();
        with(|s| s.ws = None);
        if code == POLICY || !online() {
            live().conn.set(Conn::Offline);
        } else if page_hidden() {
            live().conn.set(Conn::Paused);
        } else {
            retry_later();
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    with(|s| {
        s.ws = Some(ws);
        s.handlers = vec![on_open, on_message, on_close];
    });
}

/// The next attempt after a random part of the current backoff ceiling.
fn retry_later() {
    live().conn.set(Conn::Reconnecting);
    let delay = with(|s| {
        s.attempt += 1;
        delay_ms(s.attempt - 1, js_sys::Math::random())
    })
    .unwrap_or(0);
    with(|s| s.timer = set_timeout(delay as i32, connect));
}

fn on_visibility() {
    if page_hidden() {
        with(|s| {
            cancel_timer(s);
            if s.ws.is_some() {
                s.timer = set_timeout(HIDDEN_GRACE_MS, || stop(Conn::Paused));
            }
        });
        if with(|s| s.ws.is_none()).unwrap_or(false) {
            live().conn.set(Conn::Paused);
        }
    } else {
        with(cancel_timer);
        resume();
    }
}

/// Reconnects now unless a socket is already there (or the page cannot use one).
fn resume() {
    if online() && !page_hidden() && with(|s| s.ws.is_none()).unwrap_or(false) {
        with(|s| s.attempt = 0);
        live().conn.set(Conn::Reconnecting);
        connect();
    }
}

/// Closes the socket on purpose and shows why.
fn stop(state: Conn) {
    with(|s| {
        cancel_timer(s);
        close_quietly(s);
    });
    live().conn.set(state);
}

/// Closes without the close handler (so no reconnect is scheduled).
fn close_quietly(s: &mut Socket) {
    if let Some(ws) = s.ws.take() {
        ws.set_onopen(None);
        ws.set_onmessage(None);
        ws.set_onclose(None);
        let _ = ws.close();
    }
}

fn cancel_timer(s: &mut Socket) {
    if let (Some(id), Some(w)) = (s.timer.take(), web_sys::window()) {
        w.clear_timeout_with_handle(id);
    }
}

fn socket_url(report: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    let since = live().offset.get().map(|o| format!("?since={o}")).unwrap_or_default();
    Some(format!("{scheme}://{host}/ws/reports/{report}{since}"))
}

fn set_timeout(ms: i32, f: impl FnOnce() + 'static) -> Option<i32> {
    let f = Closure::once_into_js(f);
    web_sys::window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms)
        .ok()
}

fn listen(target: Option<web_sys::EventTarget>, event: &str, f: impl Fn() + 'static) {
    if let Some(target) = target {
        let f = Closure::<dyn Fn()>::new(f);
        let _ = target.add_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        // Page-long listeners.
        f.forget();
    }
}

fn document_target() -> Option<web_sys::EventTarget> {
    Some(web_sys::window()?.document()?.into())
}

fn window_target() -> Option<web_sys::EventTarget> {
    Some(web_sys::window()?.into())
}

fn page_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
