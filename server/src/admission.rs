//! Admission control for expensive work — report generation and Monte Carlo runs, CPU-bound
//! for up to a second or more each. At most `concurrency` run at once (about the number of
//! cores: more would only slice the same CPUs thinner); a few more may wait for a slot up to
//! a deadline; the rest are refused at once with 503 and `Retry-After`, so a burst degrades
//! into clear refusals instead of every request timing out together.
//!
//! Also here: [`Cancel`], the flag a run checks between stages (and the engine between
//! chunks) so that work whose requester went away stops instead of finishing for nobody.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::AdmissionConfig;
use crate::error::{Error, Result};

pub struct Admission {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    config: AdmissionConfig,
}

/// A slot; the next waiter gets it when this is dropped.
pub struct Ticket(#[allow(dead_code)] OwnedSemaphorePermit);

impl Admission {
    pub fn new(config: AdmissionConfig) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(config.concurrency.max(1))),
            waiting: AtomicUsize::new(0),
            config,
        }
    }

    /// A slot now, a slot after waiting in the queue, or `Busy`.
    pub async fn admit(&self) -> Result<Ticket> {
        if let Ok(p) = self.permits.clone().try_acquire_owned() {
            return Ok(Ticket(p));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.config.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(self.busy("the server is busy with other reports"));
        }
        let waited = tokio::time::timeout(self.config.queue_wait, self.permits.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match waited {
            Ok(Ok(p)) => Ok(Ticket(p)),
            _ => Err(self.busy("waited too long for a free slot")),
        }
    }

    fn busy(&self, reason: &str) -> Error {
        Error::Busy {
            reason: format!("{reason}; try again shortly"),
            retry_after_secs: self.config.queue_wait.as_secs().clamp(1, 30),
        }
    }

    /// Runs going on now, and runs waiting for a slot.
    pub fn load(&self) -> (usize, usize) {
        let running = self.config.concurrency.max(1) - self.permits.available_permits();
        (running, self.waiting.load(Ordering::SeqCst))
    }
}

/// Set when the work's owner went away; checked by the work itself.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that cancels when dropped — held by the future that awaits the work, so
    /// dropping that future (the client hung up) stops the work.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone(), true)
    }

    /// The flag itself, for code that polls it (the engine).
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

pub struct CancelOnDrop(Cancel, bool);

impl CancelOnDrop {
    /// The work finished: nothing to cancel.
    pub fn disarm(mut self) {
        self.1 = false;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if self.1 {
            self.0 .0.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn admission(concurrency: usize, queue: usize) -> Arc<Admission> {
        Arc::new(Admission::new(AdmissionConfig {
            concurrency,
            queue,
            queue_wait: Duration::from_millis(200),
        }))
    }

    #[tokio::test(start_paused = true)]
    async fn runs_queues_then_refuses() {
        let a = admission(1, 1);
        let first = a.admit().await.expect("a free slot");
        let queued = {
            let a = a.clone();
            tokio::spawn(async move { a.admit().await.map(|_| ()) })
        };
        tokio::task::yield_now().await;
        assert_eq!(a.load(), (1, 1));
        let refused = a.admit().await.err().expect("queue full");
        assert!(matches!(refused, Error::Busy { .. }), "{refused}");
        drop(first);
        queued.await.expect("joined").expect("the queued run got the slot");
    }

    #[tokio::test(start_paused = true)]
    async fn a_wait_past_the_deadline_is_refused() {
        let a = admission(1, 4);
        let _held = a.admit().await.expect("slot");
        let err = a.admit().await.err().expect("times out");
        assert!(
            matches!(
                err,
                Error::Busy {
                    retry_after_secs: 1,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn dropping_the_guard_cancels() {
        let c = Cancel::default();
        drop(c.on_drop());
        assert!(c.is_cancelled());
        let d = Cancel::default();
        d.on_drop().disarm();
        assert!(!d.is_cancelled());
    }
}
