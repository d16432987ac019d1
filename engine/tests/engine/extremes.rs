//! Property tests with extreme numbers: import documents whose structure is plausible (a
//! chain or fan of packages, risks on them, monthly snapshots) but whose every number is
//! drawn from the edges — 0, 5e-324, just under and just over each bound, 1e15, 1e300,
//! negatives, counts past `u32`.
//!
//! Either the import refuses with named field errors, or the whole pipeline runs without
//! panicking and every figure it produces is finite. The same documents read with only
//! the field rules (as the server's unvalidated test import does) must not panic either.

use engine::insights::{self, InsightConfig};
use engine::metrics::{self, RagThresholds};
use engine::montecarlo::{simulate, SimConfig};
use engine::{charts, ensure_finite, summary, EngineError, Period, Project};
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};

/// What a number counts, for its bounds.
#[derive(Debug, Clone, Copy)]
enum Unit {
    Days,
    Money,
    Hours,
}

/// Numbers at the edges of `unit`'s range; a `hostile` document also draws numbers past
/// them (just over each bound, 1e15, 1e300, `f64::MAX`, negatives). Half the documents are
/// hostile, so half mostly pass validation and reach the pipeline with edge values.
fn num(unit: Unit, hostile: bool) -> BoxedStrategy<f64> {
    let edges = match unit {
        Unit::Days => vec![5e-324, 1e-300, 1e-9, 0.5, 1.0, 9_999.0, 10_000.0],
        Unit::Money => vec![0.0, 5e-324, 1e-300, 0.01, 1.0, 1e6, 9.999_999e12, 1e13],
        Unit::Hours => vec![0.0, 5e-324, 1e-300, 1.0, 999_999_999.0, 1e9],
    };
    let beyond = vec![
        -0.0,
        -1.0,
        -1e300,
        0.0,
        10_000.000_001,
        10_001.0,
        1e9 + 1.0,
        1.000_001e13,
        1e15,
        1e300,
        f64::MAX,
    ];
    let ordinary = match unit {
        Unit::Days => 0.1f64..100.0,
        Unit::Money => 0.0f64..1e7,
        Unit::Hours => 0.0f64..1e4,
    };
    if hostile {
        prop_oneof![3 => prop::sample::select(edges), 2 => ordinary, 2 => prop::sample::select(beyond)].boxed()
    } else {
        prop_oneof![3 => prop::sample::select(edges), 2 => ordinary].boxed()
    }
}

fn pick<T: Clone + std::fmt::Debug + 'static>(hostile: bool, edges: Vec<T>, beyond: Vec<T>) -> BoxedStrategy<T> {
    if hostile {
        prop::sample::select(edges.into_iter().chain(beyond).collect::<Vec<T>>()).boxed()
    } else {
        prop::sample::select(edges).boxed()
    }
}

fn count(hostile: bool) -> BoxedStrategy<u64> {
    pick(
        hostile,
        vec![0, 1, 42, 999_999, 1_000_000],
        vec![1_000_001, u64::from(u32::MAX), u64::from(u32::MAX) + 1],
    )
}

fn probability(hostile: bool) -> BoxedStrategy<f64> {
    pick(hostile, vec![0.0, 5e-324, 0.25, 0.5, 0.999, 1.0], vec![1.000_001, -0.1])
}

fn percent(hostile: bool) -> BoxedStrategy<f64> {
    pick(
        hostile,
        vec![0.0, 5e-324, 1.0, 50.0, 99.999, 100.0],
        vec![100.000_01, -1.0],
    )
}

/// Three numbers in order, so most estimates pass the ordering rule and reach the bounds.
fn three_point(unit: Unit, hostile: bool) -> impl Strategy<Value = Value> {
    (num(unit, hostile), num(unit, hostile), num(unit, hostile)).prop_map(|(a, b, c)| {
        let mut v = [a, b, c];
        v.sort_by(f64::total_cmp);
        json!({ "optimistic": v[0], "most_likely": v[1], "pessimistic": v[2] })
    })
}

