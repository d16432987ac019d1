//! The transport seam: the hub's own small WebSocket frame type and the close codes it uses.
//!
//! The connection loop reads `Stream<Item = Result<Frame, E>>` and writes `Sink<Frame>`, so
//! the server adapts axum's `Message` to [`Frame`] in a few lines and tests use in-memory
//! channels. Payloads are [`Bytes`]: a publication serialised once is shared by every
//! recipient's frame without copying (axum's `Utf8Bytes: TryFrom<Bytes>` takes it as is).

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

/// One WebSocket frame. `Text` from the hub is always UTF-8 JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    Text(Bytes),
    Binary(Bytes),
    Ping(Bytes),
    Pong(Bytes),
    /// A close frame. A close received without a status reads as [`CloseCode::NO_STATUS`].
    Close {
        code: CloseCode,
        reason: Cow<'static, str>,
    },
}

impl Frame {
    /// A text frame of the given JSON.
    pub fn text(json: impl Into<Bytes>) -> Self {
        Self::Text(json.into())
    }

    pub fn close(code: CloseCode, reason: &'static str) -> Self {
        Self::Close {
            code,
            reason: Cow::Borrowed(reason),
        }
    }
}

/// A WebSocket close status (RFC 6455 §7.4; 4000–4999 are the application's own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CloseCode(pub u16);

impl CloseCode {
    /// The client said goodbye; the hub echoes it.
    pub const NORMAL: Self = Self(1000);
    /// Server shutdown (SPEC §5), after what was queued has been flushed.
    pub const GOING_AWAY: Self = Self(1001);
    /// A close frame without a status.
    pub const NO_STATUS: Self = Self(1005);
    /// Not allowed, token revoked, signed out, wrong origin (SPEC §5).
    pub const POLICY: Self = Self(1008);
    /// An inbound frame over the size limit, 64 KiB (SPEC §5).
    pub const TOO_BIG: Self = Self(1009);
    /// The backend could not admit the connection for a reason of its own (store down).
    pub const INTERNAL: Self = Self(1011);
    /// Participant or connection limit reached (SPEC §5): try again later.
    pub const TRY_AGAIN_LATER: Self = Self(1013);
    /// Idle: no client message for the idle timeout (SPEC §5).
    pub const IDLE: Self = Self(4000);
    /// Slow consumer: outbound queue over its byte limit or a write blocked too long (SPEC §5).
    pub const SLOW_CONSUMER: Self = Self(4001);
    /// No pong within the pong timeout after a ping. SPEC §5 says only "closed"; a code of its
    /// own keeps it apart from idle and slow closes in logs and client reconnect logic.
    pub const HEARTBEAT_TIMEOUT: Self = Self(4002);
}

impl fmt::Display for CloseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
