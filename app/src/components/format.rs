//! Number formatting for the screen. Money, ratios and percentages come from the engine's
//! formatter, so a figure reads the same in a table as in the engine's own prose; what is
//! here adds optional values and whole counts. A NaN or infinity never reaches the page.

pub use engine::format::{money, money_opt, ratio, thousands, NOT_AVAILABLE};

/// An optional fraction as a percentage with one decimal: `Some(0.873)` → `"87.3%"`.
pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| NOT_AVAILABLE.to_owned(), engine::format::percent)
}

/// A whole count with thousands separators: `12345` → `"12,345"`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Signed working days: `"+3 d"`, `"−12 d"`.
pub fn signed_days(v: Option<i64>) -> String {
    match v {
        Some(d) if d > 0 => format!("+{d} d"),
        Some(d) if d < 0 => format!("\u{2212}{} d", d.abs()),
        Some(_) => "0 d".into(),
        None => NOT_AVAILABLE.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_never_shows_nan() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(7), "7");
        assert_eq!(percent(Some(0.8734)), "87.3%");
        assert_eq!(percent(Some(f64::NAN)), "n/a");
        assert_eq!(percent(None), "n/a");
        assert_eq!(ratio(Some(f64::INFINITY)), "n/a");
        assert_eq!(signed_days(Some(-3)), "\u{2212}3 d");
    }
}