/// Start and baseline finish: ordinary, at the first year, near the last, and (hostile)
/// just outside or at the ends of `chrono`'s calendar.
fn start(hostile: bool) -> BoxedStrategy<(&'static str, &'static str)> {
    pick(
        hostile,
        vec![
            ("2025-01-01", "2026-06-30"),
            ("1900-01-01", "1900-03-01"),
            ("2999-06-01", "2999-12-31"),
        ],
        vec![
            ("1899-12-31", "1900-06-30"),
            ("2999-11-01", "3000-01-01"),
            ("-262000-01-01", "2026-06-30"),
            ("2025-01-01", "+262000-12-31"),
        ],
    )
}

fn work_package(i: usize, hostile: bool) -> impl Strategy<Value = Value> {
    (
        three_point(Unit::Days, hostile),
        three_point(Unit::Money, hostile),
        percent(hostile),
        any::<bool>(),
        prop::option::of(num(Unit::Money, hostile)),
    )
        .prop_map(move |(duration, cost, pc, chain, actual)| {
            let preds: Vec<String> = match i {
                0 => vec![],
                _ if chain => vec![format!("W{}", i - 1)],
                _ => vec!["W0".to_owned()],
            };
            let mut w = json!({ "id": format!("W{i}"), "name": format!("Package {i}"), "predecessors": preds,
                                "duration": duration, "cost": cost, "percent_complete": pc });
            if let Some(a) = actual {
                w["actual_cost"] = json!(a);
            }
            w
        })
}

fn risk(i: usize, wps: usize, hostile: bool) -> impl Strategy<Value = Value> {
    (
        probability(hostile),
        three_point(Unit::Money, hostile),
        three_point(Unit::Days, hostile),
        0..=wps,
        any::<bool>(),
    )
        .prop_map(move |(p, cost, delay, target, open)| {
            // `target == wps` means "affects the project as a whole".
            let affects: Vec<String> = (target < wps).then(|| format!("W{target}")).into_iter().collect();
            json!({ "id": format!("R{i}"), "title": format!("Risk {i}"), "category": "technical",
                    "probability": p, "cost_impact": cost, "schedule_impact": delay, "affects": affects,
                    "status": if open { "open" } else { "mitigated" }, "owner": "Owner" })
        })
}

fn snapshot(period: String, hostile: bool) -> impl Strategy<Value = Value> {
    let money = || num(Unit::Money, hostile);
    (
        (
            money(),
            money(),
            money(),
            num(Unit::Hours, hostile),
            num(Unit::Hours, hostile),
        ),
        (count(hostile), count(hostile), count(hostile)),
        prop::option::of(pick(hostile, vec![0.0, 2.5, 5.0], vec![5.1])),
    )
        .prop_map(move |((pv, ev, ac, cap, alloc), (head, open, closed), sat)| {
            json!({ "period": period.clone(), "pv": pv, "ev": ev, "ac": ac, "capacity_hours": cap,
                    "allocated_hours": alloc, "headcount": head, "defects_open": open,
                    "defects_closed": closed, "stakeholder_satisfaction": sat })
        })
}

