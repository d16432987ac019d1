//! The input bounds of SPEC §1.1 at the import boundary: each is refused naming the field
//! and the rule, values at a bound are accepted, every broken rule is reported at once,
//! and a forecast that valid estimates push past the calendar is a named refusal.

use engine::montecarlo::{simulate, SimConfig};
use engine::testkit::{period, project, snapshot, wp};
use engine::{FieldError, Milestone, MilestoneStatus, Project};
use serde_json::{json, Value};

/// A small valid import document: three packages, a risk, a milestone, two snapshots.
fn doc() -> Value {
    let mut p = project(vec![
        wp("A", &[], (5.0, 8.0, 12.0), (1_000.0, 1_500.0, 2_500.0)),
        wp("B", &["A"], (3.0, 4.0, 9.0), (500.0, 800.0, 1_000.0)),
        wp("C", &["A"], (2.0, 2.0, 2.0), (100.0, 100.0, 100.0)),
    ]);
    p.risks.push(engine::testkit::risk(
        "R1",
        0.3,
        (0.0, 50.0, 90.0),
        (0.0, 2.0, 5.0),
        &["B"],
    ));
    p.milestones.push(Milestone {
        name: "Go live".to_owned(),
        baseline: engine::testkit::date(2025, 6, 30),
        forecast: engine::testkit::date(2025, 7, 15),
        status: MilestoneStatus::Planned,
    });
    p.snapshots = vec![
        snapshot("2025-01", 100.0, 90.0, 110.0),
        snapshot("2025-02", 300.0, 250.0, 320.0),
    ];
    p.contingency = Some(engine::Amount::new(10_000.0).expect("amount"));
    serde_json::to_value(&p).expect("serialises")
}

fn import(v: &Value) -> Result<Project, Vec<FieldError>> {
    Project::from_json(v.to_string().as_bytes()).map_err(|e| e.0)
}

fn set(v: &mut Value, pointer: &str, to: Value) {
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = to;
}

fn refused(pointer: &str, to: Value) -> Vec<FieldError> {
    let mut v = doc();
    set(&mut v, pointer, to);
    import(&v).expect_err(pointer)
}

#[test]
fn the_base_document_is_valid() {
    assert!(import(&doc()).is_ok());
}

#[test]
fn each_bound_is_refused_naming_field_and_rule() {
    let long = |n: usize| json!("é".repeat(n));
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/work_packages/1/duration/pessimistic",
            json!(20_000.0),
            "work_packages[1].duration.pessimistic",
            "must be at most 10000 working days (got 20000)",
        ),
        (
            "/risks/0/schedule_impact/pessimistic",
            json!(10_000.5),
            "risks[0].schedule_impact.pessimistic",
            "must be at most 10000 working days (got 10000.5)",
        ),
        ("/bac", json!(2e13), "bac", "must be at most 1e13 (got 2e13)"),
        ("/contingency", json!(1e14), "contingency", "at most 1e13"),
        (
            "/work_packages/0/cost/pessimistic",
            json!(1.5e13),
            "work_packages[0].cost.pessimistic",
            "(got 1.5e13)",
        ),
        (
            "/work_packages/0/actual_cost",
            json!(1e15),
            "work_packages[0].actual_cost",
            "at most 1e13",
        ),
        (
            "/risks/0/cost_impact/pessimistic",
            json!(1e300),
            "risks[0].cost_impact.pessimistic",
            "(got 1e300)",
        ),
        ("/snapshots/0/pv", json!(1e14), "snapshots[0].pv", "at most 1e13"),
        ("/snapshots/0/ev", json!(1e14), "snapshots[0].ev", "at most 1e13"),
        ("/snapshots/1/ac", json!(1e14), "snapshots[1].ac", "at most 1e13"),
        (
            "/snapshots/0/capacity_hours",
            json!(2e9),
            "snapshots[0].capacity_hours",
            "at most 1e9 hours (got 2e9)",
        ),
        (
            "/snapshots/0/allocated_hours",
            json!(1e10),
            "snapshots[0].allocated_hours",
            "hours",
        ),
        (
            "/snapshots/0/headcount",
            json!(1_000_001),
            "snapshots[0].headcount",
            "at most 1000000",
        ),
        (
            "/snapshots/0/defects_open",
            json!(2_000_000),
            "snapshots[0].defects_open",
            "at most 1000000",
        ),
        (
            "/snapshots/1/defects_closed",
            json!(4_000_000_000u64),
            "snapshots[1].defects_closed",
            "at most",
        ),
        (
            "/snapshots/1/defects_closed",
            json!(5_000_000_000u64),
            "snapshots[1].defects_closed",
            "u32",
        ),
        ("/name", long(201), "name", "must be at most 200 characters (got 201)"),
        ("/code", long(300), "code", "200 characters"),
        ("/manager", long(201), "manager", "200 characters"),
        ("/sponsor", long(201), "sponsor", "200 characters"),
        (
            "/work_packages/2/name",
            long(201),
            "work_packages[2].name",
            "200 characters",
        ),
        ("/risks/0/title", long(201), "risks[0].title", "200 characters"),
        ("/risks/0/owner", long(201), "risks[0].owner", "200 characters"),
        ("/milestones/0/name", long(201), "milestones[0].name", "200 characters"),
        (
            "/snapshots/0/notes",
            long(4_001),
            "snapshots[0].notes",
            "at most 4000 characters",
        ),
        (
            "/work_packages/0/id",
            long(65),
            "work_packages[0].id",
            "1-64 characters",
        ),
        ("/risks/0/id", long(65), "risks[0].id", "1-64 characters"),
        (
            "/start",
            json!("1899-12-31"),
            "start",
            "between 1900-01-01 and 2999-12-31",
        ),
        (
            "/baseline_finish",
            json!("3000-01-01"),
            "baseline_finish",
            "(got 3000-01-01)",
        ),
        ("/start", json!("-262000-01-01"), "start", "between 1900"),
        (
            "/baseline_finish",
            json!("+262000-12-31"),
            "baseline_finish",
            "between 1900",
        ),
        (
            "/milestones/0/baseline",
            json!("0001-01-01"),
            "milestones[0].baseline",
            "between 1900",
        ),
        (
            "/milestones/0/forecast",
            json!("9999-12-31"),
            "milestones[0].forecast",
            "between 1900",
        ),
        (
            "/work_packages/0/actual_start",
            json!("3000-06-01"),
            "work_packages[0].actual_start",
            "between 1900",
        ),
        (
            "/work_packages/0/actual_finish",
            json!("1066-10-14"),
            "work_packages[0].actual_finish",
            "between 1900",
        ),
        ("/bac", json!(-5), "bac", ">= 0"),
        ("/snapshots/0/ac", json!(-1e-300), "snapshots[0].ac", ">= 0"),
    ];
    for (pointer, to, field, rule) in cases {
        let errs = refused(pointer, to);
        assert!(
            errs.iter().any(|e| e.field == field && e.rule.contains(rule)),
            "{pointer}: expected {field} / {rule} in {errs:?}"
        );
    }
}

