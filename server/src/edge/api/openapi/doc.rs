//! What the OpenAPI document says about one route, written beside the route in the table
//! (`api::routes`): a summary, the request body, the answers, the parameters and the
//! refusals particular to it. The refusals every route of a kind shares (no credentials,
//! a body too large, an id that is not found, …) are added by the document builder from the
//! route itself, so they cannot be forgotten here.

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::ToSchema;

/// Named schemas a payload or parameter refers to, for `components.schemas`.
pub type Components = Vec<(String, RefOr<Schema>)>;

/// A body: its media type, its schema, and the named schemas that schema refers to.
#[derive(Clone)]
pub struct Payload {
    pub media_type: &'static str,
    pub schema: RefOr<Schema>,
    pub components: Components,
}

impl Payload {
    /// A JSON `T`, referred to by name.
    pub fn json<T: ToSchema>() -> Self {
        let (schema, components) = named::<T>();
        Self {
            media_type: "application/json",
            schema,
            components,
        }
    }

    /// A JSON array of `T`.
    pub fn list<T: ToSchema>() -> Self {
        let Self { schema, components, .. } = Self::json::<T>();
        Self {
            media_type: "application/json",
            schema: ArrayBuilder::new().items(schema).into(),
            components,
        }
    }

    /// A JSON object described in words only (this document itself).
    pub fn object(description: &str) -> Self {
        Self {
            media_type: "application/json",
            schema: ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(description))
                .into(),
            components: Vec::new(),
        }
    }

    /// Text of `media_type` (Prometheus' exposition format).
    pub fn text(media_type: &'static str, description: &str) -> Self {
        Self {
            media_type,
            schema: ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(description))
                .into(),
            components: Vec::new(),
        }
    }
}

/// A `$ref` to `T` and the schemas to register for it: `T`'s own and those it refers to.
pub fn named<T: ToSchema>() -> (RefOr<Schema>, Components) {
    let mut components = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut components);
    (Ref::from_schema_name(T::name()).into(), components)
}

/// One answer of a route: its status, what it means, its body.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub description: &'static str,
    pub payload: Payload,
}

/// A refusal with the shared error body, as the document lists it. Ordered by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Failure {
    Unauthorized,
    Forbidden,
    NotFound,
    Timeout,
    Conflict,
    TooLarge,
    Invalid,
    RateLimited,
    Internal,
    Busy,
}

impl Failure {
    pub const ALL: [Failure; 10] = [
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::Timeout,
        Self::Conflict,
        Self::TooLarge,
        Self::Invalid,
        Self::RateLimited,
        Self::Internal,
        Self::Busy,
    ];

    pub fn status(self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Timeout => 408,
            Self::Conflict => 409,
            Self::TooLarge => 413,
            Self::Invalid => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Busy => 503,
        }
    }

    /// Its name under `components.responses`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "NotFound",
            Self::Timeout => "Timeout",
            Self::Conflict => "Conflict",
            Self::TooLarge => "TooLarge",
            Self::Invalid => "ValidationFailed",
            Self::RateLimited => "RateLimited",
            Self::Internal => "Internal",
            Self::Busy => "Unavailable",
        }
    }

    /// What it means, with the body's `error` code.
    pub fn description(self) -> &'static str {
        match self {
            Self::Unauthorized => "`unauthorized`: no credentials, or a revoked or unknown token.",
            Self::Forbidden => "`forbidden`: the caller's role may not do this.",
            Self::NotFound => "`not_found`: no such resource (a malformed id is simply not found).",
            Self::Timeout => "`timeout`: the request took longer than the configured deadline.",
            Self::Conflict => "`conflict`: the resource changed or is busy; reload and try again.",
            Self::TooLarge => "`too_large`: the body is over the 2 MiB limit.",
            Self::Invalid => "`validation_failed`: `details` names each broken rule by field.",
            Self::RateLimited => "`rate_limited`: too many requests; `retry_after_secs` says when to retry.",
            Self::Internal => "`internal`: a server fault (logged); the message is generic.",
            Self::Busy => "`unavailable`: too much work in hand; `retry_after_secs` says when to retry.",
        }
    }

    /// Whether the answer carries `Retry-After`.
    pub fn retries(self) -> bool {
        matches!(self, Self::RateLimited | Self::Busy)
    }
}

/// The documentation of one route.
#[derive(Clone)]
pub struct Doc {
    pub summary: &'static str,
    pub description: Option<&'static str>,
    pub request: Option<Payload>,
    /// Success first; other answers with their own body (not the error body) after.
    pub answers: Vec<Answer>,
    /// Path parameters whose schema is not a plain string, and query parameters.
    pub params: Vec<(Parameter, Components)>,
    /// Refusals particular to this route.
    pub failures: Vec<Failure>,
}

impl Doc {
    pub fn new(summary: &'static str) -> Self {
        Self {
            summary,
            description: None,
            request: None,
            answers: Vec::new(),
            params: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// More than the summary says.
    pub fn describe(mut self, description: &'static str) -> Self {
        self.description = Some(description);
        self
    }

    /// A JSON request body of `T`.
    pub fn body<T: ToSchema>(mut self) -> Self {
        self.request = Some(Payload::json::<T>());
        self
    }

    /// An answer: `status`, what it means, its body.
    pub fn answer(mut self, status: u16, description: &'static str, payload: Payload) -> Self {
        self.answers.push(Answer {
            status,
            description,
            payload,
        });
        self
    }

    /// 200 with a JSON `T`.
    pub fn ok<T: ToSchema>(self, description: &'static str) -> Self {
        self.answer(200, description, Payload::json::<T>())
    }

    /// The path parameter `{name}` is a `T` (plain strings need not be named).
    pub fn path<T: ToSchema>(self, name: &'static str, description: &'static str) -> Self {
        let (schema, components) = named::<T>();
        self.path_param(name, description, schema, components)
    }

    /// The path parameter `{name}` has this (unnamed) schema.
    pub fn path_with(self, name: &'static str, description: &'static str, schema: RefOr<Schema>) -> Self {
        self.path_param(name, description, schema, Vec::new())
    }

    fn path_param(mut self, name: &str, description: &str, schema: RefOr<Schema>, components: Components) -> Self {
        let param = ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some(description))
            .schema(Some(schema))
            .build();
        self.params.push((param, components));
        self
    }

    /// An optional query parameter; a value out of its schema is a 422.
    pub fn query(mut self, name: &'static str, description: &str, schema: impl Into<RefOr<Schema>>) -> Self {
        let param = ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema))
            .build();
        self.params.push((param, Vec::new()));
        self.may(&[Failure::Invalid])
    }

    /// Refusals particular to this route.
    pub fn may(mut self, failures: &[Failure]) -> Self {
        self.failures.extend_from_slice(failures);
        self
    }
}
