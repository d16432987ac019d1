//! The per-connection batching queue (SPEC §5): messages wait here until there are
//! `batch_max_size` of them or `batch_max_wait` has passed since the first, then go out as one
//! `batch` frame. Empty until used, and it keeps at most `batch_max_size` slots afterwards.

use std::sync::Arc;

use tokio::time::Instant;

use crate::publication::Publication;

#[derive(Debug, Default)]
pub(super) struct Batch {
    items: Vec<Arc<Publication>>,
    deadline: Option<Instant>,
}

impl Batch {
    /// Adds a message; the first one starts the wait.
    pub fn push(&mut self, publication: Arc<Publication>, now: Instant, max_wait: std::time::Duration) {
        if self.items.is_empty() {
            self.deadline = Some(now + max_wait);
        }
        self.items.push(publication);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// When the held messages must go, if any are held.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Empties the batch, handing over what it held.
    pub fn take(&mut self) -> Vec<Arc<Publication>> {
        self.deadline = None;
        std::mem::take(&mut self.items)
    }

    /// Gives back the (written) vector so its slots are reused, up to `keep` of them.
    pub fn recycle(&mut self, mut used: Vec<Arc<Publication>>, keep: usize) {
        used.clear();
        if self.items.capacity() == 0 && used.capacity() <= keep {
            self.items = used;
        }
    }
}
