//! The documented input bounds of SPEC §1.1, in one place: validation enforces them and
//! the rest of the engine relies on them (the server may show them to users).
//!
//! They are chosen so that no sum can overflow: 5,000 work packages and 1,000 risks of
//! 10¹³ each total 6·10¹⁶, far inside `f64`, and counts stay far below `u32::MAX`. Dates
//! are another matter: 5,000 chained work packages of 10,000 working days end some
//! 190,000 years out, so every date computed from durations is checked
//! ([`crate::calendar::checked_add_working_days`]) and a forecast past the calendar is
//! refused by name rather than assumed impossible.

/// Working days of any duration or schedule impact (about 38 years).
pub const MAX_DAYS: f64 = 10_000.0;
/// Any amount of money: budgets, contingency, cost estimates and impacts, PV/EV/AC.
pub const MAX_MONEY: f64 = 1e13;
/// Capacity and allocated hours of one snapshot.
pub const MAX_HOURS: f64 = 1e9;
/// Headcount and defect counts of one snapshot.
pub const MAX_COUNT: u32 = 1_000_000;

pub const MAX_WORK_PACKAGES: usize = 5_000;
pub const MAX_RISKS: usize = 1_000;
pub const MAX_MILESTONES: usize = 200;
pub const MAX_SNAPSHOTS: usize = 600;
/// Entries of one work package's `predecessors` or one risk's `affects`.
pub const MAX_LINKS: usize = MAX_WORK_PACKAGES;

/// Characters of a name, title, code, manager, sponsor or owner.
pub const MAX_TEXT: usize = 200;
/// Characters of a snapshot's notes.
pub const MAX_NOTES: usize = 4_000;
/// Characters of a work-package or risk id.
pub const MAX_ID: usize = 64;

/// Years every input date and period lies in.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2999;

/// Broken rules reported for one input at most; the rest are counted, not listed, so a
/// hostile file cannot make the refusal larger than the file.
pub const MAX_REPORTED_ERRORS: usize = 100;
