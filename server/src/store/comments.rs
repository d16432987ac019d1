//! Comment threads: added and resolved in one transaction with their event, listed per
//! report. The Markdown is rendered (sanitised) once, when written.

use app::domain::{ReportId, SectionId};
use app::services::Comment;

use super::events::append;
use super::{corrupt, now_text, Store};
use crate::error::{Error, Result};
use crate::events::{ReportEvent, StoredEvent};

#[derive(sqlx::FromRow)]
struct CommentRecord {
    id: i64,
    section_id: String,
    parent_id: Option<i64>,
    author: String,
    content: String,
    created_at: String,
    resolved_by: Option<String>,
    resolved_at: Option<String>,
}

impl CommentRecord {
    fn into_comment(self) -> Result<Comment> {
        Ok(Comment {
            id: self.id,
            section_id: SectionId::parse(&self.section_id).map_err(corrupt)?,
            parent_id: self.parent_id,
            author: self.author,
            html: crate::markdown::to_safe_html(&self.content),
            content: self.content,
            created_at: self.created_at,
            resolved_by: self.resolved_by,
            resolved_at: self.resolved_at,
        })
    }
}

const COLUMNS: &str = "id, section_id, parent_id, author, content, created_at, resolved_by, resolved_at";

/// A new comment, as the write path hands it to the store.
pub struct NewComment<'a> {
    pub report: &'a ReportId,
    pub section: &'a SectionId,
    pub parent: Option<i64>,
    pub author: &'a str,
    pub content: &'a str,
}

impl Store {
    /// Stores a comment with its event. A parent must be a comment of the same report.
    pub async fn add_comment(&self, c: &NewComment<'_>) -> Result<(Comment, StoredEvent)> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            if let Some(parent) = c.parent {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM comments WHERE id = $1 AND report_id = $2")
                    .bind(parent)
                    .bind(c.report.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(Error::invalid(
                        "parent_id",
                        format!("no comment {parent} in report {}", c.report),
                    ));
                }
            }
            let record: CommentRecord = sqlx::query_as(&format!(
                "INSERT INTO comments (report_id, section_id, parent_id, author, content, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
            ))
            .bind(c.report.as_str())
            .bind(c.section.as_str())
            .bind(c.parent)
            .bind(c.author)
            .bind(c.content)
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
            let comment = record.into_comment()?;
            let json = serde_json::to_value(&comment).map_err(corrupt)?;
            let event = append(&mut tx, c.report, c.author, ReportEvent::CommentAdded { comment: json }).await?;
            tx.commit().await?;
            Ok((comment, event))
        })
        .await
    }

    /// Marks a comment resolved, with its event. `NotFound` for a comment not in the
    /// report; `Conflict` when it was resolved already.
    pub async fn resolve_comment(&self, report: &ReportId, id: i64, user: &str) -> Result<StoredEvent> {
        self.timed(async {
            let (_turn, mut tx) = self.write_tx().await?;
            let done = sqlx::query(
                "UPDATE comments SET resolved_by = $1, resolved_at = $2 \
                 WHERE id = $3 AND report_id = $4 AND resolved_at IS NULL",
            )
            .bind(user)
            .bind(now_text())
            .bind(id)
            .bind(report.as_str())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM comments WHERE id = $1 AND report_id = $2")
                        .bind(id)
                        .bind(report.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(match exists {
                    None => Error::NotFound(format!("comment {id} in report {report:?}")),
                    Some(_) => Error::Conflict(format!("comment {id} is resolved already")),
                });
            }
            let event = append(
                &mut tx,
                report,
                user,
                ReportEvent::CommentResolved {
                    comment_id: id,
                    user: user.to_owned(),
                },
            )
            .await?;
            tx.commit().await?;
            Ok(event)
        })
        .await
    }

    /// Every comment of a report, oldest first.
    pub async fn comments(&self, report: &ReportId) -> Result<Vec<Comment>> {
        self.timed(async {
            let mut conn = self.pool.acquire().await?;
            list(&mut conn, report).await
        })
        .await
    }
}

/// Every comment of a report, oldest first, on a given connection (inside a transaction when
/// it must agree with other reads).
pub(super) async fn list(conn: &mut sqlx::AnyConnection, report: &ReportId) -> Result<Vec<Comment>> {
    let rows: Vec<CommentRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM comments WHERE report_id = $1 ORDER BY id"
    ))
    .bind(report.as_str())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(CommentRecord::into_comment).collect()
}
