//! `GET /ws/reports/{id}[?since=N]`: the collaboration socket. Authenticated like the pages
//! (session cookie, or a bearer token for programs; the guard already checked the route's
//! action), the `Origin` must be this site's own (a browser always sends it; a program without
//! one is judged by its bearer token), the buffers are small (memory per idle connection is a
//! budget), and axum's messages are adapted to the hub's frames — the hub does the rest.

use std::collections::HashMap;

use app::domain::ReportId;
use app::policy::Principal;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use hub::{CloseCode, Frame, Join};

use super::Collab;
use crate::edge::api::Caller;
use crate::error::Error;

/// Above the hub's 64 KiB so the hub itself answers an oversized frame with 1009.
const MAX_MESSAGE: usize = 128 * 1024;
/// Socket buffers (axum's default is 128 KiB each — too much for thousands of idle sockets).
const BUFFER: usize = 4 * 1024;

pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(collab): State<Collab>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    Caller(principal): Caller,
    headers: HeaderMap,
) -> Response {
    let Ok(report) = ReportId::parse(&id) else {
        return Error::NotFound(format!("report {id:?}")).into_response();
    };
    let since = match q.get("since").map(|s| s.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return Error::invalid("since", "must be a whole number (an event offset)").into_response(),
    };
    let origin_ok = same_origin(&headers);
    ws.max_message_size(MAX_MESSAGE)
        .max_frame_size(MAX_MESSAGE)
        .read_buffer_size(BUFFER)
        .write_buffer_size(BUFFER)
        .on_upgrade(move |socket| run(socket, collab, report, principal, since, origin_ok))
}

async fn run(
    socket: WebSocket,
    collab: Collab,
    report: ReportId,
    principal: Principal,
    since: Option<u64>,
    origin_ok: bool,
) {
    let (sink, stream) = socket.split();
    let sink = Box::pin(sink.with(|f: Frame| futures::future::ready(Ok::<_, axum::Error>(to_message(f)))));
    if !origin_ok {
        collab.reject(sink, CloseCode::POLICY, "wrong origin").await;
        return;
    }
    let stream = stream.map(|m| m.map(to_frame));
    let join = Join {
        report: hub::ReportId::new(report.as_str()),
        principal: hub::Principal::new(principal.name.as_str(), role(&principal)),
        since,
    };
    let closed = collab.serve(join, sink, stream).await;
    tracing::debug!(report.id = %report, user = %principal.name, closed = ?closed, "socket closed");
}

fn role(p: &Principal) -> hub::Role {
    match p.role {
        app::dto::Role::Viewer => hub::Role::Viewer,
        app::dto::Role::Editor => hub::Role::Editor,
        app::dto::Role::Admin => hub::Role::Admin,
    }
}

/// The socket's `Origin` is this site (scheme and the `Host` it was asked by), or absent
/// (not a browser; a browser always sends it on a WebSocket handshake).
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    match (text(header::ORIGIN), text(header::HOST)) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        }
        (Some(_), None) => false,
    }
}

fn to_message(f: Frame) -> Message {
    match f {
        Frame::Text(b) => match Utf8Bytes::try_from(b) {
            Ok(t) => Message::Text(t),
            Err(_) => Message::Close(Some(CloseFrame {
                code: 1011,
                reason: Utf8Bytes::from_static("invalid text"),
            })),
        },
        Frame::Binary(b) => Message::Binary(b),
        Frame::Ping(b) => Message::Ping(b),
        Frame::Pong(b) => Message::Pong(b),
        Frame::Close { code, reason } => Message::Close(Some(CloseFrame {
            code: code.0,
            reason: Utf8Bytes::from(reason.as_ref()),
        })),
    }
}

fn to_frame(m: Message) -> Frame {
    match m {
        Message::Text(t) => Frame::Text(t.into()),
        Message::Binary(b) => Frame::Binary(b),
        Message::Ping(b) => Frame::Ping(b),
        Message::Pong(b) => Frame::Pong(b),
        Message::Close(Some(cf)) => Frame::Close {
            code: CloseCode(cf.code),
            reason: cf.reason.as_str().to_owned().into(),
        },
        Message::Close(None) => Frame::Close {
            code: CloseCode::NO_STATUS,
            reason: "".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_be_this_site() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("pmr.example:3000"));
        assert!(same_origin(&h), "no Origin: not a browser");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://pmr.example:3000"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
    }
}
