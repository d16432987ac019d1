//! Property tests: over random small networks and seeds the forecast is ordered, finite
//! and internally consistent.

use engine::montecarlo::{simulate, SimConfig};
use engine::testkit::{period, progressed, project, risk, wp};
use engine::{Distribution, Project};
use proptest::prelude::*;

/// A random acyclic project: each work package may depend on earlier ones.
fn arb_project() -> impl Strategy<Value = Project> {
    let wp_spec = (
        0.1f64..30.0,
        0.0f64..20.0,
        0.0f64..40.0,
        0.0f64..1e5,
        0u8..4,
        0.0f64..100.0,
        any::<bool>(),
    );
    (prop::collection::vec(wp_spec, 1..12), any::<bool>(), 0.0f64..1.0).prop_map(|(specs, triangular, p_risk)| {
        let wps = specs
            .iter()
            .enumerate()
            .map(|(i, &(a, dm, db, c, preds, pc, started))| {
                let before: Vec<String> = (0..i).rev().take(preds as usize).map(|j| format!("W{j}")).collect();
                let refs: Vec<&str> = before.iter().map(String::as_str).collect();
                let w = wp(&format!("W{i}"), &refs, (a, a + dm, a + dm + db), (c, c * 1.2, c * 1.5));
                if started {
                    progressed(w, pc, None)
                } else {
                    w
                }
            })
            .collect();
        let mut p = project(wps);
        if triangular {
            p.estimate = Distribution::Triangular;
        }
        p.risks
            .push(risk("R", p_risk, (0.0, 1_000.0, 5_000.0), (0.0, 2.0, 9.0), &["W0"]));
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn forecasts_are_ordered_and_finite(p in arb_project(), seed in any::<u64>()) {
        prop_assert!(p.validate().is_ok());
        let f = simulate(&p, period("2025-02"), &SimConfig::new(1_000, seed).expect("config")).expect("runs");
        for q in [f.finish_days, f.cost] {
            prop_assert!(q.p10 <= q.p50 && q.p50 <= q.p80 && q.p80 <= q.p90 && q.p90 <= q.p95);
            prop_assert!([q.p10, q.p50, q.p80, q.p90, q.p95].iter().all(|v| v.is_finite() && *v >= 0.0));
        }
        let d = f.finish_dates;
        prop_assert!(d.p10 <= d.p50 && d.p50 <= d.p80 && d.p80 <= d.p90 && d.p90 <= d.p95);
        prop_assert!((0.0..=1.0).contains(&f.p_finish_by_baseline) && (0.0..=1.0).contains(&f.p_cost_within_bac));
        prop_assert!(f.p80_standard_error_days.is_finite() && f.p80_standard_error_days >= 0.0);
        prop_assert_eq!(f.finish_histogram.bins.iter().map(|b| b.count).sum::<u32>(), 1_000);
        prop_assert!(f.criticality.iter().all(|c| (0.0..=1.0).contains(&c.index)));
        prop_assert!(f.tornado.finish.iter().chain(&f.tornado.cost).all(|t| t.finish_correlation.abs() <= 1.0 && t.cost_correlation.abs() <= 1.0));
        prop_assert!(f.mean_finish_days >= f.finish_days.p10.min(f.finish_days.p95) - 1e-9);
    }

    /// Risks draw from their own stream, so the same seed gives every iteration the same
    /// work-package samples with or without them: a risk can only add delay and cost, and
    /// counted once per path it adds at most its delay to any iteration.
    #[test]
    fn risks_only_add_and_at_most_their_delay(p in arb_project(), seed in any::<u64>()) {
        let mut without = p.clone();
        without.risks.clear();
        let mut chained = p.clone();
        let ids: Vec<String> = p.work_packages.iter().map(|w| w.id.clone()).collect();
        chained.risks = vec![risk("R", 1.0, (0.0, 0.0, 0.0), (3.0, 3.0, 3.0), &ids.iter().map(String::as_str).collect::<Vec<_>>())];
        let cfg = SimConfig::new(1_000, seed).expect("config");
        let at = period("2025-02");
        let (with, base) = (simulate(&p, at, &cfg).expect("runs"), simulate(&without, at, &cfg).expect("runs"));
        let certain = simulate(&chained, at, &cfg).expect("runs");
        for (w, b) in [(with.finish_days, base.finish_days), (with.cost, base.cost)] {
            prop_assert!(w.p10 >= b.p10 && w.p50 >= b.p50 && w.p80 >= b.p80 && w.p95 >= b.p95);
        }
        // A certain 3-day risk on every remaining work package: exactly 3 days later,
        // however many packages lie on the critical path.
        if base.criticality.is_empty() {
            prop_assert_eq!(certain.finish_days, base.finish_days);
        } else {
            let (c, b) = (certain.finish_days, base.finish_days);
            for (x, y) in [(c.p10, b.p10), (c.p50, b.p50), (c.p80, b.p80), (c.p95, b.p95)] {
                prop_assert!((x - y - 3.0).abs() < 1e-9, "{} vs {} + 3", x, y);
            }
        }
    }
}
