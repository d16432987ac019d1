//! Health verdict from the alert log: degraded when too many recent alerts are critical.
//!
//! Only the rule lives here; the alert log itself is kept by `lib`.

use serde::{Deserialize, Serialize};

use crate::alerts::{Alert, Severity};

/// How many of the newest alerts are considered.
pub const HEALTH_RECENT_ALERTS: usize = 20;
/// Degraded when *more* than this many of them are critical (6 of 20 degrades, 5 does not).
pub const HEALTH_MAX_CRITICAL: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Healthy,
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: HealthStatus,
    /// Critical alerts among the `recent_alerts_considered` newest.
    pub critical_alerts_recent: usize,
    /// How many alerts were looked at: at most [`HEALTH_RECENT_ALERTS`].
    pub recent_alerts_considered: usize,
    /// Whether the monitor is recording (a disabled monitor raises no new alerts).
    pub enabled: bool,
}

/// Judges health from alerts given newest first.
pub(crate) fn assess<'a>(newest_first: impl Iterator<Item = &'a Alert>, enabled: bool) -> Health {
    let (considered, critical) = newest_first.take(HEALTH_RECENT_ALERTS).fold((0, 0), |(n, c), alert| {
        (n + 1, c + usize::from(alert.severity == Severity::Critical))
    });
    let status = if critical > HEALTH_MAX_CRITICAL {
        HealthStatus::Degraded
    } else {
        HealthStatus::Healthy
    };
    Health {
        status,
        critical_alerts_recent: critical,
        recent_alerts_considered: considered,
        enabled,
    }
}
