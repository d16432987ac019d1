//! Builders for test projects and the deterministic synthetic project the benchmarks and
//! tests share (feature `testkit`; the crate's own dev-dependency turns it on).
//!
//! Builders panic on invalid input: they are for hand-written fixtures, where a bad
//! fixture is a bug in the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use crate::model::{
    Amount, Currency, Distribution, Milestone, MilestoneStatus, Percent, Period, Probability, Project, ProjectId, Risk,
    RiskCategory, RiskStatus, Snapshot, ThreePoint, WorkPackage,
};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn period(s: &str) -> Period {
    Period::parse(s).expect("valid period")
}

pub fn three(a: f64, m: f64, b: f64) -> ThreePoint {
    ThreePoint::new(a, m, b).expect("ordered three-point estimate")
}

/// A not-started work package with the given duration and cost estimates.
pub fn wp(id: &str, preds: &[&str], duration: (f64, f64, f64), cost: (f64, f64, f64)) -> WorkPackage {
    WorkPackage {
        id: id.to_owned(),
        name: format!("Work package {id}"),
        predecessors: preds.iter().map(|p| (*p).to_owned()).collect(),
        duration: three(duration.0, duration.1, duration.2),
        cost: three(cost.0, cost.1, cost.2),
        percent_complete: Percent::default(),
        actual_start: None,
        actual_finish: None,
        actual_cost: None,
    }
}

/// The same work package with progress recorded.
pub fn progressed(mut w: WorkPackage, percent: f64, actual_cost: Option<f64>) -> WorkPackage {
    w.percent_complete = Percent::new(percent).expect("percent");
    w.actual_cost = actual_cost.map(|c| Amount::new(c).expect("amount"));
    w
}

pub fn risk(id: &str, probability: f64, cost: (f64, f64, f64), delay: (f64, f64, f64), affects: &[&str]) -> Risk {
    Risk {
        id: id.to_owned(),
        title: format!("Risk {id}"),
        category: RiskCategory::Technical,
        probability: Probability::new(probability).expect("probability"),
        cost_impact: three(cost.0, cost.1, cost.2),
        schedule_impact: three(delay.0, delay.1, delay.2),
        affects: affects.iter().map(|a| (*a).to_owned()).collect(),
        status: RiskStatus::Open,
        owner: "Owner".to_owned(),
    }
}

/// A snapshot with healthy resources and quality figures; adjust fields as needed.
pub fn snapshot(p: &str, pv: f64, ev: f64, ac: f64) -> Snapshot {
    let a = |v: f64| Amount::new(v).expect("amount");
    Snapshot {
        period: period(p),
        pv: a(pv),
        ev: a(ev),
        ac: a(ac),
        capacity_hours: a(1_000.0),
        allocated_hours: a(850.0),
        headcount: 6,
        defects_open: 10,
        defects_closed: 5,
        stakeholder_satisfaction: Some(4.0),
        notes: None,
    }
}

/// A project starting 2025-01-01 with a baseline finish of 2025-12-31, a BAC of 1,000,000
/// EUR and no risks, milestones or snapshots.
pub fn project(work_packages: Vec<WorkPackage>) -> Project {
    Project {
        id: ProjectId::parse("test").expect("slug"),
        name: "Test project".to_owned(),
        code: "TP-1".to_owned(),
        manager: "Manager".to_owned(),
        sponsor: "Sponsor".to_owned(),
        currency: Currency::try_from("EUR".to_owned()).expect("currency"),
        start: date(2025, 1, 1),
        baseline_finish: date(2025, 12, 31),
        bac: Amount::new(1_000_000.0).expect("amount"),
        contingency: None,
        estimate: Distribution::Pert,
        work_packages,
        risks: Vec::new(),
        milestones: Vec::new(),
        snapshots: Vec::new(),
    }
}

/// A small deterministic generator (SplitMix64) so the synthetic project never depends on
/// a library's random streams.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The report period the synthetic project is reported for: its twelfth month.
pub const SYNTHETIC_PERIOD: &str = "2024-12";

