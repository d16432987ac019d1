//! OpenAPI schemas of the model's newtypes (feature `openapi`): on the wire each is a plain
//! string or number, so the derived schema of a private field would say nothing useful.
//! Written by hand here, beside nothing else, with the rule each newtype enforces as a
//! pattern or a range — the same rule `newtypes.rs` checks, so a client can check early.
//! Bounds that depend on the field (days or money) stay with `Project::validate` and are
//! only named in the descriptions; the widest one is the schema's maximum.

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use super::{Amount, Currency, Percent, Period, Probability, ProjectId, ThreePoint};
use crate::limits::{FIRST_YEAR, LAST_YEAR, MAX_DAYS, MAX_HOURS, MAX_MONEY};

/// A string schema with a pattern, and an example that matches it.
fn text(description: &str, pattern: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
        .examples([example])
        .into()
}

/// A number schema within `[min, max]`.
fn number(description: &str, min: f64, max: f64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Double,
        )))
        .description(Some(description))
        .minimum(Some(min))
        .maximum(Some(max))
}

/// `impl ToSchema` with the type's own name, for types whose schema is written above.
macro_rules! named {
    ($($ty:ident),*) => {$(
        impl ToSchema for $ty {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($ty))
            }
        }
    )*};
}

named!(ProjectId, Period, Currency, Amount, Probability, Percent, ThreePoint);

impl PartialSchema for ProjectId {
    fn schema() -> RefOr<Schema> {
        text(
            "A project's slug: 1-40 characters a-z, 0-9 and '-', not starting with '-'.",
            "^[a-z0-9][a-z0-9-]{0,39}$",
            "orbit",
        )
    }
}

// The pattern below spells out the years of `limits`: it must change with them.
const _: () = assert!(FIRST_YEAR == 1900 && LAST_YEAR == 2999);

impl PartialSchema for Period {
    fn schema() -> RefOr<Schema> {
        text(
            "A reporting month, YYYY-MM, in the years 1900-2999.",
            "^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$",
            "2026-10",
        )
    }
}

impl PartialSchema for Currency {
    fn schema() -> RefOr<Schema> {
        text("An ISO 4217 currency code.", "^[A-Z]{3}$", "EUR")
    }
}

impl PartialSchema for Amount {
    fn schema() -> RefOr<Schema> {
        number(
            &format!(
                "A finite amount >= 0: money (at most {MAX_MONEY:e}) or a snapshot's hours (at most {MAX_HOURS:e})."
            ),
            0.0,
            MAX_MONEY,
        )
        .into()
    }
}

impl PartialSchema for Probability {
    fn schema() -> RefOr<Schema> {
        number("A probability from 0 to 1.", 0.0, 1.0).into()
    }
}

impl PartialSchema for Percent {
    fn schema() -> RefOr<Schema> {
        number("A percentage from 0 to 100.", 0.0, 100.0).into()
    }
}

impl PartialSchema for ThreePoint {
    fn schema() -> RefOr<Schema> {
        let point = |what: &str| number(what, 0.0, MAX_MONEY);
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(format!(
                "A three-point estimate, optimistic <= most_likely <= pessimistic, all >= 0: \
                 working days (at most {MAX_DAYS}) for durations and schedule impacts, money \
                 (at most {MAX_MONEY:e}) for costs."
            )))
            .property("optimistic", point("The best case."))
            .property("most_likely", point("The most likely value."))
            .property("pessimistic", point("The worst case."))
            .required("optimistic")
            .required("most_likely")
            .required("pessimistic")
            .into()
    }
}
