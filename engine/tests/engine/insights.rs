//! Insights: each rule fires on a crafted series and stays silent on a healthy project;
//! confidence grows with evidence; thresholds drop weak insights; no data, no insight.

use engine::insights::{generate, Insight, InsightCategory, InsightConfig, InsightPriority};
use engine::metrics::{history, Metrics, RagThresholds};
use engine::montecarlo::{simulate, Forecast, SimConfig};
use engine::testkit::{period, project, risk, snapshot, wp};
use engine::{Amount, Project, Snapshot};

/// Month `i` (0-based) of 2025 as `YYYY-MM`.
fn month(i: usize) -> String {
    format!("2025-{:02}", i + 1)
}

/// A healthy project: six parallel work packages, on plan and on budget every month,
/// team at 85 %, defects and satisfaction flat, generous contingency.
fn healthy(months: usize) -> Project {
    let wps = (0..6)
        .map(|i| {
            wp(
                &format!("W{i}"),
                &[],
                (20.0, 22.0, 25.0),
                (50_000.0, 52_000.0, 55_000.0),
            )
        })
        .collect();
    let mut p = project(wps);
    p.contingency = Some(Amount::new(200_000.0).expect("amount"));
    p.snapshots = (0..months)
        .map(|i| {
            let v = 60_000.0 * (i + 1) as f64;
            snapshot(&month(i), v, v, v)
        })
        .collect();
    p
}

fn upto(p: &Project) -> Vec<Metrics> {
    let last = p
        .snapshots
        .last()
        .map_or("2025-01".to_owned(), |s| s.period.to_string());
    history(p, period(&last), &RagThresholds::default())
}

fn forecast(p: &Project) -> Forecast {
    let last = p
        .snapshots
        .last()
        .map_or("2025-01".to_owned(), |s| s.period.to_string());
    simulate(p, period(&last), &SimConfig::new(10_000, 7).expect("config")).expect("runs")
}

fn run(p: &Project, min_confidence: f64) -> Vec<Insight> {
    let f = forecast(p);
    generate(p, &upto(p), Some(&f), &InsightConfig { min_confidence })
}

fn rules(found: &[Insight]) -> Vec<&str> {
    found.iter().map(|i| i.rule.as_str()).collect()
}

fn edit(p: &mut Project, f: impl Fn(usize, &mut Snapshot)) {
    for (i, s) in p.snapshots.iter_mut().enumerate() {
        f(i, s);
    }
}

fn amount(v: f64) -> Amount {
    Amount::new(v).expect("amount")
}

#[test]
fn a_healthy_project_has_no_insights() {
    let found = run(&healthy(6), 0.0);
    assert!(found.is_empty(), "{:?}", rules(&found));
}

#[test]
fn falling_cpi_fires_the_trend_rule() {
    let mut p = healthy(6);
    let cpi = [1.0, 0.99, 0.97, 0.95, 0.93, 0.91];
    edit(&mut p, |i, s| s.ac = amount(s.ev.get() / cpi[i]));
    let found = run(&p, 0.7);
    let hit = found
        .iter()
        .find(|i| i.rule == "cpi_trend_down")
        .expect("CPI trend insight");
    assert_eq!(hit.category, InsightCategory::Budget);
    assert!(hit.rationale.trend_slope.is_some_and(|s| s < 0.0));
    assert!(hit.content.contains("0.91"), "{}", hit.content);
}

#[test]
fn eac_over_budget_fires() {
    let mut p = healthy(6);
    edit(&mut p, |_, s| s.ac = amount(s.ev.get() / 0.85));
    let found = run(&p, 0.7);
    let hit = found.iter().find(|i| i.rule == "eac_over_bac").expect("EAC insight");
    assert!(hit.content.contains("EUR 1,176,471"), "{}", hit.content);
    assert!(hit.priority >= InsightPriority::High);
}

#[test]
fn schedule_slip_fires() {
    let mut p = healthy(6);
    edit(&mut p, |_, s| s.ev = amount(s.pv.get() * 0.8));
    edit(&mut p, |_, s| s.ac = s.ev);
    let found = run(&p, 0.7);
    assert!(rules(&found).contains(&"schedule_slip"), "{:?}", rules(&found));
}

#[test]
fn over_allocation_fires() {
    let mut p = healthy(6);
    edit(&mut p, |_, s| s.allocated_hours = amount(1_250.0));
    let found = run(&p, 0.7);
    let hit = found
        .iter()
        .find(|i| i.rule == "utilisation_over_capacity")
        .expect("resource insight");
    assert_eq!(hit.category, InsightCategory::Resource);
    assert!(hit.title.contains("125%"));
}

#[test]
fn a_risk_larger_than_the_remaining_contingency_fires() {
    let mut p = healthy(6);
    p.contingency = Some(amount(50_000.0));
    p.risks.push(risk(
        "R9",
        0.9,
        (80_000.0, 100_000.0, 150_000.0),
        (1.0, 2.0, 3.0),
        &["W1"],
    ));
    let found = run(&p, 0.7);
    let hit = found
        .iter()
        .find(|i| i.rule == "risk_exceeds_contingency")
        .expect("risk insight");
    assert!(hit.content.contains("EUR 90,000"), "{}", hit.content);
    // Without a contingency the rule has nothing to compare with.
    p.contingency = None;
    assert!(!rules(&run(&p, 0.0)).contains(&"risk_exceeds_contingency"));
}

