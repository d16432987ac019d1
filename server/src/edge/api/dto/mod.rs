//! The public JSON API's own types: explicit, stable shapes, mapped from the services' view
//! models, the store's rows and the monitor's readings here and nowhere else — so renaming a
//! field of the UI, a column or a monitor struct never changes the API silently. Request
//! bodies are here too. The OpenAPI document is generated from these types (`ToSchema`; see
//! `api::openapi`), together with the engine's import model and the shared domain types.

mod comments;
mod health;
mod monitor;
mod performance;
mod projects;
mod reports;
mod tokens;

pub use comments::{AddCommentRequest, CommentAddedDto, CommentDto, CommentResolvedDto};
pub use health::{CacheBackendDto, LiveDto, NotReadyDto, ReadyDto};
pub use monitor::{AlertsDto, MetricSampleDto, MetricsDto, MonitorStatsDto, RecommendationDto, RecommendationsDto};
pub use performance::{
    BatchingDto, CacheClearedDto, CacheStatsDto, MonitorDataClearedDto, MonitorSwitchedDto, PerformanceHealthDto,
    WebSocketSessionDto, WebSocketStatsDto,
};
pub use projects::{ImportedDto, PortfolioRowDto, ProjectDto};
pub use reports::{
    AuditEntryDto, EditSectionRequest, GeneratedDto, ReportDto, SectionDocumentDto, SectionDto, SectionWrittenDto,
    StatusChangeRequest, StatusChangedDto,
};
pub use tokens::{CreateTokenRequest, CreatedTokenDto, RevokedTokenDto, TokenDto};
