//! Number formatting for the screen: thousands separators, fixed decimals, and "n/a" for
//! values that are not available — a NaN or infinity never reaches the page.

/// `1234567.8` → `"1,234,568"`.
pub fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let rounded = v.round();
    let neg = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// Money with its currency code: `"EUR 1,234,568"`.
pub fn money(v: f64, currency: &str) -> String {
    format!("{currency} {}", thousands(v))
}

pub fn money_opt(v: Option<f64>, currency: &str) -> String {
    v.map_or_else(|| "n/a".into(), |v| money(v, currency))
}

/// A ratio such as CPI with two decimals, or "n/a".
pub fn ratio(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.2}"),
        _ => "n/a".into(),
    }
}

/// A fraction as a percentage with one decimal: `0.873` → `"87.3 %"`.
pub fn percent(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:.1} %", x * 100.0),
        _ => "n/a".into(),
    }
}

/// Signed working days: `"+3 d"`, `"−12 d"`.
pub fn signed_days(v: Option<i64>) -> String {
    match v {
        Some(d) if d > 0 => format!("+{d} d"),
        Some(d) if d < 0 => format!("\u{2212}{} d", d.abs()),
        Some(_) => "0 d".into(),
        None => "n/a".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_never_shows_nan() {
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(-1_000.0), "-1,000");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(f64::NAN), "n/a");
        assert_eq!(ratio(Some(f64::INFINITY)), "n/a");
        assert_eq!(ratio(Some(0.876)), "0.88");
        assert_eq!(percent(Some(0.8734)), "87.3 %");
        assert_eq!(percent(None), "n/a");
        assert_eq!(signed_days(Some(-3)), "\u{2212}3 d");
    }
}