/// A realistic project of `n_wps` work packages (first 20 % complete, next 10 % in
/// progress, the rest not started; each depends on up to three of the ten before it),
/// `n_risks` risks (mostly open; every tenth affects the project as a whole), four
/// milestones and twelve monthly snapshots (2024-01 to 2024-12) drifting over budget and
/// behind plan. Passes [`Project::validate`]; the same arguments give the same project.
pub fn synthetic_project(n_wps: usize, n_risks: usize, seed: u64) -> Project {
    let mut g = Gen(seed);
    let mut wps = Vec::with_capacity(n_wps);
    for i in 0..n_wps {
        let id = format!("WP-{i:03}");
        let mut preds: Vec<String> = Vec::new();
        if i > 0 {
            for _ in 0..(1 + g.below(3)) {
                let back = 1 + g.below(i.min(10));
                let p = format!("WP-{:03}", i - back);
                if !preds.contains(&p) {
                    preds.push(p);
                }
            }
        }
        let a = g.range(2.0, 10.0);
        let m = a + g.range(0.0, 8.0);
        let b = m + g.range(0.5, 20.0);
        let ca = g.range(5_000.0, 40_000.0);
        let cm = ca * g.range(1.0, 1.4);
        let cb = cm * g.range(1.05, 1.8);
        let mut w = wp(&id, &[], (a, m, b), (ca, cm, cb));
        w.name = format!("Deliverable {i} <design & build>");
        w.predecessors = preds;
        if i < n_wps / 5 {
            w.percent_complete = Percent::new(100.0).expect("percent");
            w.actual_cost = Some(Amount::new(cm * g.range(0.9, 1.3)).expect("amount"));
        } else if i < n_wps * 3 / 10 {
            let pc = g.range(10.0, 90.0);
            w = progressed(w, pc, Some(cm * pc / 100.0 * g.range(0.9, 1.3)));
        }
        wps.push(w);
    }
    let mut p = project(wps);
    p.id = ProjectId::parse("synthetic").expect("slug");
    p.name = "Synthetic programme".to_owned();
    p.start = date(2024, 1, 1);
    p.baseline_finish = date(2027, 3, 31);
    let bac: f64 = p.work_packages.iter().map(|w| w.cost.most_likely()).sum();
    p.bac = Amount::new(bac.round()).expect("amount");
    p.contingency = Some(Amount::new((bac * 0.08).round()).expect("amount"));
    p.risks = (0..n_risks).map(|i| synthetic_risk(&mut g, i, n_wps)).collect();
    p.milestones = synthetic_milestones();
    p.snapshots = synthetic_snapshots(bac);
    p
}

fn synthetic_risk(g: &mut Gen, i: usize, n_wps: usize) -> Risk {
    let affects: Vec<String> = if i % 10 == 9 {
        Vec::new()
    } else {
        (0..1 + g.below(3))
            .map(|_| format!("WP-{:03}", g.below(n_wps)))
            .collect()
    };
    let refs: Vec<&str> = affects.iter().map(String::as_str).collect();
    let c = g.range(5_000.0, 80_000.0);
    let d = g.range(1.0, 10.0);
    let mut r = risk(
        &format!("R-{i:02}"),
        g.range(0.05, 0.5),
        (c * 0.5, c, c * 2.0),
        (d * 0.5, d, d * 2.5),
        &refs,
    );
    r.title = format!("Synthetic risk {i}");
    r.category = match i % 6 {
        0 => RiskCategory::Budget,
        1 => RiskCategory::Schedule,
        2 => RiskCategory::Resource,
        3 => RiskCategory::Technical,
        4 => RiskCategory::External,
        _ => RiskCategory::Quality,
    };
    r.affects.dedup();
    if i % 7 == 6 {
        r.status = RiskStatus::Mitigated;
    }
    r
}

fn synthetic_milestones() -> Vec<Milestone> {
    let m = |name: &str, baseline: NaiveDate, forecast: NaiveDate, status| Milestone {
        name: name.to_owned(),
        baseline,
        forecast,
        status,
    };
    vec![
        m(
            "Design approved",
            date(2024, 4, 30),
            date(2024, 5, 15),
            MilestoneStatus::Completed,
        ),
        m(
            "Pilot live",
            date(2024, 11, 29),
            date(2024, 12, 20),
            MilestoneStatus::Missed,
        ),
        m(
            "Rollout wave 1",
            date(2025, 6, 30),
            date(2025, 8, 15),
            MilestoneStatus::InProgress,
        ),
        m(
            "Programme close",
            date(2027, 3, 31),
            date(2027, 5, 31),
            MilestoneStatus::Planned,
        ),
    ]
}

fn synthetic_snapshots(bac: f64) -> Vec<Snapshot> {
    (1..=12u32)
        .map(|month| {
            let t = f64::from(month);
            let pv = bac * 0.03 * t;
            let ev = pv * (0.98 - 0.01 * t);
            let ac = ev * (1.0 + 0.012 * t);
            let mut s = snapshot(&format!("2024-{month:02}"), pv, ev, ac);
            s.allocated_hours = Amount::new(900.0 + 20.0 * t).expect("amount");
            s.defects_open = 8 + month * 2;
            s.stakeholder_satisfaction = Some(4.4 - 0.05 * t);
            s
        })
        .collect()
}