/// The month `k` months after the one `date` (YYYY-MM-DD) falls in; for a date no period
/// can hold (a signed year), after January 2025.
fn month_after(date: &str, k: i32) -> String {
    let (y, m) = match (
        date.get(..4).map(str::parse::<i32>),
        date.get(5..7).map(str::parse::<i32>),
    ) {
        (Some(Ok(y)), Some(Ok(m))) => (y, m),
        _ => (2025, 1),
    };
    let n = y * 12 + (m - 1) + k;
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

/// A whole document and the period to report on.
fn document() -> impl Strategy<Value = (Value, String)> {
    any::<bool>().prop_flat_map(|hostile| {
        (
            (1usize..6, 0usize..4, 0usize..5),
            start(hostile),
            num(Unit::Money, hostile),
            prop::option::of(num(Unit::Money, hostile)),
            any::<bool>(),
        )
            .prop_flat_map(
                move |((n_wps, n_risks, n_snaps), (start, finish), bac, contingency, pert)| {
                    let wps: Vec<_> = (0..n_wps).map(|i| work_package(i, hostile)).collect();
                    let risks: Vec<_> = (0..n_risks).map(|i| risk(i, n_wps, hostile)).collect();
                    let snaps: Vec<_> = (0..n_snaps)
                        .map(|k| snapshot(month_after(start, k as i32), hostile))
                        .collect();
                    (wps, risks, snaps).prop_map(move |(wps, risks, snaps)| {
                        let report = month_after(start, n_snaps.max(1) as i32 - 1);
                        let doc = json!({
                            "id": "extreme", "name": "Extreme", "code": "X-1", "currency": "EUR",
                            "start": start, "baseline_finish": finish, "bac": bac, "contingency": contingency,
                            "estimate": if pert { "pert" } else { "triangular" },
                            "work_packages": wps, "risks": risks,
                            "milestones": [{ "name": "M", "baseline": finish, "forecast": start, "status": "planned" }],
                            "snapshots": snaps,
                        });
                        (doc, report)
                    })
                },
            )
    })
}

/// Every float finite, every text free of "NaN" and "inf" written as a number.
fn all_finite<T: Serialize>(what: &str, v: &T) -> Result<(), TestCaseError> {
    if let Err(e) = ensure_finite(v) {
        return Err(TestCaseError::fail(format!("{what}: {e}")));
    }
    let text = serde_json::to_string(v).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let shown = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| matches!(*w, "NaN" | "inf" | "infinity" | "Infinity"));
    prop_assert!(shown.is_none(), "{what} shows {shown:?}");
    Ok(())
}

/// The server's pipeline, end to end; returns the forecast refusal, if any.
fn pipeline(p: &Project, period: Period) -> Result<Option<EngineError>, TestCaseError> {
    let t = RagThresholds::default();
    let current = match metrics::compute(p, period, &t) {
        Ok(m) => m,
        Err(e) => return Ok(Some(e)),
    };
    all_finite("metrics", &current)?;
    let history = metrics::history(p, period, &t);
    all_finite("history", &history)?;
    let config = SimConfig::new(1_000, 11).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (forecast, refusal) = match simulate(p, period, &config) {
        Ok(f) => (Some(f), None),
        Err(e) => (None, Some(e)),
    };
    if let Some(f) = &forecast {
        all_finite("forecast", f)?;
    }
    let current = match &forecast {
        Some(f) => current.with_forecast(f.p_finish_by_baseline, &t),
        None => current,
    };
    let config = InsightConfig { min_confidence: 0.0 };
    let insights = insights::generate_with(p, &history, forecast.as_ref(), &config, &t);
    all_finite("insights", &insights)?;
    all_finite("summary", &summary::build(&current, &insights, forecast.as_ref()))?;
    all_finite("charts", &charts::build(p, &history, forecast.as_ref()))?;
    Ok(refusal)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn extreme_imports_are_refused_by_name_or_computed_finitely((doc, report) in document()) {
        let period = Period::parse(&report);
        prop_assume!(period.is_ok(), "report period past 2999");
        let period = period.map_err(TestCaseError::fail)?;
        match Project::from_json(doc.to_string().as_bytes()) {
            Err(errs) => {
                prop_assert!(!errs.0.is_empty());
                prop_assert!(errs.0.iter().all(|e| !e.field.is_empty() && !e.rule.is_empty()), "{errs}");
            }
            Ok(p) => {
                // A valid project may only be refused for a finish past the calendar.
                if let Some(e) = pipeline(&p, period)? {
                    prop_assert!(matches!(e, EngineError::OutOfRange { .. }), "valid project refused: {e}");
                }
            }
        }
    }

    #[test]
    fn field_rules_alone_never_let_the_pipeline_panic((doc, report) in document()) {
        let period = Period::parse(&report);
        prop_assume!(period.is_ok(), "report period past 2999");
        let period = period.map_err(TestCaseError::fail)?;
        if let Ok(p) = serde_json::from_value::<Project>(doc) {
            // Refusals are fine here (the project skipped validation); panics and
            // non-finite figures are not.
            pipeline(&p, period)?;
        }
    }
}
