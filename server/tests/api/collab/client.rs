//! A real WebSocket client for the tests (tokio-tungstenite): connects like a program does
//! (bearer token) or like a browser (an `Origin`), sends frames, and reads messages with
//! batches unpacked, waiting with a timeout.

use std::time::Duration;

use app::dto::Role;
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

pub struct Client {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// Messages read but not yet taken (a batch holds several).
    pending: std::collections::VecDeque<Value>,
    /// The close frame's code, once the server closed.
    pub closed: Option<u16>,
}

/// How a test connects.
pub struct Connect<'a> {
    pub role: Role,
    pub token: Option<&'a str>,
    pub since: Option<u64>,
    pub origin: Option<String>,
}

impl Default for Connect<'_> {
    fn default() -> Self {
        Self {
            role: Role::Editor,
            token: None,
            since: None,
            origin: None,
        }
    }
}

pub async fn connect(app: &TestApp, report: &str, how: Connect<'_>) -> Client {
    let mut url = format!("ws://{}/ws/reports/{report}", app.addr);
    if let Some(n) = how.since {
        url.push_str(&format!("?since={n}"));
    }
    let mut req = url.into_client_request().expect("request");
    let token = how.token.unwrap_or_else(|| app.token(how.role));
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().expect("header"));
    if let Some(o) = how.origin {
        req.headers_mut().insert("origin", o.parse().expect("header"));
    }
    let (ws, _) = tokio_tungstenite::connect_async(req).await.expect("handshake");
    Client {
        ws,
        pending: Default::default(),
        closed: None,
    }
}

impl Client {
    pub async fn send(&mut self, frame: Value) {
        self.ws
            .send(Message::Text(frame.to_string().into()))
            .await
            .expect("send");
    }

    pub async fn send_raw(&mut self, m: Message) {
        self.ws.send(m).await.expect("send");
    }

    /// The next message (from a batch or alone), or `None` when the server closed or
    /// nothing came within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            if let Some(v) = self.pending.pop_front() {
                return Some(v);
            }
            if self.closed.is_some() {
                return None;
            }
            let frame = match tokio::time::timeout(wait, self.ws.next()).await {
                Err(_) | Ok(None) => return None,
                Ok(Some(Err(_))) => {
                    self.closed.get_or_insert(1006);
                    return None;
                }
                Ok(Some(Ok(f))) => f,
            };
            match frame {
                Message::Text(t) => {
                    let v: Value = serde_json::from_str(t.as_str()).expect("json frame");
                    if v["type"] == "batch" {
                        let list = v["messages"].as_array().expect("messages").clone();
                        assert_eq!(v["count"].as_u64(), Some(list.len() as u64), "count matches");
                        self.pending.extend(list);
                    } else {
                        self.pending.push_back(v);
                    }
                }
                Message::Close(cf) => {
                    self.closed = Some(cf.map_or(1005, |c| u16::from(c.code)));
                }
                _ => {}
            }
        }
    }

    /// The next message, which the test expects; `None` from a close fails at once.
    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(5))
            .await
            .expect("a message within 5 s, and no close")
    }

    /// Reads until a message of `kind` arrives (others are returned too, in order).
    pub async fn until(&mut self, kind: &str) -> (Value, Vec<Value>) {
        let mut seen = Vec::new();
        loop {
            let m = self.next().await;
            if m["type"] == kind {
                return (m, seen);
            }
            seen.push(m);
        }
    }

    /// Waits for the server to close the socket; its close code.
    pub async fn closed_within(&mut self, wait: Duration) -> Option<u16> {
        let until = tokio::time::Instant::now() + wait;
        while self.closed.is_none() && tokio::time::Instant::now() < until {
            let left = until - tokio::time::Instant::now();
            if self.next_within(left).await.is_none() && self.closed.is_none() {
                return None;
            }
        }
        self.closed
    }

    pub async fn close(mut self) {
        let _ = self
            .ws
            .close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
                code: CloseCode::Normal,
                reason: "".into(),
            }))
            .await;
    }
}

/// `section_update` with an id.
pub fn edit(id: u32, section: &str, base_version: u32, content: &str) -> Value {
    json!({ "type": "section_update", "id": id, "data": { "section_id": section, "base_version": base_version, "content": content } })
}
