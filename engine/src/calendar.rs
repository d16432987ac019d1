//! Working-day arithmetic (Monday to Friday). Durations in the model are working days;
//! dates on screen are calendar dates.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The date `days` working days after `from` (fractions round up: work that takes part of
/// a day still finishes on that day). `from` itself is day 0.
pub fn add_working_days(from: NaiveDate, days: f64) -> NaiveDate {
    let mut left = if days.is_finite() && days > 0.0 {
        days.ceil() as i64
    } else {
        0
    };
    if left == 0 {
        return from;
    }
    // From a weekend, counting is the same as from the Friday before; from a working day,
    // every whole week adds exactly five working days and lands on the same weekday.
    let mut d = match from.weekday() {
        Weekday::Sat => from - Duration::days(1),
        Weekday::Sun => from - Duration::days(2),
        _ => from,
    };
    // Whole weeks first, so a million-iteration forecast does not walk day by day.
    let weeks = (left - 1) / 5;
    d += Duration::weeks(weeks);
    left -= weeks * 5;
    while left > 0 {
        d += Duration::days(1);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
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
}
