//! The monitor's readings as the performance API answers them (SPEC §3): stats, alerts,
//! samples, recommendations, health. The field names are those the monitor has always
//! serialised; mapping them here fixes them as the contract, whatever the monitor's own
//! types become.

use std::collections::BTreeMap;

use monitor::{Alert, AlertState, Comparison, Health, HealthStatus, MetricSample, MonitorStats, OperationStats};
use monitor::{Priority, Recommendation, Severity, Unit};
use serde::Serialize;
use utoipa::ToSchema;

/// Everything the monitor knows at once.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = MonitorStats)]
pub struct MonitorStatsDto {
    /// Seconds since the server started.
    pub uptime_seconds: u64,
    /// Whether the monitor is recording.
    pub enabled: bool,
    /// Timings held, all operations together.
    pub total_timings: usize,
    /// Metric samples held.
    pub total_metric_samples: usize,
    /// Every breach recorded since start, repeats included.
    pub total_alerts: u64,
    /// Alerts firing now.
    pub firing_alerts: usize,
    /// Timing statistics per operation name.
    pub operations: BTreeMap<String, OperationStatsDto>,
    /// The most recent alerts, firing first.
    pub recent_alerts: Vec<AlertDto>,
    pub health: MonitorHealthDto,
}

impl MonitorStatsDto {
    pub fn new(s: MonitorStats, uptime_seconds: u64) -> Self {
        Self {
            uptime_seconds,
            enabled: s.enabled,
            total_timings: s.total_timings,
            total_metric_samples: s.total_metric_samples,
            total_alerts: s.total_alerts,
            firing_alerts: s.firing_alerts,
            operations: s.operations.into_iter().map(|(k, v)| (k, v.into())).collect(),
            recent_alerts: s.recent_alerts.into_iter().map(AlertDto::from).collect(),
            health: s.health.into(),
        }
    }
}

/// One operation's timings, in milliseconds (nearest-rank percentiles).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(as = OperationStats)]
pub struct OperationStatsDto {
    pub count: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
    pub p95: f64,
    pub p99: f64,
}

impl From<OperationStats> for OperationStatsDto {
    fn from(s: OperationStats) -> Self {
        Self {
            count: s.count,
            min: s.min,
            max: s.max,
            mean: s.mean,
            median: s.median,
            p95: s.p95,
            p99: s.p99,
        }
    }
}

/// The monitor's verdict: degraded when too many recent alerts are firing criticals.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = MonitorHealth)]
pub struct MonitorHealthDto {
    pub status: HealthStatusDto,
    pub firing_critical_alerts: usize,
    pub recent_alerts_considered: usize,
    pub enabled: bool,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = HealthStatus)]
pub enum HealthStatusDto {
    Healthy,
    Degraded,
}

impl From<Health> for MonitorHealthDto {
    fn from(h: Health) -> Self {
        Self {
            status: match h.status {
                HealthStatus::Healthy => HealthStatusDto::Healthy,
                HealthStatus::Degraded => HealthStatusDto::Degraded,
            },
            firing_critical_alerts: h.firing_critical_alerts,
            recent_alerts_considered: h.recent_alerts_considered,
            enabled: h.enabled,
        }
    }
}

/// One alert: every breach of a metric at one severity while it stays in breach.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Alert)]
pub struct AlertDto {
    pub id: u64,
    pub metric: String,
    pub severity: LevelDto,
    pub state: AlertStateDto,
    /// When a resolved alert's metric came back inside its threshold, unix ms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at_ms: Option<u64>,
    /// Breaches this alert stands for (>= 1).
    pub count: u64,
    /// The first and the latest breach, unix ms.
    pub first_seen_ms: u64,
    pub last_seen_ms: u64,
    /// The latest value in breach.
    pub value: f64,
    pub threshold: f64,
    pub unit: UnitDto,
    pub comparison: ComparisonDto,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = AlertState)]
pub enum AlertStateDto {
    Firing,
    Resolved,
}

