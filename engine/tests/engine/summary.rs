//! Executive summary: two to four sentences, key figures without NaN or infinity.

use engine::insights::{generate, InsightConfig};
use engine::metrics::{compute, history, RagThresholds};
use engine::montecarlo::{simulate, SimConfig};
use engine::summary::build;
use engine::testkit::{period, project, snapshot, synthetic_project, wp, SYNTHETIC_PERIOD};

use super::insights::no_bad_numbers;

fn sentences(text: &[String]) -> usize {
    text.len()
}

#[test]
fn synthetic_report_summary_reads_well() {
    let p = synthetic_project(200, 30, 1);
    let at = period(SYNTHETIC_PERIOD);
    let t = RagThresholds::default();
    let f = simulate(&p, at, &SimConfig::new(5_000, 3).expect("config")).expect("runs");
    let h = history(&p, at, &t);
    let insights = generate(&p, &h, Some(&f), &InsightConfig::default());
    let m = compute(&p, at, &t)
        .expect("metrics")
        .with_forecast(f.p_finish_by_baseline, &t);
    let s = build(&m, &insights, Some(&f));
    assert!((2..=4).contains(&sentences(&s.narrative)));
    assert!(s.narrative.iter().all(|x| x.ends_with('.')));
    let labels: Vec<&str> = s.key_figures.iter().map(|k| k.label.as_str()).collect();
    assert_eq!(labels, ["CPI", "SPI(t)", "EAC vs BAC", "P80 finish"]);
    assert_eq!(s.key_figures[3].value, f.finish_dates.p80.to_string());
    assert_eq!(s.overall, m.rag.overall);
    assert!(!s.highlights.is_empty() && s.highlights.len() <= 6);
    assert!(s.headline.starts_with(m.rag.overall.label()));
    assert_eq!(s, build(&m, &insights, Some(&f)), "deterministic");
}

#[test]
fn unavailable_figures_read_n_a_never_nan() {
    let t = RagThresholds::default();
    // No snapshots at all.
    let p = project(vec![wp("A", &[], (1.0, 2.0, 3.0), (1.0, 2.0, 3.0))]);
    let empty = compute(&p, period("2025-01"), &t).expect("metrics");
    // Nothing spent or planned yet: every ratio divides by zero.
    let mut zero = p.clone();
    zero.snapshots.push(snapshot("2025-01", 0.0, 0.0, 0.0));
    zero.bac = engine::Amount::ZERO;
    let zero = compute(&zero, period("2025-01"), &t).expect("metrics");
    for m in [empty, zero] {
        let s = build(&m, &[], None);
        assert!((2..=4).contains(&sentences(&s.narrative)), "{:?}", s.narrative);
        let json = serde_json::to_string(&s).expect("serialises");
        assert!(no_bad_numbers(&json), "{json}");
        assert_eq!(s.key_figures[0].value, "n/a");
        assert_eq!(s.key_figures.len(), 3, "no P80 without a forecast");
        assert!(s.narrative.iter().all(|x| !x.contains("NaN")));
    }
}
