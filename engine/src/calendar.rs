//! Working-day arithmetic (Monday to Friday). Durations in the model are working days;
//! dates on screen are calendar dates.
//!
//! Adding days is checked: inputs are bounded (see [`crate::limits`]) but a forecast can
//! still chain thousands of long estimates, and a date past [`LAST_DATE`] must become a
//! named refusal in the caller, never a panic inside `chrono`.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The last date the engine computes. Dates are written `YYYY-MM-DD`; past year 9999
/// that needs a sign and a fifth digit, which browsers and spreadsheets misread.
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// More working days than lie between any two dates `chrono` can hold (about 7·10⁷), so
/// anything above is past the calendar; the bound also keeps the cast to `i64` exact.
const BEYOND_CALENDAR: f64 = 1e9;

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `days` working days after `from` (fractions round up: work that takes part of
/// a day still finishes on that day). `from` itself is day 0, and so are negative days.
///
/// `None` when that date would fall after [`LAST_DATE`] (including `days` = +∞) or when
/// `days` is NaN, which has no date. Never panics.
pub fn checked_add_working_days(from: NaiveDate, days: f64) -> Option<NaiveDate> {
    if days.is_nan() || days > BEYOND_CALENDAR {
        return None;
    }
    let end = if days > 0.0 {
        walk(from, days.ceil() as i64)?
    } else {
        from
    };
    (end <= LAST_DATE).then_some(end)
}

/// [`checked_add_working_days`] that saturates: a date past the calendar becomes
/// [`LAST_DATE`] (or `from`, if that is later still) and NaN counts as 0 days. For labels
/// only; a forecast must use the checked form and refuse.
pub fn add_working_days(from: NaiveDate, days: f64) -> NaiveDate {
    let days = if days.is_nan() { 0.0 } else { days };
    checked_add_working_days(from, days).unwrap_or(LAST_DATE.max(from))
}

/// `left` ≥ 1 working days after `from`, with every step checked.
fn walk(from: NaiveDate, mut left: i64) -> Option<NaiveDate> {
    // From a weekend, counting is the same as from the Friday before; from a working day,
    // every whole week adds exactly five working days and lands on the same weekday.
    let mut d = match from.weekday() {
        Weekday::Sat => from.checked_sub_signed(Duration::days(1))?,
        Weekday::Sun => from.checked_sub_signed(Duration::days(2))?,
        _ => from,
    };
    // Whole weeks first, so a million-iteration forecast does not walk day by day.
    let weeks = (left - 1) / 5;
    d = d.checked_add_signed(Duration::try_weeks(weeks)?)?;
    left -= weeks * 5;
    while left > 0 {
        d = d.succ_opt()?;
        if is_working_day(d) {
            left -= 1;
        }
    }
    Some(d)
}

/// Working days in `(a, b]`; negative when `b` is before `a`.
pub fn working_days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    if b < a {
        return -working_days_between(b, a);
    }
    let total = (b - a).num_days();
    let weeks = total / 7;
    let mut count = weeks * 5;
    let mut d = a + Duration::weeks(weeks);
    while d < b {
        d += Duration::days(1);
        if is_working_day(d) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn adds_over_weekends() {
        // 2025-01-03 is a Friday.
        assert_eq!(add_working_days(d(2025, 1, 3), 1.0), d(2025, 1, 6));
        assert_eq!(add_working_days(d(2025, 1, 3), 5.0), d(2025, 1, 10));
        assert_eq!(add_working_days(d(2025, 1, 3), 0.2), d(2025, 1, 6));
        assert_eq!(add_working_days(d(2025, 1, 3), 0.0), d(2025, 1, 3));
        assert_eq!(add_working_days(d(2025, 1, 3), 12.0), d(2025, 1, 21));
        // From a Saturday, five working days end on the next Friday.
        assert_eq!(add_working_days(d(2025, 1, 4), 5.0), d(2025, 1, 10));
        assert_eq!(add_working_days(d(2025, 1, 5), 1.0), d(2025, 1, 6));
    }

    #[test]
    fn counts_between_and_inverts() {
        assert_eq!(working_days_between(d(2025, 1, 3), d(2025, 1, 10)), 5);
        assert_eq!(working_days_between(d(2025, 1, 10), d(2025, 1, 3)), -5);
        assert_eq!(working_days_between(d(2025, 1, 4), d(2025, 1, 5)), 0);
        for offset in 0..7 {
            let start = d(2025, 3, 1 + offset);
            for n in 0..40 {
                let end = add_working_days(start, n as f64);
                assert_eq!(working_days_between(start, end), n, "from {start} by {n}");
                assert!(n == 0 || is_working_day(end));
            }
        }
    }

    #[test]
    fn adding_never_panics_and_stops_at_the_last_date() {
        let from = d(2999, 12, 31);
        for days in [2e6, 1e7, 1e9, 1e13, 1e300, f64::MAX, f64::INFINITY] {
            assert_eq!(checked_add_working_days(from, days), None, "{days}");
            assert_eq!(add_working_days(from, days), LAST_DATE, "{days}");
        }
        assert_eq!(checked_add_working_days(from, f64::NAN), None);
        assert_eq!(add_working_days(from, f64::NAN), from);
        for days in [-1.0, -1e300, f64::NEG_INFINITY, 0.0, -0.0, 5e-324] {
            let expected = if days > 0.0 { d(3000, 1, 1) } else { from };
            assert_eq!(checked_add_working_days(from, days), Some(expected), "{days}");
        }
        // The very ends of chrono's calendar, on a weekend and on a working day.
        for edge in [NaiveDate::MIN, NaiveDate::MAX] {
            for offset in 0..7 {
                let start = if edge == NaiveDate::MIN {
                    edge + Duration::days(offset)
                } else {
                    edge - Duration::days(offset)
                };
                for days in [0.0, 1.0, 6.0, 1e6, 1e8, f64::INFINITY] {
                    let _ = add_working_days(start, days);
                    let _ = working_days_between(start, edge);
                }
            }
        }
    }

    #[test]
    fn the_last_date_is_reachable_exactly() {
        // 9999-12-31 is a Friday: one working day before it is Thursday the 30th.
        assert!(is_working_day(LAST_DATE));
        assert_eq!(checked_add_working_days(d(9999, 12, 30), 1.0), Some(LAST_DATE));
        assert_eq!(checked_add_working_days(d(9999, 12, 30), 2.0), None);
        let span = working_days_between(d(2025, 1, 1), LAST_DATE);
        assert_eq!(checked_add_working_days(d(2025, 1, 1), span as f64), Some(LAST_DATE));
        assert_eq!(checked_add_working_days(d(2025, 1, 1), span as f64 + 0.5), None);
    }
}
