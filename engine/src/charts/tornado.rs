//! The tornado: one horizontal bar per top driver, the rank correlation of its sampled
//! duration with the project finish, on a −1…1 axis.

use super::frame::{Frame, AXIS};
use super::svg::{truncate, Anchor, Svg};
use super::Chart;
use crate::format;
use crate::model::Project;
use crate::montecarlo::Forecast;

const WIDTH: f64 = 720.0;
const ROW: f64 = 26.0;
const LEFT: f64 = 236.0;
const TOP: f64 = 20.0;
/// Room under the bars for the axis, its title and the legend.
const BELOW: f64 = 84.0;
const POSITIVE: &str = "#d62728";
const NEGATIVE: &str = "#2ca02c";
/// Characters of a work-package name shown beside its bar (the table has the full name).
const NAME_CHARS: usize = 32;

pub(super) fn chart(project: &Project, f: &Forecast) -> Chart {
    let id = format!("{}-tornado", project.id);
    let rows = f.tornado.len().max(1) as f64;
    let frame = Frame {
        left: LEFT,
        top: TOP,
        right: WIDTH - 24.0,
        bottom: TOP + rows * ROW,
    };
    let height = frame.bottom + BELOW;
    let xs = frame.x(-1.0, 1.0);
    let title = format!("Schedule drivers: {}", project.name);
    let desc = match f.tornado.first() {
        Some(d) => format!(
            "Rank correlation of each work package's duration with the project finish, for the {} strongest drivers; the strongest is {} at {}.",
            f.tornado.len(),
            d.name,
            format::ratio(Some(d.finish_correlation)),
        ),
        None => "No remaining work package has an uncertain duration, so there are no schedule drivers.".to_owned(),
    };
    let mut svg = Svg::new(&id, "chart-tornado", WIDTH, height, &title, &desc);
    let ticks: Vec<(f64, String)> = [-1.0, -0.5, 0.0, 0.5, 1.0]
        .iter()
        .map(|&v| (v, format!("{v:.1}")))
        .collect();
    frame.x_axis(&mut svg, xs, &ticks, "Rank correlation with finish (Spearman)");
    let zero = xs.map(0.0);
    svg.line((zero, frame.top), (zero, frame.bottom), "axis-zero", AXIS);
    svg.open_group("bars");
    for (i, d) in f.tornado.iter().enumerate() {
        let y = frame.top + i as f64 * ROW;
        let rho = d.finish_correlation;
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
            &truncate(&d.name, NAME_CHARS),
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
    if f.tornado.is_empty() {
        svg.text(
            (zero, frame.top + ROW / 2.0 + 4.0),
            Anchor::Middle,
            "empty",
            "No uncertain durations",
        );
    }
    // The y axis has no scale: its "ticks" are the work-package names beside each bar, so
    // its title sits at the far left, clear of them.
    svg.open_group("axis axis-y");
    svg.line((frame.left, frame.top), (frame.left, frame.bottom), "axis-line", AXIS);
    svg.vertical_text((14.0, (frame.top + frame.bottom) / 2.0), "axis-title", "Work package");
    svg.close_group();
    svg.legend(
        (frame.left, height - 12.0),
        &[
            ("positive", POSITIVE, "Longer duration, later finish"),
            ("negative", NEGATIVE, "Longer duration, earlier finish"),
        ],
    );
    let table_rows = f
        .tornado
        .iter()
        .map(|d| {
            vec![
                d.work_package_id.clone(),
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
        table_head: ["Work package", "Name", "Finish correlation", "Cost correlation"]
            .map(str::to_owned)
            .to_vec(),
        table_rows,
    }
}
