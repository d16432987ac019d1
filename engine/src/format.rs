//! Number formatting shared by the insights, the summary and the charts, so every figure a
//! reader sees is written the same way: CPI-style ratios with two decimals, money with
//! thousands separators and the currency code, percentages with one decimal, and "n/a" for
//! anything that is missing or not finite (never "NaN" or "inf").

/// What is shown for a value that is not available.
pub const NOT_AVAILABLE: &str = "n/a";

/// `1234567.8` → `"1,234,568"`: whole units with thousands separators. Amounts below 100
/// keep two decimals, where rounding would hide most of the value.
pub fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return NOT_AVAILABLE.to_owned();
    }
    if v.abs() < 100.0 {
        return format!("{v:.2}");
    }
    let rounded = v.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if rounded < 0.0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `money(1234567.0, "EUR")` → `"EUR 1,234,567"`.
pub fn money(v: f64, currency: &str) -> String {
    if !v.is_finite() {
        return NOT_AVAILABLE.to_owned();
    }
    format!("{currency} {}", thousands(v))
}

/// An optional amount of money, "n/a" when missing.
pub fn money_opt(v: Option<f64>, currency: &str) -> String {
    v.map_or_else(|| NOT_AVAILABLE.to_owned(), |x| money(x, currency))
}

/// A ratio such as CPI or SPI with two decimals, "n/a" when missing.
pub fn ratio(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.2}"),
        _ => NOT_AVAILABLE.to_owned(),
    }
}

/// A fraction as a percentage with one decimal: `0.1234` → `"12.3%"`.
pub fn percent(fraction: f64) -> String {
    hundredfold(fraction).map_or_else(|| NOT_AVAILABLE.to_owned(), |p| format!("{p:.1}%"))
}

/// `fraction` × 100 when that is finite: a finite fraction near `f64::MAX` (a plan of
/// 10¹³ against a budget of 10⁻³⁰⁰) overflows to ∞ only in the scaling.
fn hundredfold(fraction: f64) -> Option<f64> {
    let p = fraction * 100.0;
    p.is_finite().then_some(p)
}

/// A fraction as a whole percentage: `0.834` → `"83%"`, for probabilities in prose.
pub fn percent0(fraction: f64) -> String {
    hundredfold(fraction).map_or_else(|| NOT_AVAILABLE.to_owned(), |p| format!("{p:.0}%"))
}

/// A probability in prose: whole percent, but "under 1%" and "over 99%" at the extremes,
/// where a rounded "0%" or "100%" would claim a certainty the simulation cannot give.
pub fn chance(p: f64) -> String {
    match p {
        p if !p.is_finite() => NOT_AVAILABLE.to_owned(),
        p if p < 0.01 => "under 1%".to_owned(),
        p if p > 0.99 && p < 1.0 => "over 99%".to_owned(),
        p => percent0(p),
    }
}

/// A signed percentage change: `0.064` → `"+6.4%"`.
pub fn signed_percent(fraction: f64) -> String {
    hundredfold(fraction).map_or_else(|| NOT_AVAILABLE.to_owned(), |p| format!("{p:+.1}%"))
}

/// A number with one decimal ("12.5"), for working days and slopes of counts.
pub fn one_decimal(v: f64) -> String {
    if !v.is_finite() {
        return NOT_AVAILABLE.to_owned();
    }
    format!("{v:.1}")
}

/// Compact money for chart ticks: `1_250_000` → `"1.25M"`, `40_000` → `"40k"`.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return NOT_AVAILABLE.to_owned();
    }
    let (scaled, suffix) = match v.abs() {
        a if a >= 1e9 => (v / 1e9, "B"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// "1 month" / "3 months".
pub fn months(n: u32) -> String {
    if n == 1 {
        "1 month".to_owned()
    } else {
        format!("{n} months")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_and_ratios() {
        assert_eq!(thousands(1_234_567.4), "1,234,567");
        assert_eq!(thousands(-1_000.0), "-1,000");
        assert_eq!(thousands(999.5), "1,000");
        assert_eq!(thousands(12.345), "12.35");
        assert_eq!(money(2_500.0, "EUR"), "EUR 2,500");
        assert_eq!(money(f64::NAN, "EUR"), "n/a");
        assert_eq!(ratio(Some(0.875)), "0.88");
        assert_eq!(ratio(None), "n/a");
        assert_eq!(ratio(Some(f64::INFINITY)), "n/a");
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(signed_percent(0.064), "+6.4%");
        assert_eq!(compact(1_250_000.0), "1.25M");
        assert_eq!(compact(40_000.0), "40k");
        assert_eq!(compact(0.0), "0");
        assert_eq!(months(1), "1 month");
        assert_eq!(chance(0.0), "under 1%");
        assert_eq!(chance(0.425), "42%");
        assert_eq!(chance(0.995), "over 99%");
        assert_eq!(chance(1.0), "100%");
    }

    #[test]
    fn huge_finite_fractions_do_not_become_inf() {
        // Found by the extreme-input property test: PV 4·10⁶ against a BAC of 10⁻³⁰⁰.
        let fraction: f64 = 4e6 / 1e-300;
        assert!(fraction.is_finite());
        for text in [
            percent(fraction),
            percent0(fraction),
            signed_percent(fraction),
            signed_percent(-fraction),
        ] {
            assert_eq!(text, NOT_AVAILABLE);
        }
    }
}
