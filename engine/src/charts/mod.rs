//! Chart data and server-rendered SVG: the S-curve (PV/EV/AC with forecast), the finish
//! histogram with its cumulative curve, and the tornadoes of schedule and cost drivers.
//!
//! Each SVG has `role="img"` and is labelled by its own `<title>` and `<desc>`; it scales
//! with its container (`viewBox`, `width="100%"`), has labelled axes with tick labels and a
//! legend, escapes every text (names may hold `<&"`), and uses CSS classes (`pv`, `ev`,
//! `ac`, `forecast`, `bar`, `axis`…) instead of inline styles, which the site's CSP
//! forbids. Ids derive from the project id and the chart, so several charts can be inlined
//! in one page. The same figures come back as table rows for screen readers.
//!
//! Layout: `svg` writes SVG, `frame` draws axes; one file per chart (`s_curve`,
//! `histogram`, `tornado`).

mod frame;
mod histogram;
mod s_curve;
mod svg;
mod tornado;

use serde::{Deserialize, Serialize};

use crate::metrics::Metrics;
use crate::model::Project;
use crate::montecarlo::Forecast;

/// A chart as SVG markup plus the same figures as a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub table_head: Vec<String>,
    pub table_rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Charts {
    pub s_curve: Chart,
    pub histogram: Option<Chart>,
    /// Schedule drivers: rank correlation with the finish.
    pub tornado: Option<Chart>,
    /// Cost drivers: rank correlation with the total cost.
    pub cost_tornado: Option<Chart>,
}

/// All charts of a report. The histogram and the tornadoes need a forecast.
pub fn build(project: &Project, history: &[Metrics], forecast: Option<&Forecast>) -> Charts {
    Charts {
        s_curve: s_curve::chart(project, history, forecast),
        histogram: forecast.map(|f| histogram::chart(project, f)),
        tornado: forecast.map(|f| tornado::chart(project, f, tornado::Target::Finish)),
        cost_tornado: forecast.map(|f| tornado::chart(project, f, tornado::Target::Cost)),
    }
}
