//! Who may do what: the one policy every entry point asks. Each route, server function,
//! page and WebSocket message declares the [`Action`] it performs; [`authorize`] decides for
//! a principal. Pages ask it too, to decide which controls to offer — nothing else compares
//! roles.

use serde::{Deserialize, Serialize};

use crate::domain::{ReportStatus, StatusMove};
use crate::dto::Role;
use crate::error::AppError;

/// Who is asking. Built by the server's auth layer and put in the request's extensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    /// False for the anonymous reader allowed by configuration.
    pub signed_in: bool,
}

/// Everything an entry point can do, at the grain the policy decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Portfolio, project pages and the project JSON.
    ReadProjects,
    /// Download a project's full input (the import format).
    ExportProject,
    /// Reports, their sections, comments and audit log.
    ReadReports,
    /// The performance dashboard, its API, `/metrics`.
    ReadPerformance,
    ImportProject,
    GenerateReport,
    EditSection,
    Comment,
    /// A move of the report workflow; [`Action::MoveStatus`] with the move decides finally.
    ChangeStatus,
    /// One particular move (approving needs an admin).
    MoveStatus(&'static StatusMove),
    ClearCache,
    SwitchMonitor,
    ClearMonitorData,
    ManageTokens,
    /// Signing out: anyone signed in.
    SignOut,
}

impl Action {
    /// The least role the action needs.
    pub fn needs(self) -> Role {
        match self {
            Self::ReadProjects | Self::ExportProject | Self::ReadReports | Self::ReadPerformance | Self::SignOut => {
                Role::Viewer
            }
            Self::ImportProject | Self::GenerateReport | Self::EditSection | Self::Comment | Self::ChangeStatus => {
                Role::Editor
            }
            Self::MoveStatus(m) => m.needs,
            Self::ClearCache | Self::SwitchMonitor | Self::ClearMonitorData | Self::ManageTokens => Role::Admin,
        }
    }

    /// Whether it changes anything (anonymous readers, when allowed, never may).
    pub fn writes(self) -> bool {
        !matches!(
            self,
            Self::ReadProjects | Self::ExportProject | Self::ReadReports | Self::ReadPerformance
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::ReadProjects => "read_projects",
            Self::ExportProject => "export_project",
            Self::ReadReports => "read_reports",
            Self::ReadPerformance => "read_performance",
            Self::ImportProject => "import_project",
            Self::GenerateReport => "generate_report",
            Self::EditSection => "edit_section",
            Self::Comment => "comment",
            Self::ChangeStatus => "change_status",
            Self::MoveStatus(_) => "move_status",
            Self::ClearCache => "clear_cache",
            Self::SwitchMonitor => "switch_monitor",
            Self::ClearMonitorData => "clear_monitor_data",
            Self::ManageTokens => "manage_tokens",
            Self::SignOut => "sign_out",
        }
    }
}

/// May `who` do `action`? `Unauthorized` for nobody (or an anonymous reader trying to
/// write), `Forbidden` for a role too low.
pub fn authorize(who: Option<&Principal>, action: Action) -> Result<(), AppError> {
    let Some(p) = who else {
        return Err(AppError::Unauthorized);
    };
    if !p.signed_in && (action.writes() || action.needs() > Role::Viewer) {
        return Err(AppError::Unauthorized);
    }
    if p.role >= action.needs() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} needs the {} role",
            action.name(),
            action.needs().as_str()
        )))
    }
}

/// The move from `from` to `to` if the workflow has it and `who` may make it.
pub fn status_move(who: &Principal, from: ReportStatus, to: ReportStatus) -> Result<&'static StatusMove, AppError> {
    let m = from
        .move_to(to)
        .ok_or_else(|| AppError::invalid("status", format!("cannot go from {from} to {to}")))?;
    authorize(Some(who), Action::MoveStatus(m))?;
    Ok(m)
}

impl Principal {
    /// Whether the policy lets this principal do `action` (for offering controls).
    pub fn may(&self, action: Action) -> bool {
        authorize(Some(self), action).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(role: Role, signed_in: bool) -> Principal {
        Principal {
            name: "x".into(),
            role,
            signed_in,
        }
    }

    #[test]
    fn roles_and_anonymous_readers() {
        assert!(authorize(None, Action::ReadReports).is_err());
        assert!(authorize(Some(&p(Role::Viewer, true)), Action::ReadReports).is_ok());
        assert!(matches!(
            authorize(Some(&p(Role::Viewer, true)), Action::EditSection),
            Err(AppError::Forbidden(_))
        ));
        assert!(authorize(Some(&p(Role::Editor, true)), Action::EditSection).is_ok());
        assert!(authorize(Some(&p(Role::Editor, true)), Action::ClearCache).is_err());
        let anon = p(Role::Viewer, false);
        assert!(authorize(Some(&anon), Action::ReadReports).is_ok());
        assert!(matches!(
            authorize(Some(&anon), Action::SignOut),
            Err(AppError::Unauthorized)
        ));
    }

    #[test]
    fn approving_needs_an_admin() {
        use ReportStatus::*;
        assert!(status_move(&p(Role::Editor, true), Draft, Review).is_ok());
        assert!(matches!(
            status_move(&p(Role::Editor, true), Review, Approved),
            Err(AppError::Forbidden(_))
        ));
        assert!(status_move(&p(Role::Admin, true), Review, Approved).is_ok());
        assert!(matches!(
            status_move(&p(Role::Admin, true), Draft, Distributed),
            Err(AppError::Invalid { .. })
        ));
    }
}
