//! The memory budget of a connection (≤ 16 KiB per idle connection, later ≤ 12 KiB): the
//! state a connection task carries must stay a small fraction of it. `benches/fanout.rs`
//! measures the whole, heap included.

use std::convert::Infallible;

use hub::{Frame, Join};

use crate::*;

/// The connection future's own size (most of its task allocation), transport excluded.
/// Measured at 1,504 bytes; the deep, rare paths (client messages, gaps, resyncs) are boxed
/// so that an idle connection does not carry their state.
const FUTURE_BUDGET: usize = 2 * 1024;

#[test]
fn the_connection_future_stays_within_its_budget() {
    let hub = hub();
    let join = Join {
        report: REPORT.into(),
        principal: editor("ann"),
        since: None,
    };
    let sink = futures::sink::drain::<Frame>();
    let stream = futures::stream::pending::<Result<Frame, Infallible>>();
    let future = hub.serve(join, sink, stream);
    let size = size_of_val(&future);
    eprintln!("connection future: {size} bytes");
    assert!(size <= FUTURE_BUDGET, "the connection future is {size} bytes");
}
