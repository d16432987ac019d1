//! Live collaboration on the report page (SPEC §5, browser side): one WebSocket per page,
//! opened by the [`LiveBar`] island while the page is visible, and small islands that keep
//! the server-rendered page current — presence, section edits ([`SectionEditor`], and the
//! lazy sections showing new versions), comment threads ([`CommentThreads`]).
//!
//! - `protocol`: the frames, as the browser reads and writes them.
//! - `store`: the page-wide live state the islands share, and how each message changes it.
//! - `socket`: the connection itself — visibility, backoff, resume by offset (browser only).
//! - `backoff`: the reconnect delays.
//! - `forms`: the plain form posts every island falls back to without a socket.

#[cfg(any(feature = "hydrate", test))]
mod backoff;
mod bar;
mod editor;
mod forms;
// The server renders these islands but never reads a frame: reading them is browser code
// (unit-tested natively).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod protocol;
#[cfg(feature = "hydrate")]
mod socket;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod store;
mod threads;

pub use bar::LiveBar;
pub use editor::SectionEditor;
pub use forms::{add_comment, edit_section, resolve_comment, AddComment, EditSection, ResolveComment};
pub(crate) use store::{find, live};
pub use threads::{comment_form_html, summary_line, threads_html, CommentThreads};

/// Sends a frame over the page's socket; false when there is none open (on the server,
/// always), and the caller lets its form post instead.
pub(crate) fn send(frame: &str) -> bool {
    #[cfg(feature = "hydrate")]
    return socket::send(frame);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = frame;
        false
    }
}
