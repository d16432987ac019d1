//! Single flight: concurrent callers for one key share one computation. The first caller
//! runs it; the rest await the same result. The entry is removed when it completes, so
//! a failure is not remembered and the next read tries again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::error::{Error, Result};

/// An error every waiter can receive: clones what can be cloned, summarises the rest.
#[derive(Clone)]
struct SharedError(Arc<Error>);

impl SharedError {
    fn to_error(&self) -> Error {
        match &*self.0 {
            Error::NotFound(w) => Error::NotFound(w.clone()),
            Error::Invalid(v) => Error::Invalid(v.clone()),
            Error::Unauthorized => Error::Unauthorized,
            Error::Forbidden(w) => Error::Forbidden(w.clone()),
            Error::Conflict(w) => Error::Conflict(w.clone()),
            Error::RateLimited { retry_after_secs } => Error::RateLimited {
                retry_after_secs: *retry_after_secs,
            },
            Error::Busy {
                reason,
                retry_after_secs,
            } => Error::Busy {
                reason: reason.clone(),
                retry_after_secs: *retry_after_secs,
            },
            other => Error::internal(other.to_string()),
        }
    }
}

type Cell<T> = Arc<OnceCell<std::result::Result<T, SharedError>>>;

/// Computations in flight, by key; `T` is what they produce (cloned for each waiter).
pub struct Flights<T = Arc<str>> {
    running: Mutex<HashMap<String, Cell<T>>>,
}

impl<T> Default for Flights<T> {
    fn default() -> Self {
        Self {
            running: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Flights<T> {
    pub fn is_running(&self, key: &str) -> bool {
        self.lock().contains_key(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cell<T>>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub async fn run(&self, key: &str, work: impl Future<Output = Result<T>>) -> Result<T> {
        let cell = self
            .lock()
            .entry(key.to_owned())
            .or_insert_with(|| Arc::new(OnceCell::new()))
            .clone();
        let mut leader = false;
        let shared = cell
            .get_or_init(|| {
                leader = true;
                async { work.await.map_err(|e| SharedError(Arc::new(e))) }
            })
            .await
            .clone();
        if leader {
            let mut running = self.lock();
            if running.get(key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                running.remove(key);
            }
        }
        shared.map_err(|e| e.to_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_callers_share_one_computation() {
        let flights = Arc::new(Flights::<Arc<str>>::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let (flights, runs) = (flights.clone(), runs.clone());
                tokio::spawn(async move {
                    flights
                        .run("k", async {
                            runs.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            Ok(Arc::from("v"))
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(&*t.await.expect("joined").expect("ok"), "v");
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(!flights.is_running("k"));
    }

    #[tokio::test]
    async fn a_failure_is_shared_then_forgotten() {
        let flights = Flights::<Arc<str>>::default();
        let err = flights.run("k", async { Err(Error::NotFound("x".into())) }).await;
        assert!(matches!(err, Err(Error::NotFound(_))));
        let ok = flights.run("k", async { Ok(Arc::from("v")) }).await.expect("retried");
        assert_eq!(&*ok, "v");
    }
}
