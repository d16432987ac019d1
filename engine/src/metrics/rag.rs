//! Red/amber/green status per dimension and overall, with thresholds from configuration
//! (defaults of SPEC §1.3). Overall is the worst dimension that has data.

use serde::{Deserialize, Serialize};

use super::{EarnedSchedule, Evm, Metrics, Resources};

/// Red/amber/green. `NotAvailable` when the data for a dimension is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
    NotAvailable,
}

impl Rag {
    /// Severity for "worst of": not-available never outranks a real status.
    fn severity(self) -> u8 {
        match self {
            Rag::NotAvailable => 0,
            Rag::Green => 1,
            Rag::Amber => 2,
            Rag::Red => 3,
        }
    }
    pub fn worst(items: impl IntoIterator<Item = Rag>) -> Rag {
        items
            .into_iter()
            .max_by_key(|r| r.severity())
            .unwrap_or(Rag::NotAvailable)
    }
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "Green",
            Rag::Amber => "Amber",
            Rag::Red => "Red",
            Rag::NotAvailable => "n/a",
        }
    }
}

/// RAG thresholds (configuration; defaults from SPEC §1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RagThresholds {
    pub cpi_green: f64,
    pub cpi_amber: f64,
    pub spi_green: f64,
    pub spi_amber: f64,
    /// Schedule is red when the forecast finish is more than this many working days late.
    pub slip_red_days: i64,
    pub utilisation_red: f64,
    pub utilisation_amber: f64,
    pub p_on_time_red: f64,
    pub p_on_time_amber: f64,
}

impl Default for RagThresholds {
    fn default() -> Self {
        Self {
            cpi_green: 0.95,
            cpi_amber: 0.90,
            spi_green: 0.95,
            spi_amber: 0.90,
            slip_red_days: 10,
            utilisation_red: 1.10,
            utilisation_amber: 0.95,
            p_on_time_red: 0.50,
            p_on_time_amber: 0.85,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RagSet {
    pub cost: Rag,
    pub schedule: Rag,
    pub resource: Rag,
    pub forecast: Rag,
    pub overall: Rag,
}

/// RAG per dimension and overall. `p_on_time` is the Monte Carlo P(finish ≤ baseline)
/// when a forecast exists.
pub fn assess(
    evm: &Evm,
    schedule: &EarnedSchedule,
    resources: &Resources,
    p_on_time: Option<f64>,
    t: &RagThresholds,
) -> RagSet {
    let band = |v: Option<f64>, green: f64, amber: f64| match v {
        None => Rag::NotAvailable,
        Some(x) if x >= green => Rag::Green,
        Some(x) if x >= amber => Rag::Amber,
        Some(_) => Rag::Red,
    };
    let cost = band(evm.cpi, t.cpi_green, t.cpi_amber);
    let mut schedule_rag = band(schedule.spi_t, t.spi_green, t.spi_amber);
    if schedule.slip_days.is_some_and(|d| d > t.slip_red_days) {
        schedule_rag = Rag::Red;
    }
    let resource = match resources.utilisation {
        None => Rag::NotAvailable,
        Some(u) if u > t.utilisation_red => Rag::Red,
        Some(u) if u > t.utilisation_amber => Rag::Amber,
        Some(_) => Rag::Green,
    };
    let forecast = match p_on_time {
        None => Rag::NotAvailable,
        Some(p) if p < t.p_on_time_red => Rag::Red,
        Some(p) if p < t.p_on_time_amber => Rag::Amber,
        Some(_) => Rag::Green,
    };
    RagSet {
        cost,
        schedule: schedule_rag,
        resource,
        forecast,
        overall: Rag::worst([cost, schedule_rag, resource, forecast]),
    }
}

impl Metrics {
    /// The same metrics with the forecast dimension filled in from a Monte Carlo result.
    pub fn with_forecast(mut self, p_on_time: f64, t: &RagThresholds) -> Self {
        self.rag = assess(&self.evm, &self.schedule, &self.resources, Some(p_on_time), t);
        self
    }
}
