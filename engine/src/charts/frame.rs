//! The plot area of a chart and its axes: tick marks, tick labels, grid lines and axis
//! titles, drawn the same way on every chart.

use super::svg::{Anchor, Scale, Svg};

/// Colours used when the site's CSS is absent (classes carry the real look).
pub(crate) const AXIS: &str = "#555555";
pub(crate) const GRID: &str = "#e0e0e0";

/// The plot rectangle inside the viewBox.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

/// Which side a vertical axis sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Left,
    Right,
}

impl Frame {
    pub fn x(self, d0: f64, d1: f64) -> Scale {
        Scale {
            d0,
            d1,
            r0: self.left,
            r1: self.right,
        }
    }

    /// Screen y grows downwards, so the domain's low end maps to the bottom.
    pub fn y(self, d0: f64, d1: f64) -> Scale {
        Scale {
            d0,
            d1,
            r0: self.bottom,
            r1: self.top,
        }
    }

    /// The x axis along the bottom with a tick and label at each `(value, label)`.
    pub fn x_axis(self, svg: &mut Svg, scale: Scale, ticks: &[(f64, String)], title: &str) {
        svg.open_group("axis axis-x");
        svg.line((self.left, self.bottom), (self.right, self.bottom), "axis-line", AXIS);
        for (v, label) in ticks {
            let x = scale.map(*v);
            svg.line((x, self.bottom), (x, self.bottom + 5.0), "tick", AXIS);
            svg.text((x, self.bottom + 18.0), Anchor::Middle, "tick-label", label);
        }
        svg.text(
            ((self.left + self.right) / 2.0, self.bottom + 38.0),
            Anchor::Middle,
            "axis-title",
            title,
        );
        svg.close_group();
    }

    /// A vertical axis with ticks, labels and (on the left) horizontal grid lines.
    pub fn y_axis(self, svg: &mut Svg, scale: Scale, ticks: &[(f64, String)], title: &str, side: Side) {
        let (x, dir, anchor, class) = match side {
            Side::Left => (self.left, -1.0, Anchor::End, "axis axis-y"),
            Side::Right => (self.right, 1.0, Anchor::Start, "axis axis-y2"),
        };
        if side == Side::Left {
            svg.open_group("grid");
            for (v, _) in ticks {
                let y = scale.map(*v);
                svg.line((self.left, y), (self.right, y), "grid-line", GRID);
            }
            svg.close_group();
        }
        svg.open_group(class);
        svg.line((x, self.top), (x, self.bottom), "axis-line", AXIS);
        for (v, label) in ticks {
            let y = scale.map(*v);
            svg.line((x, y), (x + 5.0 * dir, y), "tick", AXIS);
            svg.text((x + 8.0 * dir, y + 4.0), anchor, "tick-label", label);
        }
        let title_x = x + dir * if side == Side::Left { 58.0 } else { 46.0 };
        svg.vertical_text((title_x, (self.top + self.bottom) / 2.0), "axis-title", title);
        svg.close_group();
    }
}
