//! Server-rendered building blocks shared by the pages: the layout, badges, number
//! formatting, the dashboard's charts and the error panel.

mod badges;
pub mod chart;
pub mod format;
mod layout;
mod page_error;

pub use badges::{PriorityBadge, RagBadge, StatusBadge};
pub use layout::Layout;
pub use page_error::{page_error, Breadcrumbs};
