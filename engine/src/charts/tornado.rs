//! The tornadoes: one horizontal bar per top driver — work package or risk — with the rank
//! correlation of its sampled input with the project finish (schedule drivers) or with the
//! total cost (cost drivers), on a −1…1 axis. Which list and which correlation is the
//! [`Target`]'s choice; everything else is shared.

use super::frame::{Frame, AXIS};
use super::svg::{truncate, Anchor, Svg};
use super::Chart;
use crate::format;
use crate::model::Project;
use crate::montecarlo::{Driver, DriverKind, Forecast};

const WIDTH: f64 = 720.0;
const ROW: f64 = 26.0;
const LEFT: f64 = 236.0;
const TOP: f64 = 20.0;
/// Room under the bars for the axis, its title and the legend.
const BELOW: f64 = 84.0;
const POSITIVE: &str = "#d62728";
const NEGATIVE: &str = "#2ca02c";
/// Characters of a driver's name shown beside its bar (the table has the full name).
const NAME_CHARS: usize = 32;

/// Which tornado to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Finish,
    Cost,
}

impl Target {
    fn drivers(self, f: &Forecast) -> &[Driver] {
        match self {
            Self::Finish => &f.tornado.finish,
            Self::Cost => &f.tornado.cost,
        }
    }

    fn rho(self, d: &Driver) -> f64 {
        match self {
            Self::Finish => d.finish_correlation,
            Self::Cost => d.cost_correlation,
        }
    }

    /// (id suffix, title, output, "later finish"/"higher cost", "earlier"/"lower").
    fn words(self) -> (&'static str, &'static str, &'static str, &'static str, &'static str) {
        match self {
            Self::Finish => (
                "tornado",
                "Schedule drivers",
                "finish",
                "later finish",
                "earlier finish",
            ),
            Self::Cost => (
                "cost-tornado",
                "Cost drivers",
                "total cost",
                "higher cost",
                "lower cost",
            ),
        }
    }
}

/// The bar label: risks say so, since a risk and a work package may share a name.
fn label(d: &Driver) -> String {
    match d.kind {
        DriverKind::WorkPackage => d.name.clone(),
        DriverKind::Risk => format!("Risk: {}", d.name),
    }
}

pub(super) fn chart(project: &Project, f: &Forecast, target: Target) -> Chart {
    let (suffix, heading, output, up, down) = target.words();
    let drivers = target.drivers(f);
    let id = format!("{}-{suffix}", project.id);
    let rows = drivers.len().max(1) as f64;
    let frame = Frame {
        left: LEFT,
        top: TOP,
        right: WIDTH - 24.0,
        bottom: TOP + rows * ROW,
    };
    let height = frame.bottom + BELOW;
    let xs = frame.x(-1.0, 1.0);
    let title = format!("{heading}: {}", project.name);
    let desc = match drivers.first() {
        Some(d) => format!(
            "Rank correlation of each work package's or risk's sampled input with the project {output}, for the {} strongest drivers (standard error {}); the strongest is {} at {}.",
            drivers.len(),
            format::ratio(Some(f.tornado.standard_error)),
            label(d),
            format::ratio(Some(target.rho(d))),
        ),
        None => format!("Nothing left in the forecast is uncertain, so there are no {}.", heading.to_lowercase()),
    };
    let mut svg = Svg::new(&id, "chart-tornado", WIDTH, height, &title, &desc);
    let ticks: Vec<(f64, String)> = [-1.0, -0.5, 0.0, 0.5, 1.0]
        .iter()
        .map(|&v| (v, format!("{v:.1}")))
        .collect();
    frame.x_axis(
        &mut svg,
        xs,
        &ticks,
        &format!("Rank correlation with {output} (Spearman)"),
    );
    let zero = xs.map(0.0);
    svg.line((zero, frame.top), (zero, frame.bottom), "axis-zero", AXIS);
    svg.open_group("bars");
    for (i, d) in drivers.iter().enumerate() {
        let y = frame.top + i as f64 * ROW;
        let rho = target.rho(d);
        let (x, end) = (xs.map(rho.min(0.0)), xs.map(rho.max(0.0)));
        let (class, fill) = if rho >= 0.0 {
            ("bar positive", POSITIVE)
        } else {
            ("bar negative", NEGATIVE)
        };
        svg.rect((x, y + 4.0), (end - x, ROW - 8.0), class, fill);
        svg.text(
            (frame.left - 8.0, y + ROW / 2.0 + 4.0),
            Anchor::End,
            "bar-label",
            &truncate(&label(d), NAME_CHARS),
        );
        let (vx, anchor) = if rho >= 0.0 {
            (end + 4.0, Anchor::Start)
        } else {
            (x - 4.0, Anchor::End)
        };
        svg.text(
            (vx, y + ROW / 2.0 + 4.0),
            anchor,
            "bar-value",
            &format::ratio(Some(rho)),
        );
    }
    svg.close_group();
    if drivers.is_empty() {
        svg.text(
            (zero, frame.top + ROW / 2.0 + 4.0),
            Anchor::Middle,
            "empty",
            "No uncertain inputs",
        );
    }
    // The y axis has no scale: its "ticks" are the driver names beside each bar, so its
    // title sits at the far left, clear of them.
    svg.open_group("axis axis-y");
    svg.line((frame.left, frame.top), (frame.left, frame.bottom), "axis-line", AXIS);
    svg.vertical_text((14.0, (frame.top + frame.bottom) / 2.0), "axis-title", "Driver");
    svg.close_group();
    let (larger_up, larger_down) = (format!("Larger input, {up}"), format!("Larger input, {down}"));
    svg.legend(
        (frame.left, height - 12.0),
        &[
            ("positive", POSITIVE, larger_up.as_str()),
            ("negative", NEGATIVE, larger_down.as_str()),
        ],
    );
    let table_rows = drivers
        .iter()
        .map(|d| {
            let kind = match d.kind {
                DriverKind::WorkPackage => "Work package",
                DriverKind::Risk => "Risk",
            };
            vec![
                kind.to_owned(),
                d.id.clone(),
                d.name.clone(),
                format::ratio(Some(d.finish_correlation)),
                format::ratio(Some(d.cost_correlation)),
            ]
        })
        .collect();
    Chart {
        id,
        title,
        svg: svg.finish(),
        table_head: ["Kind", "Id", "Name", "Finish correlation", "Cost correlation"]
            .map(str::to_owned)
            .to_vec(),
        table_rows,
    }
}
