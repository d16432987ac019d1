//! The page for any path no route matches: a 404 with a way back.

use leptos::prelude::*;

use crate::components::{page_error, Layout};
use crate::error::AppError;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <Layout>{page_error(AppError::NotFound("page at this address".into()))}</Layout> }
}
