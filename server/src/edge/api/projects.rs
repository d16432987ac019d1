//! Projects over JSON: the portfolio, one project, import (the import format, refused
//! whole when any rule breaks), export (the same format back: import(export(p)) = p).

use app::services::Services;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use engine::ProjectId;

use super::dto::{ImportedDto, PortfolioRowDto, ProjectDto};
use super::{Caller, RawBody};
use crate::error::{ApiError, Error, Result};
use crate::services::PmrServices;

/// A project id from the URL; a malformed one is simply not found.
fn project_id(raw: &str) -> Result<ProjectId> {
    ProjectId::parse(raw).map_err(|_| Error::NotFound(format!("project {raw:?}")))
}

pub async fn import(
    State(services): State<PmrServices>,
    Caller(by): Caller,
    RawBody(body): RawBody,
) -> Result<impl IntoResponse> {
    let outcome = services.import(&by, &body).await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ImportedDto::from(outcome))))
}

pub async fn list(State(services): State<PmrServices>) -> Result<impl IntoResponse, ApiError> {
    let rows = services.portfolio().await?;
    Ok(Json(rows.into_iter().map(PortfolioRowDto::from).collect::<Vec<_>>()))
}

pub async fn show(State(services): State<PmrServices>, Path(id): Path<String>) -> Result<impl IntoResponse, ApiError> {
    let id = project_id(&id)?;
    Ok(Json(ProjectDto::from(services.project(&id).await?)))
}

/// The project's full input in the import format, as a download.
pub async fn export(State(services): State<PmrServices>, Path(id): Path<String>) -> Result<impl IntoResponse> {
    let id = project_id(&id)?;
    let project = services.export(&id).await?;
    // The id is a slug, so it is safe in a header as it is.
    let disposition = format!("attachment; filename=\"{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(project)))
}
