//! What each entry point does. Every API route (`api::routes`), page and server function
//! declares here the [`Action`] it performs, or that it is public; the guard asks the one
//! policy ([`app::policy::authorize`]) for every request. A route with no declaration is
//! refused, and the role-matrix test — which enumerates the router's routes and the
//! server-function registry — fails, so nothing new can be reachable unguarded.
//!
//! WebSocket messages declare their actions the same way where the hub handles them.

use std::collections::HashMap;

use app::policy::Action;
use axum::http::Method;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (probes, sign-in, static files).
    Public,
    /// A principal the policy lets do this.
    Needs(Action),
}

/// Pages (Leptos routes, axum path syntax), all read with GET.
pub const PAGES: &[(&str, Access)] = &[
    ("/", Access::Needs(Action::ReadProjects)),
    ("/projects/{id}", Access::Needs(Action::ReadProjects)),
    ("/reports/{id}", Access::Needs(Action::ReadReports)),
    ("/reports/{id}/sections/{section}", Access::Needs(Action::ReadReports)),
    ("/performance", Access::Needs(Action::ReadPerformance)),
    ("/sign-in", Access::Public),
];

/// Server functions by path (all POST).
pub const SERVER_FNS: &[(&str, Access)] = &[
    ("/api/fn/report_section", Access::Needs(Action::ReadReports)),
    ("/api/fn/performance_snapshot", Access::Needs(Action::ReadPerformance)),
    ("/api/fn/set_report_status", Access::Needs(Action::ChangeStatus)),
    ("/api/fn/generate_report", Access::Needs(Action::GenerateReport)),
    ("/api/fn/edit_section", Access::Needs(Action::EditSection)),
    ("/api/fn/add_comment", Access::Needs(Action::Comment)),
    ("/api/fn/resolve_comment", Access::Needs(Action::Comment)),
    ("/api/fn/set_monitoring", Access::Needs(Action::SwitchMonitor)),
    ("/api/fn/clear_monitor_data", Access::Needs(Action::ClearMonitorData)),
    // The load benchmark's constant function (feature `bench` only).
    ("/api/fn/bench_constant", Access::Needs(Action::ReadReports)),
];

/// Sign-in and sign-out, served outside the API table.
pub const AUTH: &[(Method, &str, Access)] = &[
    (Method::POST, "/auth/sign-in", Access::Public),
    (Method::POST, "/auth/sign-out", Access::Needs(Action::SignOut)),
];

/// Every declaration, by (method, path template): what the guard looks up.
#[derive(Debug, Clone, Default)]
pub struct AccessTable(HashMap<(Method, String), Access>);

impl AccessTable {
    pub fn build(api: impl IntoIterator<Item = (Method, &'static str, Access)>) -> Self {
        let mut t = HashMap::new();
        for (method, path, access) in api {
            t.insert((method, path.to_owned()), access);
        }
        for (path, access) in PAGES {
            t.insert((Method::GET, (*path).to_owned()), *access);
        }
        for (path, access) in SERVER_FNS {
            t.insert((Method::POST, (*path).to_owned()), *access);
        }
        for (method, path, access) in AUTH {
            t.insert((method.clone(), (*path).to_owned()), *access);
        }
        Self(t)
    }

    /// The declaration for a matched route; HEAD is asked as GET.
    pub fn get(&self, method: &Method, template: &str) -> Option<Access> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.0.get(&(method.clone(), template.to_owned())).copied()
    }

    /// Whether any method of this path template is declared (a request with another
    /// method is answered 405, not refused as undeclared).
    pub fn declares_path(&self, template: &str) -> bool {
        self.0.keys().any(|(_, p)| p == template)
    }

    /// Every declared (method, path).
    pub fn entries(&self) -> impl Iterator<Item = (&Method, &str, Access)> {
        self.0.iter().map(|((m, p), a)| (m, p.as_str(), *a))
    }
}
