//! Rendered report pages, kept for at most [`PAGE_TTL`] per reader: a reader (or a crowd
//! behind one account) reloading a report costs a lookup instead of a render.
//!
//! What keeps it correct:
//! - **Per reader.** The key is the page path with the reader's name, role and sign-in
//!   state, since the page shows who is reading and what they may do; only a `200` HTML
//!   page without `Set-Cookie` is kept.
//! - **Nothing changed since.** Every stored event (edit, comment, status, regeneration)
//!   and every cache eviction (imports, clears, other instances' evictions from the cluster
//!   log) moves the epoch on, and a page rendered under an older epoch is never served —
//!   the epoch is read *before* rendering, so a render that raced a change is dropped.
//!   What is left (another instance's comment, which evicts nothing here) is bounded by
//!   the TTL, the same second as the near cache in front of Redis.
//! - **A fresh CSP nonce per response.** The page is stored with its nonce replaced by a
//!   random placeholder made at start-up, and each hit gets the request's own nonce back.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use moka::future::Cache as Moka;

/// How long a rendered page is served again.
pub const PAGE_TTL: Duration = Duration::from_secs(1);
/// Pages held at once (readers × reports read in the last second).
const CAPACITY: u64 = 2_048;

/// A rendered page: its headers and its HTML with the nonce taken out.
pub struct Page {
    epoch: u64,
    pub headers: HeaderMap,
    html: String,
}

impl Page {
    /// The HTML with `nonce` where the render's nonce was.
    pub fn html_for(&self, nonce: &str, placeholder: &str) -> String {
        self.html.replace(placeholder, nonce)
    }
}

pub struct Pages {
    inner: Moka<String, Arc<Page>>,
    epoch: AtomicU64,
    placeholder: String,
    hits: AtomicU64,
}

impl Default for Pages {
    fn default() -> Self {
        Self::with_placeholder(random_placeholder())
    }
}

impl Pages {
    fn with_placeholder(placeholder: String) -> Self {
        Self {
            inner: Moka::builder().max_capacity(CAPACITY).time_to_live(PAGE_TTL).build(),
            epoch: AtomicU64::new(0),
            placeholder,
            hits: AtomicU64::new(0),
        }
    }

    /// Where the nonce stands in stored pages.
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The epoch to record before rendering (see [`Pages::keep`]).
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Something changed: no page rendered before now is served again.
    pub fn forget_all(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// The page for `key`, if it was rendered since the last change.
    pub async fn get(&self, key: &str) -> Option<Arc<Page>> {
        let page = self.inner.get(key).await?;
        let fresh = page.epoch == self.epoch();
        if fresh {
            self.hits.fetch_add(1, Ordering::Relaxed);
        }
        fresh.then_some(page)
    }

    /// Pages served from here since start.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Keeps a page rendered from data read at `epoch`, with `nonce` (the render's) taken out;
    /// a page whose render raced a change is not kept.
    pub async fn keep(&self, key: String, epoch: u64, headers: HeaderMap, html: &str, nonce: &str) {
        if epoch != self.epoch() || nonce.is_empty() {
            return;
        }
        let html = html.replace(nonce, &self.placeholder);
        self.inner.insert(key, Arc::new(Page { epoch, headers, html })).await;
    }
}

/// A random stand-in for the CSP nonce in stored pages: nobody can put it in a page's text
/// on purpose, so replacing it puts the nonce only where the render had it.
fn random_placeholder() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..4).map(|_| format!("{:016x}", rng.random::<u64>())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_comes_back_with_the_new_nonce_and_not_after_a_change() {
        let pages = Pages::with_placeholder("PLACEHOLDER0123".into());
        let epoch = pages.epoch();
        let html = r#"<script nonce="aaaa">x</script><p>text</p>"#;
        pages.keep("k".into(), epoch, HeaderMap::new(), html, "aaaa").await;
        let page = pages.get("k").await.expect("kept");
        assert_eq!(
            page.html_for("bbbb", pages.placeholder()),
            r#"<script nonce="bbbb">x</script><p>text</p>"#
        );
        pages.forget_all();
        assert!(pages.get("k").await.is_none(), "changed since");
    }

    #[tokio::test]
    async fn a_render_that_raced_a_change_is_not_kept() {
        let pages = Pages::with_placeholder("P".into());
        let epoch = pages.epoch();
        pages.forget_all();
        pages.keep("k".into(), epoch, HeaderMap::new(), "<p>old</p>", "n").await;
        assert!(pages.get("k").await.is_none());
    }
}