#[test]
fn list_lengths_are_bounded() {
    let repeat = |v: &Value, n: usize, id: Option<&str>| -> Value {
        (0..n)
            .map(|i| {
                let mut x = v.clone();
                if let Some(key) = id {
                    x[key] = json!(format!("X{i}"));
                }
                x
            })
            .collect()
    };
    let base = doc();
    let cases = [
        (
            "/risks",
            repeat(&base["risks"][0], 1_001, Some("id")),
            "risks",
            "at most 1000 risks (got 1001)",
        ),
        (
            "/milestones",
            repeat(&base["milestones"][0], 201, None),
            "milestones",
            "at most 200 milestones",
        ),
        (
            "/snapshots",
            repeat(&base["snapshots"][0], 601, None),
            "snapshots",
            "at most 600 snapshots",
        ),
        (
            "/work_packages",
            repeat(&base["work_packages"][2], 5_001, Some("id")),
            "work_packages",
            "at most 5000 work packages (got 5001)",
        ),
        (
            "/work_packages/1/predecessors",
            json!(vec!["A"; 5_001]),
            "work_packages[1].predecessors",
            "at most 5000 entries",
        ),
        (
            "/risks/0/affects",
            json!(vec!["B"; 5_001]),
            "risks[0].affects",
            "at most 5000 entries",
        ),
    ];
    for (pointer, to, field, rule) in cases {
        let errs = refused(pointer, to);
        assert!(
            errs.iter().any(|e| e.field == field && e.rule.contains(rule)),
            "{pointer}: expected {field} / {rule} in {errs:?}"
        );
        assert!(errs.len() <= 101, "{pointer}: {} errors", errs.len());
    }
}

