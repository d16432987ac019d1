//! The write path of comments: validate → one transaction with the event → publish. Comments
//! are not report content, so they are not frozen with an approved report (a distributed
//! report can still be discussed), and they evict no cache key (pages read them fresh).

use app::domain::{ReportId, SectionId};
use app::services::{Comment, Principal, Written};

use super::PmrServices;
use crate::error::{Error, Result};
use crate::events::StoredEvent;
use crate::store::NewComment;

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 4_000;

impl PmrServices {
    /// Adds a comment; returns it, what was written, and its event (already published).
    pub async fn add_comment_inner(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        content: &str,
        parent: Option<i64>,
    ) -> Result<(Comment, Written, StoredEvent)> {
        let content = content.trim();
        if content.is_empty() {
            return Err(Error::invalid("content", "must not be blank"));
        }
        let chars = content.chars().count();
        if chars > MAX_COMMENT_CHARS {
            return Err(Error::invalid(
                "content",
                format!("must be at most {MAX_COMMENT_CHARS} characters (got {chars})"),
            ));
        }
        let outline = self.cached_outline(report).await?;
        if outline.section(section).is_none() {
            return Err(Error::invalid(
                "section_id",
                format!("report {report} has no section {section:?}"),
            ));
        }
        let (comment, event) = self
            .store()
            .add_comment(&NewComment {
                report,
                section,
                parent,
                author: &by.name,
                content,
            })
            .await?;
        let written = Written {
            version: outline.version,
            offset: event.offset,
        };
        self.publish([event.clone()]);
        Ok((comment, written, event))
    }

    /// Resolves a comment; returns what was written and its event (already published).
    pub async fn resolve_comment_inner(
        &self,
        by: &Principal,
        report: &ReportId,
        id: i64,
    ) -> Result<(Written, StoredEvent)> {
        let outline = self.cached_outline(report).await?;
        let event = self.store().resolve_comment(report, id, &by.name).await?;
        let written = Written {
            version: outline.version,
            offset: event.offset,
        };
        self.publish([event.clone()]);
        Ok((written, event))
    }

    pub(super) async fn comments_of(&self, report: &ReportId) -> Result<Vec<Comment>> {
        self.cached_outline(report).await?;
        self.store().comments(report).await
    }
}
