//! Health verdict from the alert log (SPEC §3): degraded when more than 5 of the last 20
//! alerts are critical, counting only *firing* critical alerts. An alert already stands for
//! all its repeats (see `alert_log`), so one metric stuck in breach counts once, and a
//! critical that has been resolved no longer counts.
//!
//! Only the rule lives here; the alert log itself is kept by `alert_log`.

use serde::{Deserialize, Serialize};

use crate::alerts::{Alert, Severity};

/// How many of the most recently breached alerts are considered.
pub const HEALTH_RECENT_ALERTS: usize = 20;
/// Degraded when *more* than this many of them are firing criticals (6 of 20 degrades, 5
/// does not).
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
    /// Firing critical alerts among the `recent_alerts_considered` most recently breached.
    pub firing_critical_alerts: usize,
    /// How many alerts were looked at: at most [`HEALTH_RECENT_ALERTS`].
    pub recent_alerts_considered: usize,
    /// Whether the monitor is recording (a disabled monitor raises no new alerts).
    pub enabled: bool,
}

/// Judges health from alerts given most recently breached first.
pub(crate) fn assess<'a>(newest_first: impl Iterator<Item = &'a Alert>, enabled: bool) -> Health {
    let (considered, critical) = newest_first.take(HEALTH_RECENT_ALERTS).fold((0, 0), |(n, c), alert| {
        let firing_critical = alert.is_firing() && alert.severity == Severity::Critical;
        (n + 1, c + usize::from(firing_critical))
    });
    let status = if critical > HEALTH_MAX_CRITICAL {
        HealthStatus::Degraded
    } else {
        HealthStatus::Healthy
    };
    Health {
        status,
        firing_critical_alerts: critical,
        recent_alerts_considered: considered,
        enabled,
    }
}
