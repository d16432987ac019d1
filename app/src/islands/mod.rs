//! The interactive leaves hydrated in the browser. Each is small, with tiny props; the
//! content around them is rendered on the server.

mod lazy_section;
pub mod live;
mod live_region;
#[cfg(feature = "hydrate")]
mod observer;
mod progress;

pub use lazy_section::{report_section, LazySection};
pub use live::{CommentThreads, LiveBar, SectionEditor};
pub use live_region::{performance_snapshot, LiveRegion};
pub use progress::SectionProgress;
