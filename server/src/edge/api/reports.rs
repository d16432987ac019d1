//! Reports over JSON: generate, read the outline and sections, edit a custom section,
//! change status, read the audit log. Ids are parsed here, at the edge; the guard has
//! already checked the route's declared action.

use std::collections::HashMap;

use app::domain::{ReportId, SectionId};
use app::services::{GenerateRequest, Services};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use super::dto::{
    AddCommentRequest, AuditEntryDto, CommentAddedDto, CommentDto, CommentResolvedDto, EditSectionRequest,
    GeneratedDto, ReportDto, SectionDocumentDto, SectionWrittenDto, StatusChangeRequest, StatusChangedDto,
};
use super::{Caller, JsonBody};
use crate::error::{ApiError, Error, Result};
use crate::services::PmrServices;

/// A report id from the URL; a malformed one is simply not found.
pub fn report_id(raw: &str) -> Result<ReportId> {
    ReportId::parse(raw).map_err(|_| Error::NotFound(format!("report {raw:?}")))
}

fn section_id(raw: &str) -> Result<SectionId> {
    SectionId::parse(raw).map_err(|_| Error::NotFound(format!("section {raw:?}")))
}

pub async fn generate(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    JsonBody(req): JsonBody<GenerateRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let id = services.generate_report(&by, req).await?;
    let url = format!("/reports/{id}");
    Ok((StatusCode::CREATED, Json(GeneratedDto { id, url })))
}

pub async fn show(State(services): State<PmrServices>, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let id = report_id(&id)?;
    Ok(Json(ReportDto::from(services.outline(&id).await?)))
}

/// The values of `?criticality=`, the first being the default.
const CRITICALITY: [&str; 2] = ["top", "all"];

/// `?criticality=` as the OpenAPI document describes it.
pub fn criticality_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(CRITICALITY))
        .default(Some(CRITICALITY[0].into()))
        .into()
}

pub async fn section(
    State(services): State<PmrServices>,
    Path((id, section)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<impl IntoResponse> {
    let all = match q.get("criticality").map(String::as_str) {
        None | Some("top") => false,
        Some("all") => true,
        Some(other) => {
            return Err(Error::invalid(
                "criticality",
                format!("must be top or all (got {other:?})"),
            ))
        }
    };
    let doc = services
        .section_document(&report_id(&id)?, &section_id(&section)?, all)
        .await?;
    Ok(Json(SectionDocumentDto::from(doc)))
}

pub async fn edit_section(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    Path((id, section)): Path<(String, String)>,
    JsonBody(body): JsonBody<EditSectionRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let (id, section) = (report_id(&id)?, section_id(&section)?);
    let written = services
        .edit_section(&by, &id, &section, body.base_version, body.content)
        .await?;
    Ok(Json(SectionWrittenDto {
        section_id: section,
        version: written.version,
        offset: written.offset,
    }))
}

pub async fn set_status(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<StatusChangeRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let id = report_id(&id)?;
    let written = services.set_report_status(&by, &id, body.status).await?;
    Ok(Json(StatusChangedDto {
        id,
        status: body.status,
        offset: written.offset,
    }))
}

pub async fn audit(State(services): State<PmrServices>, Path(id): Path<String>) -> Result<impl IntoResponse> {
    let entries = services.audit_log(&report_id(&id)?).await?;
    Ok(Json(entries.into_iter().map(AuditEntryDto::from).collect::<Vec<_>>()))
}

pub async fn comments(
    State(services): State<PmrServices>,
    Path(id): Path<String>,
) -> Result<Json<Vec<CommentDto>>, ApiError> {
    let id = report_id(&id)?;
    Ok(Json(
        services
            .comments(&id)
            .await?
            .into_iter()
            .map(CommentDto::from)
            .collect(),
    ))
}

pub async fn add_comment(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AddCommentRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let id = report_id(&id)?;
    let section = SectionId::parse(&body.section_id).map_err(|rule| Error::invalid("section_id", rule))?;
    let (comment, written) = services
        .add_comment(&by, &id, &section, body.content, body.parent_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CommentAddedDto {
            comment: comment.into(),
            offset: written.offset,
        }),
    ))
}

pub async fn resolve_comment(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    Path((id, comment)): Path<(String, String)>,
) -> Result<Json<CommentResolvedDto>, ApiError> {
    let id = report_id(&id)?;
    let comment: i64 = comment
        .parse()
        .map_err(|_| Error::NotFound(format!("comment {comment:?}")))?;
    let written = services.resolve_comment(&by, &id, comment).await?;
    Ok(Json(CommentResolvedDto {
        comment_id: comment,
        resolved: true,
        offset: written.offset,
    }))
}
