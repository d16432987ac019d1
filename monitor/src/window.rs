//! The two concurrency building blocks every window is made of: [`Ring`], a bounded FIFO
//! behind its own short-held mutex, and [`Interner`], a name → shared-entry map with a
//! read-locked fast path.
//!
//! Why this shape: recording is called from async request handlers, so no lock may be held
//! across anything slow. Each operation gets its own `Ring`, so timings of different
//! operations never contend; the map of operations is write-locked only the first time a name
//! is seen. What goes *into* the windows is decided in `lib`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// Anything kept in a window carries the unix-ms time it was recorded, so it can be cleared
/// by age.
pub(crate) trait Stamped {
    fn at_ms(&self) -> u64;
}

/// A bounded FIFO: pushing past `capacity` drops the oldest entry (retention overflow).
#[derive(Debug)]
pub(crate) struct Ring<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
}

impl<T: Stamped> Ring<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
            capacity,
        }
    }

    /// A poisoned lock only means another thread panicked mid-push; a VecDeque is still
    /// structurally sound then, and losing monitoring over it would be worse than a stale entry.
    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn push(&self, item: T) {
        let mut items = self.lock();
        items.push_back(item);
        while items.len() > self.capacity {
            items.pop_front();
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// Runs `f` over the entries, oldest first, under the lock: keep `f` cheap (copy out).
    pub(crate) fn read<R>(&self, f: impl FnOnce(&VecDeque<T>) -> R) -> R {
        f(&self.lock())
    }

    /// Removes entries recorded before `cutoff_ms` (all of them for `None`); returns how many.
    pub(crate) fn remove_older_than(&self, cutoff_ms: Option<u64>) -> usize {
        let mut items = self.lock();
        let before = items.len();
        match cutoff_ms {
            None => items.clear(),
            Some(cutoff) => items.retain(|item| item.at_ms() >= cutoff),
        }
        before - items.len()
    }
}

/// Name → shared entry, created on first use.
#[derive(Debug)]
pub(crate) struct Interner<V> {
    entries: RwLock<HashMap<String, Arc<V>>>,
}

impl<V> Default for Interner<V> {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<V> Interner<V> {
    /// The entry for `name`, creating it with `make` the first time. The common case takes
    /// only the read lock; `make` runs under the write lock, so keep it cheap.
    pub(crate) fn get_or_insert_with(&self, name: &str, make: impl FnOnce(&str) -> V) -> Arc<V> {
        if let Some(entry) = self.get(name) {
            return entry;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have inserted it between our read and write locks.
        let entry = entries.entry(name.to_owned()).or_insert_with(|| Arc::new(make(name)));
        Arc::clone(entry)
    }

    /// Runs `f` on the entry for `name` (created with `make` the first time) under the read
    /// lock, sparing the hot path the `Arc` reference-count traffic of
    /// [`Interner::get_or_insert_with`]. `f` must not take this interner's write lock.
    pub(crate) fn with<R>(&self, name: &str, make: impl FnOnce(&str) -> V, f: impl FnOnce(&V) -> R) -> R {
        {
            let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
            if let Some(entry) = entries.get(name) {
                return f(entry);
            }
        }
        f(&self.get_or_insert_with(name, make))
    }

    pub(crate) fn get(&self, name: &str) -> Option<Arc<V>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(name).cloned()
    }

    /// All entries, so callers can work on them without holding the map lock.
    pub(crate) fn snapshot(&self) -> Vec<(String, Arc<V>)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.iter().map(|(name, v)| (name.clone(), Arc::clone(v))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct At(u64);
    impl Stamped for At {
        fn at_ms(&self) -> u64 {
            self.0
        }
    }

    fn stamps(ring: &Ring<At>) -> Vec<u64> {
        ring.read(|items| items.iter().map(|a| a.0).collect())
    }

    #[test]
    fn ring_drops_oldest_past_capacity() {
        let ring = Ring::new(3);
        for t in 1..=5 {
            ring.push(At(t));
        }
        assert_eq!(stamps(&ring), [3, 4, 5]);
    }

    #[test]
    fn ring_of_zero_keeps_nothing() {
        let ring = Ring::new(0);
        ring.push(At(1));
        assert_eq!(ring.len(), 0);
    }

    #[test]
    fn remove_older_than_keeps_the_cutoff_itself() {
        let ring = Ring::new(10);
        for t in [5, 1, 7, 3] {
            ring.push(At(t));
        }
        assert_eq!(ring.remove_older_than(Some(5)), 2);
        assert_eq!(stamps(&ring), [5, 7]);
        assert_eq!(ring.remove_older_than(None), 2);
        assert_eq!(ring.len(), 0);
    }

    #[test]
    fn interner_returns_the_same_entry() {
        let interner: Interner<usize> = Interner::default();
        let a = interner.get_or_insert_with("a", str::len);
        let again = interner.get_or_insert_with("a", |_| 99);
        assert!(Arc::ptr_eq(&a, &again));
        assert_eq!(interner.get("a").as_deref(), Some(&1));
        assert!(interner.get("b").is_none());
    }
}