/// How far off (an alert) or how urgent (a recommendation).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Level)]
pub enum LevelDto {
    Low,
    Medium,
    High,
    Critical,
}

impl From<Severity> for LevelDto {
    fn from(s: Severity) -> Self {
        match s {
            Severity::Low => Self::Low,
            Severity::Medium => Self::Medium,
            Severity::High => Self::High,
            Severity::Critical => Self::Critical,
        }
    }
}

impl From<Priority> for LevelDto {
    fn from(p: Priority) -> Self {
        match p {
            Priority::Low => Self::Low,
            Priority::Medium => Self::Medium,
            Priority::High => Self::High,
            Priority::Critical => Self::Critical,
        }
    }
}

/// The unit of a metric: milliseconds, percent, megabytes or a count.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = Unit)]
pub enum UnitDto {
    Ms,
    Percent,
    Mb,
    Count,
}

impl From<Unit> for UnitDto {
    fn from(u: Unit) -> Self {
        match u {
            Unit::Ms => Self::Ms,
            Unit::Percent => Self::Percent,
            Unit::Mb => Self::Mb,
            Unit::Count => Self::Count,
        }
    }
}

/// The comparison that failed: above (`>`) or below (`<`, for rates) the threshold.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[schema(as = Comparison)]
pub enum ComparisonDto {
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
}

impl From<Alert> for AlertDto {
    fn from(a: Alert) -> Self {
        let (state, resolved_at_ms) = match a.state {
            AlertState::Firing => (AlertStateDto::Firing, None),
            AlertState::Resolved { resolved_at_ms } => (AlertStateDto::Resolved, Some(resolved_at_ms)),
        };
        Self {
            id: a.id,
            metric: a.metric,
            severity: a.severity.into(),
            state,
            resolved_at_ms,
            count: a.count,
            first_seen_ms: a.first_seen_ms,
            last_seen_ms: a.last_seen_ms,
            value: a.value,
            threshold: a.threshold,
            unit: a.unit.into(),
            comparison: match a.comparison {
                Comparison::Above => ComparisonDto::Above,
                Comparison::Below => ComparisonDto::Below,
            },
            message: a.message,
        }
    }
}

/// `GET …/alerts`: every alert held, firing first.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Alerts)]
pub struct AlertsDto {
    pub count: usize,
    pub alerts: Vec<AlertDto>,
}

impl From<Vec<Alert>> for AlertsDto {
    fn from(alerts: Vec<Alert>) -> Self {
        Self {
            count: alerts.len(),
            alerts: alerts.into_iter().map(AlertDto::from).collect(),
        }
    }
}

/// One recorded value.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = MetricSample)]
pub struct MetricSampleDto {
    pub name: String,
    pub value: f64,
    pub unit: UnitDto,
    /// For a rate: how many events it was computed over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<u64>,
    /// When it was recorded, unix ms.
    pub at_ms: u64,
}

impl From<MetricSample> for MetricSampleDto {
    fn from(s: MetricSample) -> Self {
        Self {
            name: s.name,
            value: s.value,
            unit: s.unit.into(),
            events: s.events,
            at_ms: s.at_ms,
        }
    }
}

/// `GET …/metrics`: the most recent samples, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Metrics)]
pub struct MetricsDto {
    pub limit: u32,
    pub metrics: Vec<MetricSampleDto>,
}

/// One recommendation drawn from the stats.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Recommendation)]
pub struct RecommendationDto {
    pub category: String,
    pub priority: LevelDto,
    /// What is wrong, with the figures.
    pub issue: String,
    pub recommendation: String,
    pub expected_improvement: String,
}

impl From<Recommendation> for RecommendationDto {
    fn from(r: Recommendation) -> Self {
        Self {
            category: r.category,
            priority: r.priority.into(),
            issue: r.issue,
            recommendation: r.recommendation,
            expected_improvement: r.expected_improvement,
        }
    }
}

/// `GET …/recommendations`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Recommendations)]
pub struct RecommendationsDto {
    pub recommendations: Vec<RecommendationDto>,
}
