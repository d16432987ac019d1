//! Integration tests of the hub through its public API, one binary; each module covers one
//! rule of SPEC §5. Connections run over in-memory channels on a paused clock, so time-based
//! rules (batch window, heartbeat, idle, write timeout) are exact and instant.
//!
//! Shared here: the [`fake::Fake`] backend, a hub builder, and [`Client`], a test socket.

mod batching;
mod control;
mod edits;
mod fake;
mod footprint;
mod frames;
mod heartbeat;
mod limits;
mod presence;
mod resume;
mod slow;
mod stats;

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use futures::channel::mpsc;
use futures::stream::BoxStream;
use futures::StreamExt;
use hub::protocol::{decode_server_frame, ClientFrame, ClientMessage, MessageId, SectionUpdate, ServerMessage};
use hub::{CloseCode, Closed, Frame, Hub, HubConfig, Join, Principal, Role};
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use fake::Fake;

pub const REPORT: &str = "r1";
/// Longer than anything a test waits for on purpose (the clock is paused: waiting is free).
pub const PATIENCE: Duration = Duration::from_secs(3 * 3600);
/// Long enough that anything queued would have been flushed (20 batch windows).
pub const QUIET: Duration = Duration::from_secs(1);

pub type TestHub = Hub<Fake>;

pub fn hub() -> TestHub {
    hub_with(HubConfig::default())
}

pub fn hub_with(config: HubConfig) -> TestHub {
    Hub::new(config, Fake::default()).expect("valid config")
}

pub fn editor(user: &str) -> Principal {
    Principal::new(user, Role::Editor)
}

/// A test socket: frames the client sends, frames it receives, and the hub's task.
pub struct Client {
    to_hub: mpsc::UnboundedSender<Result<Frame, Infallible>>,
    from_hub: BoxStream<'static, Frame>,
    buffered: VecDeque<ServerMessage>,
    pub task: JoinHandle<Closed>,
}

/// How the client side reads.
#[derive(Clone, Copy)]
pub enum Reader {
    /// Reads as fast as the hub writes.
    Fast,
    /// Has room for one frame and never reads: every later write blocks.
    Stuck,
}

impl Client {
    /// Connects and does not wait for anything.
    pub fn connect(hub: &TestHub, report: &str, who: Principal, since: Option<u64>, reader: Reader) -> Self {
        let (to_hub, stream) = mpsc::unbounded();
        let join = Join {
            report: report.into(),
            principal: who,
            since,
        };
        let hub = hub.clone();
        let (from_hub, task): (BoxStream<'static, Frame>, _) = match reader {
            Reader::Fast => {
                let (sink, from_hub) = mpsc::unbounded();
                (
                    from_hub.boxed(),
                    tokio::spawn(async move { hub.serve(join, sink, stream).await }),
                )
            }
            Reader::Stuck => {
                let (sink, from_hub) = mpsc::channel(0);
                (
                    from_hub.boxed(),
                    tokio::spawn(async move { hub.serve(join, sink, stream).await }),
                )
            }
        };
        Self {
            to_hub,
            from_hub,
            buffered: VecDeque::new(),
            task,
        }
    }

    /// Joins `REPORT` fresh and reads the `session_state`.
    pub async fn join(hub: &TestHub, who: Principal) -> Self {
        Self::join_report(hub, REPORT, who).await
    }

    pub async fn join_report(hub: &TestHub, report: &str, who: Principal) -> Self {
        let mut client = Self::connect(hub, report, who, None, Reader::Fast);
        match client.message().await {
            ServerMessage::SessionState(_) => client,
            other => panic!("expected session_state first, got {other:?}"),
        }
    }

    pub fn send(&self, frame: ClientFrame) {
        self.send_raw(Frame::text(frame.to_json()));
    }

    pub fn send_raw(&self, frame: Frame) {
        self.to_hub.unbounded_send(Ok(frame)).expect("hub reads");
    }

    /// Sends `section_update` with an id.
    pub fn edit(&self, id: &str, section: &str, base_version: u32, content: &str) {
        let update = SectionUpdate {
            section_id: section.into(),
            base_version,
            content: content.into(),
        };
        self.send(ClientFrame::new(ClientMessage::SectionUpdate(update)).with_id(MessageId::Text(id.into())));
    }

    /// Ends the client's side of the socket (as a dropped connection).
    pub fn hang_up(&self) {
        self.to_hub.close_channel();
    }

    /// The next frame, whatever it is.
    pub async fn frame(&mut self) -> Frame {
        match tokio::time::timeout(PATIENCE, self.from_hub.next()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => panic!("the hub closed the stream"),
            Err(_) => panic!("no frame within {PATIENCE:?}"),
        }
    }

    /// The next text frame's messages (a batch gives all of them).
    pub async fn text_frame(&mut self) -> Vec<ServerMessage> {
        match self.frame().await {
            Frame::Text(text) => decode_server_frame(&text).expect("the hub sends valid frames"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// The next message, batches unpacked; heartbeat pings are skipped.
    pub async fn message(&mut self) -> ServerMessage {
        loop {
            if let Some(m) = self.buffered.pop_front() {
                return m;
            }
            match self.frame().await {
                Frame::Text(text) => self.buffered.extend(decode_server_frame(&text).expect("valid frame")),
                Frame::Ping(_) => {}
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }

    /// Asserts that no frame arrives within `wait`.
    pub async fn silent_for(&mut self, wait: Duration) {
        assert!(self.buffered.is_empty(), "messages still buffered: {:?}", self.buffered);
        if let Ok(frame) = tokio::time::timeout(wait, self.from_hub.next()).await {
            panic!("expected silence for {wait:?}, got {frame:?}");
        }
    }

    /// Reads until the close frame (skipping anything before it) and returns its code.
    pub async fn closed(&mut self) -> CloseCode {
        loop {
            if let Frame::Close { code, .. } = self.frame().await {
                return code;
            }
        }
    }

    /// Sends a `ping` message and waits for its `pong`: the connection is up and responsive.
    pub async fn assert_alive(&mut self) {
        self.send(ClientFrame::new(ClientMessage::Ping));
        loop {
            if self.message().await == ServerMessage::Pong {
                return;
            }
        }
    }
}

/// The offsets of durable events among `messages`.
pub fn offsets(messages: &[ServerMessage]) -> Vec<u64> {
    messages.iter().filter_map(ServerMessage::offset).collect()
}

/// Time elapsed since `start` on the (paused) tokio clock.
pub fn since(start: Instant) -> Duration {
    Instant::now() - start
}

/// Lets every spawned connection task run until it waits on something.
pub async fn settle() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}