#[test]
fn values_at_the_bounds_are_accepted() {
    let mut v = doc();
    set(&mut v, "/work_packages/1/duration/pessimistic", json!(10_000.0));
    set(&mut v, "/risks/0/schedule_impact/pessimistic", json!(10_000.0));
    set(&mut v, "/bac", json!(1e13));
    set(&mut v, "/work_packages/0/cost/pessimistic", json!(1e13));
    set(&mut v, "/snapshots/0/capacity_hours", json!(1e9));
    set(&mut v, "/snapshots/0/headcount", json!(1_000_000));
    // Characters, not bytes: 200 two-byte characters are within.
    set(&mut v, "/name", json!("é".repeat(200)));
    set(&mut v, "/snapshots/0/notes", json!("ü".repeat(4_000)));
    set(&mut v, "/work_packages/0/id", json!("W".repeat(64)));
    set(&mut v, "/work_packages/1/predecessors", json!(["W".repeat(64)]));
    set(&mut v, "/work_packages/2/predecessors", json!(["W".repeat(64)]));
    set(&mut v, "/start", json!("1900-01-01"));
    set(&mut v, "/baseline_finish", json!("2999-12-31"));
    set(&mut v, "/snapshots/0/period", json!("1900-01"));
    set(&mut v, "/work_packages/0/cost/optimistic", json!(5e-324));
    import(&v).expect("every value is at its bound, not past it");
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let mut v = doc();
    set(&mut v, "/work_packages/0/duration/pessimistic", json!(1e5));
    set(&mut v, "/work_packages/2/cost/pessimistic", json!(1e14));
    set(&mut v, "/snapshots/1/capacity_hours", json!(1e12));
    set(&mut v, "/risks/0/owner", json!("o".repeat(500)));
    set(&mut v, "/milestones/0/forecast", json!("3001-01-01"));
    let fields: Vec<String> = import(&v)
        .expect_err("five broken rules")
        .into_iter()
        .map(|e| e.field)
        .collect();
    for f in [
        "work_packages[0].duration.pessimistic",
        "work_packages[2].cost.pessimistic",
        "snapshots[1].capacity_hours",
        "risks[0].owner",
        "milestones[0].forecast",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
}

#[test]
fn a_flood_of_broken_rules_is_listed_up_to_a_cap() {
    let mut v = doc();
    let bad = json!({ "id": "", "name": "", "duration": { "optimistic": 0, "most_likely": 0, "pessimistic": 0 },
                      "cost": { "optimistic": 0, "most_likely": 0, "pessimistic": 0 } });
    set(&mut v, "/work_packages", json!(vec![bad; 2_000]));
    let errs = import(&v).expect_err("thousands of broken rules");
    assert_eq!(errs.len(), 101, "100 listed and one line counting the rest");
    assert!(errs[100].rule.contains("more broken rules"), "{:?}", errs[100]);
}

#[test]
fn refusals_never_echo_a_huge_input() {
    let huge = "Z".repeat(1_000_000);
    for (pointer, to) in [
        ("/work_packages/1/predecessors", json!([huge.clone()])),
        ("/risks/0/affects", json!([huge.clone()])),
        ("/id", json!(huge.clone())),
        ("/currency", json!(huge.clone())),
        ("/snapshots/0/period", json!(huge.clone())),
    ] {
        let errs = refused(pointer, to);
        let size: usize = errs.iter().map(|e| e.field.len() + e.rule.len()).sum();
        assert!(size < 1_000, "{pointer}: {size} bytes of errors");
    }
}

#[test]
fn refusals_always_name_a_field() {
    // Found by fuzzing: an empty key used to be refused under a blank field name.
    let mut v = doc();
    v[""] = json!("pert");
    let errs = import(&v).expect_err("unknown key");
    assert!(errs.iter().all(|e| !e.field.is_empty()), "{errs:?}");
    let mut v = doc();
    v["work_packages"][0][""] = json!(1);
    let errs = import(&v).expect_err("unknown key");
    assert!(errs.iter().all(|e| !e.field.is_empty()), "{errs:?}");
    for text in ["", "{", "[]", "null", "{\"\":", "\u{feff}{}"] {
        let errs = Project::from_json(text.as_bytes()).expect_err(text).0;
        assert!(
            !errs.is_empty() && errs.iter().all(|e| !e.field.is_empty()),
            "{text:?}: {errs:?}"
        );
    }
}

#[test]
fn numbers_json_cannot_hold_are_refused() {
    let text = doc().to_string().replacen("\"bac\":1000000.0", "\"bac\":1e400", 1);
    assert!(text.contains("1e400"), "the edit applied");
    let errs = Project::from_json(text.as_bytes()).expect_err("out of range").0;
    assert!(!errs.is_empty() && !errs[0].field.is_empty(), "{errs:?}");
}

/// 1,000 chained packages of 10,000 working days each: every estimate is within bounds,
/// yet the finish lies some 38,000 years out. The forecast refuses by name.
#[test]
fn a_forecast_past_the_calendar_is_a_named_refusal() {
    let ids: Vec<String> = (0..1_000).map(|i| format!("W{i}")).collect();
    let wps = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let preds: Vec<&str> = ids[..i].last().map(String::as_str).into_iter().collect();
            wp(id, &preds, (9_000.0, 9_500.0, 10_000.0), (1.0, 2.0, 3.0))
        })
        .collect();
    let mut p = project(wps);
    p.baseline_finish = engine::testkit::date(2999, 12, 31);
    assert!(p.validate().is_ok(), "{:?}", p.validate());
    let config = SimConfig::new(1_000, 7).expect("config");
    let err = simulate(&p, period("2025-02"), &config).expect_err("past the calendar");
    let fields = err.fields();
    assert_eq!(fields[0].field, "forecast", "{err}");
    assert!(fields[0].rule.contains("after 9999-12-31"), "{err}");
}