#[test]
fn forecast_rules_fire_on_a_late_and_expensive_forecast() {
    let mut p = healthy(6);
    p.baseline_finish = engine::testkit::date(2025, 2, 14);
    p.bac = amount(300_000.0);
    p.snapshots.clear();
    let f = forecast(&p);
    let found = generate(&p, &[], Some(&f), &InsightConfig::default());
    let names = rules(&found);
    assert!(names.contains(&"p80_past_baseline"), "{names:?}");
    assert!(names.contains(&"cost_within_bac_low"), "{names:?}");
}

#[test]
fn a_dominant_driver_is_recommended() {
    let mut p = healthy(6);
    p.work_packages[0].duration = engine::testkit::three(20.0, 40.0, 90.0);
    let found = run(&p, 0.7);
    let hit = found
        .iter()
        .find(|i| i.rule == "dominant_schedule_driver")
        .expect("driver insight");
    assert!(hit.title.contains("Work package W0"), "{}", hit.title);
}

#[test]
fn a_dominant_risk_is_named_as_a_risk() {
    let mut p = healthy(6);
    p.risks.push(risk(
        "R-SUP",
        0.6,
        (1_000.0, 2_000.0, 3_000.0),
        (30.0, 45.0, 80.0),
        &["W2", "W3"],
    ));
    let found = run(&p, 0.0);
    let hit = found
        .iter()
        .find(|i| i.rule == "dominant_schedule_driver")
        .expect("driver insight");
    assert_eq!(hit.title, "Risk R-SUP drives the finish date");
    assert!(hit.content.contains("60% probability"), "{}", hit.content);
    assert!(hit.recommended_actions[0].contains("R-SUP"));
}

#[test]
fn rising_defects_and_falling_satisfaction_fire() {
    let mut p = healthy(6);
    let defects = [10, 13, 17, 22, 28, 35];
    let mood = [4.6, 4.5, 4.2, 3.9, 3.5, 3.1];
    edit(&mut p, |i, s| {
        s.defects_open = defects[i];
        s.stakeholder_satisfaction = Some(mood[i]);
    });
    let names: Vec<String> = run(&p, 0.7).iter().map(|i| i.rule.clone()).collect();
    assert!(names.contains(&"defects_rising".to_owned()), "{names:?}");
    assert!(names.contains(&"satisfaction_falling".to_owned()), "{names:?}");
}

#[test]
fn more_months_of_consistent_data_raise_confidence() {
    let confidence = |months: usize| {
        let mut p = healthy(months);
        edit(&mut p, |i, s| s.ac = amount(s.ev.get() / (1.0 - 0.02 * i as f64)));
        let found = run(&p, 0.0);
        found
            .iter()
            .find(|i| i.rule == "cpi_trend_down")
            .map(|i| i.confidence)
            .expect("fires")
    };
    let (short, long) = (confidence(4), confidence(7));
    assert!(long > short, "{long} should exceed {short}");
}

#[test]
fn insights_below_the_threshold_are_dropped() {
    let mut p = healthy(4);
    edit(&mut p, |i, s| s.ac = amount(s.ev.get() / (1.0 - 0.005 * i as f64)));
    let all = run(&p, 0.0);
    let weak = all
        .iter()
        .find(|i| i.rule == "cpi_trend_down")
        .expect("fires at threshold 0");
    let kept = run(&p, weak.confidence + 0.01);
    assert!(!rules(&kept).contains(&"cpi_trend_down"));
    assert!(kept.iter().all(|i| i.confidence >= weak.confidence + 0.01));
}

#[test]
fn no_snapshots_means_no_budget_or_schedule_insights() {
    let mut p = healthy(0);
    p.contingency = Some(amount(1.0));
    p.risks.push(risk("R1", 0.5, (10.0, 20.0, 30.0), (1.0, 1.0, 1.0), &[]));
    let found = generate(&p, &[], None, &InsightConfig { min_confidence: 0.0 });
    assert!(found
        .iter()
        .all(|i| !matches!(i.category, InsightCategory::Budget | InsightCategory::Schedule)));
    // The risk register is data of its own category.
    assert!(rules(&found).contains(&"risk_exceeds_contingency"));
}

#[test]
fn output_is_sorted_deterministic_and_finite() {
    let p = engine::testkit::synthetic_project(120, 20, 3);
    let h = history(&p, period(engine::testkit::SYNTHETIC_PERIOD), &RagThresholds::default());
    let f = simulate(
        &p,
        period(engine::testkit::SYNTHETIC_PERIOD),
        &SimConfig::new(5_000, 1).expect("config"),
    )
    .expect("runs");
    let cfg = InsightConfig { min_confidence: 0.0 };
    let a = generate(&p, &h, Some(&f), &cfg);
    assert_eq!(a, generate(&p, &h, Some(&f), &cfg));
    assert!(a.len() >= 5, "{:?}", rules(&a));
    for pair in a.windows(2) {
        let ordered = pair[0].priority > pair[1].priority
            || (pair[0].priority == pair[1].priority && pair[0].confidence >= pair[1].confidence);
        assert!(ordered, "{} before {}", pair[0].rule, pair[1].rule);
    }
    let json = serde_json::to_string(&a).expect("serialises");
    assert!(no_bad_numbers(&json), "{json}");
    for i in &a {
        assert!((0.0..=1.0).contains(&i.confidence));
        assert!(!i.rationale.facts.is_empty() && !i.recommended_actions.is_empty());
    }
}

/// No "NaN" or "inf" word, as a non-finite float would print, in `text`.
pub fn no_bad_numbers(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .all(|w| !matches!(w, "NaN" | "inf"))
}
