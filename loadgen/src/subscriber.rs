//! A reader in a room: receives the room's events, counts them by offset (lost, duplicated,
//! out of order), measures each edit's latency from the publisher's stamp, and reconnects
//! with `?since=` after any break. A *stalled* reader stops reading once publishing starts
//! (with a tiny receive buffer), to be cut off as a slow consumer (4001).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use hub::protocol::{decode_server_frame, ServerMessage};
use tokio_tungstenite::tungstenite::Message;

use crate::conn::{Backoff, Socket};
use crate::ctx::{now_micros, stopped, Ctx, Ended};
use crate::tally::Tally;
use crate::track::OffsetTrack;

/// One reader's place.
pub struct Reader {
    pub room: usize,
    /// The server it prefers (index into the run's servers).
    pub home: usize,
    pub stalled: bool,
    pub seed: u64,
}

/// Runs until the run stops; then settles the reader's counts into the tally.
pub async fn run(ctx: Arc<Ctx>, me: Reader) {
    let mut track = OffsetTrack::default();
    let mut backoff = Backoff::new(ctx.backoff_base, ctx.backoff_cap, me.seed);
    let mut ever = false;
    let report = ctx.reports[me.room].clone();
    let recv_buffer = me.stalled.then_some(4096);
    loop {
        let since = track.last();
        let Some((mut ws, server)) = ctx
            .connect(me.home, &report, &ctx.viewer_token, since, recv_buffer, &mut backoff)
            .await
        else {
            break;
        };
        if ever {
            Tally::add(&ctx.tally.reconnects, 1);
        }
        ever = true;
        ctx.tally.connected.fetch_add(1, Ordering::Relaxed);
        let ended = if me.stalled {
            stall(&ctx, &mut ws).await
        } else {
            read(&ctx, &me, server, &mut ws, &mut track).await
        };
        ctx.tally.connected.fetch_sub(1, Ordering::Relaxed);
        ctx.count_end(ended);
        if ended == Ended::Stop {
            break;
        }
        if me.stalled {
            Tally::add(&ctx.tally.gave_up, 1);
            // Keep its count honest: a stalled reader is expected to miss events.
            return;
        }
        drop(ws);
        ctx.pause(backoff.next_delay()).await;
    }
    settle(&ctx, me.room, &track);
}

fn settle(ctx: &Ctx, room: usize, track: &OffsetTrack) {
    let t = &ctx.tally;
    Tally::add(&t.delivered, track.delivered);
    Tally::add(&t.duplicated, track.duplicated);
    Tally::add(&t.out_of_order, track.out_of_order);
    Tally::add(&t.lost, track.lost(ctx.room_last[room].load(Ordering::Relaxed)));
}

async fn read(ctx: &Ctx, me: &Reader, server: usize, ws: &mut Socket, track: &mut OffsetTrack) -> Ended {
    let mut stop = ctx.signals.stop.subscribe();
    let mut storm = ctx.signals.storm.subscribe();
    let mut resync = false;
    loop {
        let message = tokio::select! {
            () = stopped(&mut stop) => {
                let _ = ws.close(None).await;
                return Ended::Stop;
            }
            _ = storm.changed() => return Ended::Storm,
            m = ws.next() => m,
        };
        let text = match message {
            None | Some(Err(_)) => return Ended::Broken,
            Some(Ok(Message::Close(frame))) => return Ended::Closed(frame.map_or(1005, |f| u16::from(f.code))),
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(_)) => continue,
        };
        let Ok(messages) = decode_server_frame(text.as_bytes()) else {
            Tally::add(&ctx.tally.errors, 1);
            continue;
        };
        for m in messages {
            match &m {
                ServerMessage::ResyncRequired => resync = true,
                ServerMessage::SessionState(s) => {
                    if std::mem::take(&mut resync) {
                        Tally::add(&ctx.tally.resyncs, 1);
                    }
                    track.start_at(s.offset);
                }
                ServerMessage::Error(_) => Tally::add(&ctx.tally.errors, 1),
                _ => event(ctx, me, server, track, &m),
            }
        }
    }
}

fn event(ctx: &Ctx, me: &Reader, server: usize, track: &mut OffsetTrack, m: &ServerMessage) {
    let Some(offset) = m.offset() else { return };
    if track.event(offset) == crate::track::Seen::Duplicate {
        return;
    }
    ctx.room_last[me.room].fetch_max(offset, Ordering::Relaxed);
    let ServerMessage::SectionUpdated(update) = m else {
        return;
    };
    let Some(sent) = crate::publisher::stamp_of(&update.content) else {
        return;
    };
    if !ctx.publishing() {
        return;
    }
    let micros = now_micros().saturating_sub(sent);
    let publisher = ctx.room_publisher_server[me.room].load(Ordering::Relaxed);
    if publisher == server {
        ctx.tally.latency_same.record(micros);
    } else {
        ctx.tally.latency_cross.record(micros);
    }
}

/// Reads only until publishing starts, then nothing: the server's queue for it grows until
/// it is cut off. Once the run stops, reads what is left to learn the close code.
async fn stall(ctx: &Ctx, ws: &mut Socket) -> Ended {
    let mut stop = ctx.signals.stop.subscribe();
    while !ctx.publishing() && !ctx.stopping() {
        tokio::select! {
            _ = ws.next() => {}
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    stopped(&mut stop).await;
    let drain = async {
        while let Some(m) = ws.next().await {
            match m {
                Ok(Message::Close(frame)) => return Ended::Closed(frame.map_or(1005, |f| u16::from(f.code))),
                Ok(_) => {}
                Err(_) => return Ended::Broken,
            }
        }
        Ended::Broken
    };
    tokio::time::timeout(Duration::from_secs(5), drain)
        .await
        .unwrap_or(Ended::Stop)
}
