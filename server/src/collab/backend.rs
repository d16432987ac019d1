//! The hub's [`Backend`] over the services: a joiner's starting state (read in one
//! transaction, so its offset and its state agree), replay by offset from the event log, and
//! every edit or comment through the services' one write path — stored with its event
//! before anyone hears of it. Each message declares its action, and the one policy decides.

use app::domain::{ReportId, SectionId};
use app::dto::Role;
use app::policy::{authorize, Action, Principal};
use hub::{Command, ErrorReply, HistoryError, Refusal, Reply, Snapshot};

use super::bridge::to_hub;
use crate::error::Error;
use crate::services::{Edit, PmrServices};

#[derive(Clone)]
pub struct ServicesBackend {
    services: PmrServices,
    /// This instance's presence changes and cursors, on their way to the other instances.
    relay: crate::cluster::Relay,
    /// Who is connected to the other instances.
    presence: crate::cluster::PresenceBook,
}

impl ServicesBackend {
    pub fn new(services: PmrServices, relay: crate::cluster::Relay, presence: crate::cluster::PresenceBook) -> Self {
        Self {
            services,
            relay,
            presence,
        }
    }
}

/// The server's principal for a hub participant.
fn principal(who: &hub::Principal) -> Principal {
    Principal {
        name: who.user.to_string(),
        role: match who.role {
            hub::Role::Viewer => Role::Viewer,
            hub::Role::Editor => Role::Editor,
            hub::Role::Admin => Role::Admin,
        },
        signed_in: true,
    }
}

/// A report id the hub carries (the socket's route parsed it already).
fn report_id(report: &hub::ReportId) -> Result<ReportId, Refusal> {
    ReportId::parse(report.as_str()).map_err(|_| Refusal::NotFound)
}

/// A service error as the `error` frame says it: its code, the rule, the field.
fn reply_error(e: Error) -> ErrorReply {
    let app = app::error::AppError::from(e);
    let body = app.body();
    let mut reply = ErrorReply::new(body.error, body.message);
    if let Some(first) = body.details.into_iter().next() {
        reply = reply.with_field(first.field);
    }
    reply
}

impl hub::Backend for ServicesBackend {
    fn relay(&self, report: &hub::ReportId, message: &hub::protocol::Ephemeral) {
        if let hub::protocol::Ephemeral::Presence(p) = message {
            if p.online {
                self.presence.local(report);
            } else {
                self.presence.left(report, &p.user);
            }
        }
        self.relay.send(report, message);
    }

    async fn join(&self, report: &hub::ReportId, who: &hub::Principal) -> Result<Snapshot, Refusal> {
        let report = report_id(report)?;
        authorize(Some(&principal(who)), Action::ReadReports).map_err(|e| Refusal::Forbidden(e.to_string()))?;
        let state = match self.services.room_state(&report).await {
            Ok(s) => s,
            Err(Error::NotFound(_)) => return Err(Refusal::NotFound),
            Err(e) => return Err(Refusal::Unavailable(e.to_string())),
        };
        Ok(Snapshot {
            section_versions: state.section_versions.into_iter().collect(),
            comments: state
                .comments
                .iter()
                .filter_map(|c| serde_json::to_value(c).ok())
                .collect(),
            offset: state.offset,
            remote_participants: self.presence.remote(&hub::ReportId::new(report.as_str())).await,
        })
    }

    async fn events_since(&self, report: &hub::ReportId, offset: u64) -> Result<Vec<hub::StoredEvent>, HistoryError> {
        let report = ReportId::parse(report.as_str()).map_err(|_| HistoryError::TooOld)?;
        match self.services.events_since(&report, offset).await {
            Ok(Ok(events)) => Ok(events.iter().map(to_hub).collect()),
            Ok(Err(_too_old)) => Err(HistoryError::TooOld),
            Err(e) => Err(HistoryError::Unavailable(e.to_string())),
        }
    }

    async fn handle(
        &self,
        report: &hub::ReportId,
        who: &hub::Principal,
        command: Command,
    ) -> Result<Reply, ErrorReply> {
        let report = ReportId::parse(report.as_str()).map_err(|e| ErrorReply::new("not_found", e))?;
        let by = principal(who);
        let action = match &command {
            Command::SectionUpdate(_) => Action::EditSection,
            Command::CommentAdd(_) | Command::CommentResolve(_) => Action::Comment,
        };
        authorize(Some(&by), action).map_err(|e| ErrorReply::new(e.code(), e.to_string()))?;
        match command {
            Command::SectionUpdate(u) => {
                let section = SectionId::parse(&u.section_id)
                    .map_err(|rule| ErrorReply::new("validation_failed", rule).with_field("section_id"))?;
                match self
                    .services
                    .write_markdown(&by, &report, &section, u.base_version, &u.content)
                    .await
                    .map_err(reply_error)?
                {
                    Edit::Saved(written, event) => Ok(Reply::Accepted {
                        event: to_hub(&event),
                        version: Some(written.version),
                    }),
                    Edit::Stale {
                        current_version,
                        current_markdown,
                    } => Ok(Reply::Conflict(hub::protocol::Conflict {
                        section_id: section.to_string(),
                        current_version,
                        current_content: current_markdown,
                    })),
                }
            }
            Command::CommentAdd(c) => {
                let section = SectionId::parse(&c.section_id)
                    .map_err(|rule| ErrorReply::new("validation_failed", rule).with_field("section_id"))?;
                let parent = match c.parent_id {
                    None => None,
                    Some(p) => Some(p.parse::<i64>().map_err(|_| {
                        ErrorReply::new("validation_failed", "must be a comment id").with_field("parent_id")
                    })?),
                };
                let (_, _, event) = self
                    .services
                    .add_comment_inner(&by, &report, &section, &c.content, parent)
                    .await
                    .map_err(reply_error)?;
                Ok(Reply::Accepted {
                    event: to_hub(&event),
                    version: None,
                })
            }
            Command::CommentResolve(r) => {
                let id = r.comment_id.parse::<i64>().map_err(|_| {
                    ErrorReply::new("validation_failed", "must be a comment id").with_field("comment_id")
                })?;
                let (_, event) = self
                    .services
                    .resolve_comment_inner(&by, &report, id)
                    .await
                    .map_err(reply_error)?;
                Ok(Reply::Accepted {
                    event: to_hub(&event),
                    version: None,
                })
            }
        }
    }
}
