//! Editing a custom section: the one write path of every edge (JSON API, form, WebSocket).
//! validate → one transaction (the text, its audit entry, its event) → evict → publish.
//!
//! With several instances (a shared PostgreSQL) the eviction also goes into the cluster log
//! for the others — written by the edit's own transaction rather than by one of its own
//! after it, so it costs neither a round trip nor a commit. The others read the log every
//! half second; until then their near caches hold a value for at most a second, as with
//! any eviction (a note committed just before this instance's Redis eviction can only let
//! another instance re-read the old value within that same second).
//!
//! It reads nothing through the cache first. Whether the report is editable and the section
//! a custom one at the editor's base version is checked by the store inside the transaction
//! that writes (and is therefore never answered from a stale copy); the cached outline,
//! which every edit evicts, is not reloaded just to be evicted again.
//!
//! What an edit must evict, and why each:
//! - the section's keys (`pmr:section:{report}:{section}:v*`): its HTML changed. All
//!   versions in memory, not just the base one, so a key a reader re-created from an
//!   outline read before an earlier edit cannot outlive this one; in Redis the latest 32
//!   by key, not by a `SCAN` of the keyspace per edit (`cache::Pattern::section_edited`
//!   says why that is enough);
//! - the outline (`pmr:report:{report}`): it holds the section's version (which picks the
//!   section key readers fetch), its rows (the placeholder's height), whether it has
//!   content, and the report's `updated_at` — all changed by the edit;
//! - the executive summary's key: its completeness counts the custom sections that have
//!   content. Only a change between blank and written moves it, but what the section held
//!   before is not known here without a read, and one more eviction is cheaper than a read.
//!   One exact key, not a pattern: only custom sections are versioned, so the summary's
//!   version never moves and its key is known (with Redis a pattern costs a SCAN of every
//!   key, on every edit).

use std::sync::Arc;

use app::domain::{ReportId, SectionId};
use app::dto::SectionKind;
use app::services::{Principal, Written};

use super::PmrServices;
use crate::cache::{Key, Pattern};
use crate::error::{Error, Result};
use crate::events::StoredEvent;
use crate::store::{LogNote, Saved, SectionEdit};

/// The longest custom section, in bytes of Markdown: below the 64 KiB WebSocket frame, so
/// an edit over the limit is answered with the rule rather than a closed socket.
pub const MAX_MARKDOWN_BYTES: usize = 60_000;

/// Reports whose summary sections (ids and versions) this process remembers. A report's
/// section list is fixed when it is generated (never added to, removed or re-kinded; report
/// ids are never reused) and a summary's version never moves, so an entry never goes stale;
/// the bound only caps memory.
pub(super) const SUMMARIES_KEPT: u64 = 10_000;

/// What saving a section against a base version did.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Stored, with the event that records it (already published).
    Saved(Written, StoredEvent),
    /// Someone saved first: nothing was stored; this is what the section holds now.
    Stale {
        current_version: u32,
        current_markdown: String,
    },
}

impl PmrServices {
    /// Saves a custom section's Markdown when `base_version` is current; a stale base is a
    /// `Conflict`.
    pub(super) async fn save_markdown(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        base_version: u32,
        markdown_text: String,
    ) -> Result<Written> {
        match self
            .write_markdown(by, report, section, base_version, &markdown_text)
            .await?
        {
            Edit::Saved(written, _) => Ok(written),
            Edit::Stale { current_version, .. } => Err(Error::Conflict(format!(
                "section {section:?} is at version {current_version}, not {base_version}: someone saved first; \
                 reload and edit again"
            ))),
        }
    }

    /// The one write path of a custom section, for every edge (see the module docs). A
    /// stale `base_version` stores nothing and says what the section holds now, so the
    /// editor loses no text; an unknown report or section, a computed section or a frozen
    /// report is refused by the store with nothing written.
    pub async fn write_markdown(
        &self,
        by: &Principal,
        report: &ReportId,
        section: &SectionId,
        base_version: u32,
        markdown_text: &str,
    ) -> Result<Edit> {
        if markdown_text.len() > MAX_MARKDOWN_BYTES {
            return Err(Error::invalid(
                "content",
                format!(
                    "must be at most {MAX_MARKDOWN_BYTES} bytes (got {})",
                    markdown_text.len()
                ),
            ));
        }
        let rows = app::sections::custom_rows(markdown_text);
        let html = crate::markdown::to_safe_html(markdown_text);
        let evict = self.evictions(report, section, base_version + 1).await?;
        // With several instances the eviction reaches the others through the cluster log,
        // written by the edit's own transaction: no round trip and commit of its own.
        let note = self.eviction_note(&evict);
        let saved = self
            .store()
            .update_markdown(&SectionEdit {
                report,
                section,
                base_version,
                markdown: markdown_text,
                html: &html,
                rows,
                actor: &by.name,
                note: note.as_deref().map(|payload| LogNote {
                    kind: crate::cluster::INVALIDATE,
                    payload,
                }),
            })
            .await?;
        let event = match saved {
            Saved::Saved(e) => e,
            Saved::Stale {
                current_version,
                current_markdown,
            } => {
                return Ok(Edit::Stale {
                    current_version,
                    current_markdown,
                })
            }
        };
        // Here, before anyone hears of the edit (the others: see the note above).
        self.cache().invalidate(&evict).await;
        let written = Written {
            version: base_version + 1,
            offset: event.offset,
        };
        self.publish([event.clone()]);
        Ok(Edit::Saved(written, event))
    }

    /// What an edit of `section` that makes version `newest` evicts (see the module docs).
    async fn evictions(&self, report: &ReportId, section: &SectionId, newest: u32) -> Result<Vec<Pattern>> {
        let mut evict = vec![
            Pattern::section_edited(report.as_str(), section.as_str(), newest),
            Pattern::exact(&Key::Report {
                report: report.to_string(),
            }),
        ];
        let summaries = self.summaries(report).await?;
        evict.extend(summaries.iter().map(|(id, version)| {
            Pattern::exact(&Key::Section {
                report: report.to_string(),
                section: id.to_string(),
                version: *version,
            })
        }));
        Ok(evict)
    }

    /// The ids and versions of a report's executive summary sections, read from the store
    /// once per report and then remembered (see [`SUMMARIES_KEPT`]). An empty answer is not
    /// kept: the report may not exist yet (the edit will be refused) and must not be
    /// remembered as having no summary once it does.
    async fn summaries(&self, report: &ReportId) -> Result<Arc<[(SectionId, u32)]>> {
        if let Some(ids) = self.inner.summaries.get(report).await {
            return Ok(ids);
        }
        let ids: Arc<[(SectionId, u32)]> = self
            .store()
            .sections_of_kind(report, SectionKind::ExecutiveSummary)
            .await?
            .into();
        if !ids.is_empty() {
            self.inner.summaries.insert(report.clone(), Arc::clone(&ids)).await;
        }
        Ok(ids)
    }
}
