//! Reads the store's cluster log every half second: evictions another instance made
//! (applied to this instance's in-process cache and near cache) and credentials that ended
//! (their sockets close here too). Entries that commit out of number order are not missed
//! (`cursor`). With a shared store but no Redis fan-out, the rooms also
//! catch up from the store every second, so events reach this instance's clients late but
//! never lost. With SQLite (one instance) there is nobody to hear from: nothing runs.

use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::cursor::LogCursor;
use super::{ENDED, INVALIDATE};
use crate::cache::Pattern;
use crate::state::AppState;
use crate::store::Dialect;

const EVERY: Duration = Duration::from_millis(500);

pub fn spawn(state: &AppState, mut stop: watch::Receiver<bool>) {
    if state.services.store_dialect() != Dialect::Postgres {
        return;
    }
    let (services, collab, fanout_live) = (state.services.clone(), state.collab.clone(), state.fanout_live.clone());
    let auth = state.auth.clone();
    tokio::spawn(async move {
        let mut cursor = LogCursor::new(services.log_head().await.unwrap_or(0));
        let mut tick = tokio::time::interval(EVERY);
        let mut rounds = 0u64;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            rounds += 1;
            let now = Instant::now();
            cursor.expire(now);
            match services.log_since(cursor.seen(), &cursor.gaps()).await {
                Ok(entries) => {
                    for e in entries {
                        if !cursor.take(e.seq, now) {
                            continue;
                        }
                        match e.kind.as_str() {
                            INVALIDATE => match serde_json::from_str::<Vec<Pattern>>(&e.payload) {
                                Ok(patterns) => services.evict_local(&patterns),
                                Err(err) => tracing::warn!(error = %err, "unreadable eviction in the cluster log"),
                            },
                            ENDED => {
                                auth.forget_user(&e.payload);
                                collab.disconnect_user(&hub::UserId::new(e.payload.as_str()), hub::CloseCode::POLICY);
                            }
                            _ => {}
                        }
                    }
                }
                Err(err) => tracing::debug!(error = %err, "cluster log unreadable this round"),
            }
            // No live fan-out: the store is how events get here (every other round = 1 s).
            if !fanout_live.load(std::sync::atomic::Ordering::Relaxed) && rounds.is_multiple_of(2) {
                collab.catch_up_rooms();
            }
        }
    });
}
