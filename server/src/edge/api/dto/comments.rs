//! Comments over the API: the thread entries, the body of a new comment, and what adding
//! and resolving answer (with the offset of the event, for clients following the report).

use app::domain::SectionId;
use app::services::Comment;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A comment on a section; a reply has a parent. Resolving closes the thread.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Comment)]
pub struct CommentDto {
    pub id: i64,
    pub section_id: SectionId,
    /// The comment this one answers.
    pub parent_id: Option<i64>,
    pub author: String,
    /// As written (Markdown).
    pub content: String,
    /// Rendered and sanitised on the server.
    pub html: String,
    pub created_at: String,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

impl From<Comment> for CommentDto {
    fn from(c: Comment) -> Self {
        Self {
            id: c.id,
            section_id: c.section_id,
            parent_id: c.parent_id,
            author: c.author,
            content: c.content,
            html: c.html,
            created_at: c.created_at,
            resolved_by: c.resolved_by,
            resolved_at: c.resolved_at,
        }
    }
}

/// `POST /api/v1/reports/{id}/comments`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AddCommentRequest)]
pub struct AddCommentRequest {
    /// The section commented on.
    pub section_id: String,
    /// Markdown, 1–4,000 characters.
    pub content: String,
    /// The comment this one answers, for a reply.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CommentAdded)]
pub struct CommentAddedDto {
    pub comment: CommentDto,
    /// The offset of the event that records it.
    pub offset: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CommentResolved)]
pub struct CommentResolvedDto {
    pub comment_id: i64,
    pub resolved: bool,
    pub offset: u64,
}
