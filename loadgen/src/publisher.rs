//! A room's editor: sends `section_update` at the run's rate while publishing is on, one at a
//! time (the next waits for the last one's `ack`, so its `base_version` is current), each
//! stamped with its send time in the content: `load r<room> s<seq> t<unix µs>`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use hub::protocol::{decode_server_frame, MessageId, ServerMessage};
use rand::{Rng, SeedableRng};
use tokio_tungstenite::tungstenite::Message;

use crate::conn::{Backoff, Socket};
use crate::ctx::{now_micros, stopped, Ctx, Ended};
use crate::tally::Tally;

/// The send time in an edit's content, if it is one of ours.
pub fn stamp_of(content: &str) -> Option<u64> {
    let head = content.strip_prefix("load ")?;
    let line = head.lines().next()?;
    line.split(' ').find_map(|w| w.strip_prefix('t'))?.parse().ok()
}

fn content(room: usize, seq: u64, padding: usize) -> String {
    let mut s = format!("load r{room} s{seq} t{}\n\n", now_micros());
    s.extend(std::iter::repeat_n('x', padding));
    s
}

/// One room's publisher.
pub struct Editor {
    pub room: usize,
    pub home: usize,
    pub seed: u64,
}

/// An edit with no answer after this long is given up on (counted as skipped ticks until then).
const UNANSWERED: Duration = Duration::from_secs(5);

/// An edit waiting for its answer.
struct Pending {
    id: u64,
    sent: Instant,
}

struct State {
    base: u32,
    seq: u64,
    pending: Option<Pending>,
}

pub async fn run(ctx: Arc<Ctx>, me: Editor) {
    let mut backoff = Backoff::new(ctx.backoff_base, ctx.backoff_cap, me.seed);
    let report = ctx.reports[me.room].clone();
    let mut state = State {
        base: 0,
        seq: 0,
        pending: None,
    };
    let mut ever = false;
    loop {
        let Some((mut ws, server)) = ctx
            .connect(me.home, &report, &ctx.editor_token, None, None, &mut backoff)
            .await
        else {
            return;
        };
        if ever {
            Tally::add(&ctx.tally.reconnects, 1);
        }
        ever = true;
        ctx.room_publisher_server[me.room].store(server, Ordering::Relaxed);
        ctx.tally.connected.fetch_add(1, Ordering::Relaxed);
        state.pending = None;
        let ended = session(&ctx, &me, &mut ws, &mut state).await;
        ctx.tally.connected.fetch_sub(1, Ordering::Relaxed);
        ctx.count_end(ended);
        if ended == Ended::Stop {
            return;
        }
        drop(ws);
        ctx.pause(backoff.next_delay()).await;
    }
}

async fn session(ctx: &Ctx, me: &Editor, ws: &mut Socket, state: &mut State) -> Ended {
    let mut stop = ctx.signals.stop.subscribe();
    let mut storm = ctx.signals.storm.subscribe();
    let period = Duration::from_secs_f64(1.0 / ctx.rate.max(0.001));
    // A random phase, so the rooms' edits do not all land on the same millisecond.
    let phase = period.mul_f64(rand::rngs::StdRng::seed_from_u64(me.seed).random::<f64>());
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + phase, period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let padding = if ctx.stalled_rooms[me.room] {
        ctx.stall_payload
    } else {
        ctx.payload
    };
    loop {
        tokio::select! {
            () = stopped(&mut stop) => {
                let _ = ws.close(None).await;
                return Ended::Stop;
            }
            _ = storm.changed() => return Ended::Storm,
            _ = ticks.tick(), if ctx.rate > 0.0 => {
                if !ctx.publishing() {
                    continue;
                }
                if state.pending.as_ref().is_some_and(|p| p.sent.elapsed() < UNANSWERED) {
                    Tally::add(&ctx.tally.edits_skipped, 1);
                    continue;
                }
                state.seq += 1;
                let frame = serde_json::json!({
                    "type": "section_update",
                    "id": state.seq,
                    "data": {
                        "section_id": ctx.section,
                        "base_version": state.base,
                        "content": content(me.room, state.seq, padding),
                    }
                });
                if ws.send(Message::Text(frame.to_string().into())).await.is_err() {
                    return Ended::Broken;
                }
                Tally::add(&ctx.tally.edits_sent, 1);
                state.pending = Some(Pending { id: state.seq, sent: Instant::now() });
            }
            m = ws.next() => match m {
                None | Some(Err(_)) => return Ended::Broken,
                Some(Ok(Message::Close(frame))) => return Ended::Closed(frame.map_or(1005, |f| u16::from(f.code))),
                Some(Ok(Message::Text(text))) => answer(ctx, me, state, text.as_bytes()),
                Some(Ok(_)) => {}
            },
        }
    }
}

fn answer(ctx: &Ctx, me: &Editor, state: &mut State, text: &[u8]) {
    let Ok(messages) = decode_server_frame(text) else {
        Tally::add(&ctx.tally.errors, 1);
        return;
    };
    for m in messages {
        match m {
            ServerMessage::SessionState(s) => {
                state.base = s.section_versions.get(&ctx.section).copied().unwrap_or(0);
                ctx.room_last[me.room].fetch_max(s.offset, Ordering::Relaxed);
            }
            ServerMessage::Ack(ack) => {
                let Some(p) = state.pending.take_if(|p| ack.id == Some(MessageId::Number(p.id))) else {
                    continue;
                };
                Tally::add(&ctx.tally.acks, 1);
                ctx.tally
                    .ack_latency
                    .record(u64::try_from(p.sent.elapsed().as_micros()).unwrap_or(u64::MAX));
                if let Some(v) = ack.version {
                    state.base = v;
                }
                if let Some(o) = ack.offset {
                    ctx.room_last[me.room].fetch_max(o, Ordering::Relaxed);
                }
            }
            ServerMessage::Conflict(c) => {
                Tally::add(&ctx.tally.conflicts, 1);
                state.base = c.current_version;
                state.pending = None;
            }
            ServerMessage::Error(_) => {
                Tally::add(&ctx.tally.errors, 1);
                state.pending = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_reads_back() {
        let c = content(3, 9, 10);
        let t = stamp_of(&c).expect("stamped");
        assert!(t > 1_600_000_000_000_000);
        assert_eq!(stamp_of("something else"), None);
    }
}
