//! OpenAPI schemas of the report ids (server side only: the JSON API's document is built by
//! the server). On the wire an id is a plain string; its schema carries the slug rule that
//! `ReportId::parse` / `SectionId::parse` enforce, with the same maximum length. The enums
//! and error body derive theirs where they are declared.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::domain::{ReportId, SectionId};

/// A slug of 1 to `max` characters, as `domain::is_slug` accepts.
fn slug(description: &str, max: usize, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some("^[a-z0-9][a-z0-9-]*$"))
        .min_length(Some(1))
        .max_length(Some(max))
        .examples([example])
        .into()
}

impl PartialSchema for ReportId {
    fn schema() -> RefOr<Schema> {
        slug(
            "A report's id: `{project}-{period}`, plus `-n` for later reports of the same month.",
            ReportId::MAX_LEN,
            "orbit-2026-10",
        )
    }
}

impl ToSchema for ReportId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ReportId")
    }
}

impl PartialSchema for SectionId {
    fn schema() -> RefOr<Schema> {
        slug(
            "A section's id within its report (`summary`, `forecast`, `budget-notes`, ...).",
            SectionId::MAX_LEN,
            "forecast",
        )
    }
}

impl ToSchema for SectionId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SectionId")
    }
}
