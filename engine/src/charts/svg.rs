//! A small SVG writer for the charts: escaping, the document frame with its accessible
//! title and description, shapes with CSS classes, linear scales and "nice" axis ticks.
//!
//! No `style` attributes or `<style>` elements: the site's Content-Security-Policy forbids
//! inline styles, so look is carried by classes (the site's CSS) with plain presentation
//! attributes (`stroke`, `fill`) as the fallback.

use std::fmt::Write;

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A coordinate with one decimal: enough for a 720-unit viewBox, and compact.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "0".to_owned()
    }
}

/// Text anchoring.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An SVG document being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Opens the document: scales to its container (`width="100%"` over a `viewBox`) and is
    /// labelled by its `<title>` and `<desc>`, whose ids derive from the unique `id`.
    pub fn new(id: &str, class: &str, width: f64, height: f64, title: &str, desc: &str) -> Self {
        let mut out = String::with_capacity(8 * 1024);
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" id="{id}" class="chart {class}" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{id}-title {id}-desc" font-family="sans-serif" font-size="12">"#,
            num(width),
            num(height),
            id = escape(id),
            class = escape(class),
        );
        let _ = write!(
            out,
            r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(title),
            escape(desc),
            id = escape(id),
        );
        Self { out }
    }

    pub fn open_group(&mut self, class: &str) {
        let _ = write!(self.out, r#"<g class="{}">"#, escape(class));
    }

    pub fn close_group(&mut self) {
        self.out.push_str("</g>");
    }

    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), class: &str, stroke: &str) {
        self.segment(from, to, class, stroke, "");
    }

    /// A dashed line (`stroke-dasharray` is a presentation attribute, not an inline style).
    pub fn dashed(&mut self, from: (f64, f64), to: (f64, f64), class: &str, stroke: &str) {
        self.segment(from, to, class, stroke, r#" stroke-dasharray="6 4""#);
    }

    fn segment(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str, stroke: &str, extra: &str) {
        let _ = write!(
            self.out,
            r#"<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"{extra}/>"#,
            escape(class),
            num(x1),
            num(y1),
            num(x2),
            num(y2),
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], class: &str, stroke: &str) {
        if points.is_empty() {
            return;
        }
        let pts: Vec<String> = points.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
        let _ = write!(
            self.out,
            r#"<polyline class="{}" points="{}" fill="none" stroke="{stroke}" stroke-width="2"/>"#,
            escape(class),
            pts.join(" "),
        );
    }

    pub fn rect(&mut self, (x, y): (f64, f64), (w, h): (f64, f64), class: &str, fill: &str) {
        let _ = write!(
            self.out,
            r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{fill}"/>"#,
            escape(class),
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0)),
        );
    }

    pub fn text(&mut self, (x, y): (f64, f64), anchor: Anchor, class: &str, text: &str) {
        let _ = write!(
            self.out,
            r#"<text class="{}" x="{}" y="{}" text-anchor="{}">{}</text>"#,
            escape(class),
            num(x),
            num(y),
            anchor.as_str(),
            escape(text),
        );
    }

    /// Text rotated a quarter turn anticlockwise around its anchor (vertical axis labels).
    pub fn vertical_text(&mut self, (x, y): (f64, f64), class: &str, text: &str) {
        let _ = write!(
            self.out,
            r#"<text class="{}" x="{}" y="{}" text-anchor="middle" transform="rotate(-90 {} {})">{}</text>"#,
            escape(class),
            num(x),
            num(y),
            num(x),
            num(y),
            escape(text),
        );
    }

    /// A legend row at `(x, y)`: a swatch and a label per entry `(class, colour, label)`.
    pub fn legend(&mut self, (x, y): (f64, f64), entries: &[(&str, &str, &str)]) {
        self.open_group("legend");
        let mut at = x;
        for &(class, colour, label) in entries {
            self.rect((at, y - 9.0), (14.0, 10.0), &format!("swatch {class}"), colour);
            self.text((at + 19.0, y), Anchor::Start, "legend-label", label);
            at += 34.0 + 7.0 * label.chars().count() as f64;
        }
        self.close_group();
    }

    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// A linear map from a data domain to screen coordinates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn map(self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// Round tick values covering `[lo, hi]` with steps of 1, 2 or 5 × 10ⁿ, about `target` of
/// them; the first tick ≤ lo and the last ≥ hi, so they also give a padded domain.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 1.0)
    };
    let span = if hi - lo > 0.0 { hi - lo } else { lo.abs().max(1.0) };
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= target.max(1) as f64)
        .unwrap_or(10.0 * magnitude);
    // Integer multiples of the step, so no rounding error accumulates along the axis. Near
    // f64::MAX the next multiple can overflow: the axis then ends at the last finite one.
    let first = (lo / step).floor() as i64;
    let mut ticks = Vec::new();
    for k in first..first.saturating_add(50) {
        let v = k as f64 * step;
        if !v.is_finite() {
            break;
        }
        ticks.push(v);
        if v >= hi && ticks.len() >= 2 {
            break;
        }
    }
    ticks
}

/// A tick value written with as many decimals as the ticks' step needs ("0.5", "20").
pub(crate) fn tick_label(v: f64, ticks: &[f64]) -> String {
    let step = match ticks {
        [a, b, ..] => (b - a).abs(),
        _ => 1.0,
    };
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10().floor()) as usize
    } else {
        0
    };
    let text = format!("{v:.decimals$}");
    // "-0" reads oddly on an axis.
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }

    #[test]
    fn ticks_are_round_and_cover() {
        assert_eq!(
            nice_ticks(0.0, 1_000_000.0, 5),
            vec![0.0, 200_000.0, 400_000.0, 600_000.0, 800_000.0, 1_000_000.0]
        );
        let t = nice_ticks(3.2, 47.9, 6);
        assert!(t[0] <= 3.2 && *t.last().unwrap_or(&0.0) >= 47.9);
        assert!(nice_ticks(5.0, 5.0, 5).len() >= 2);
        // An estimate at completion near f64::MAX (EV of 10⁻²⁸² against AC of 10¹³).
        let t = nice_ticks(0.0, 1.6e308, 5);
        assert!(t.len() >= 2 && t.iter().all(|v| v.is_finite()), "{t:?}");
        let t = nice_ticks(0.0, 1.0, 5);
        assert_eq!(
            t.iter().map(|&v| tick_label(v, &t)).collect::<Vec<_>>(),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
    }
}
