//! The forecast's cost to date (SPEC §1.5): the snapshot's AC is the authority, so every
//! iteration's cost at completion is AC + sampled cost of remaining work + occurring
//! risks' costs. The work packages' own actuals are reconciled against it and a material
//! difference becomes a data-quality note with the amount, never a silent choice.
//!
//! - The snapshot is the latest at or before the report period (the one the metrics use).
//! - Material: |AC − work-package actuals| > [`MATERIAL_SHARE`] of AC; when AC is 0, any
//!   difference. Smaller differences are rounding or timing and stay out of the report.
//! - No snapshot: the cost to date falls back to the work-package actuals, and the note
//!   says so.

use super::output::{CostSource, Reconciliation};
use crate::format;
use crate::model::{Period, Project};

/// A difference above this share of AC is material.
pub const MATERIAL_SHARE: f64 = 0.005;

/// The cost to date for `period` and its reconciliation with `work_package_actuals`.
pub(super) fn reconcile(project: &Project, period: Period, work_package_actuals: f64) -> Reconciliation {
    let money = |v: f64| format::money(v, project.currency.as_str());
    let Some(snap) = project.history(period).last().copied() else {
        return Reconciliation {
            source: CostSource::WorkPackageActuals,
            cost_to_date: work_package_actuals,
            snapshot_period: None,
            snapshot_ac: None,
            work_package_actuals,
            difference: None,
            material: false,
            note: Some(format!(
                "No snapshot has been recorded up to {period}, so the forecast's cost to date is the work packages' booked actuals ({}), not a reported actual cost.",
                money(work_package_actuals)
            )),
        };
    };
    let ac = snap.ac.get();
    let difference = ac - work_package_actuals;
    let material = if ac > 0.0 {
        difference.abs() > MATERIAL_SHARE * ac
    } else {
        difference != 0.0
    };
    let note = material.then(|| {
        let share = if ac > 0.0 {
            format!(" ({} of AC)", format::percent(difference.abs() / ac))
        } else {
            String::new()
        };
        let side = if difference > 0.0 { "below" } else { "above" };
        format!(
            "The work packages' booked actuals ({}) are {}{share} {side} the actual cost of {} ({}); the forecast starts from the actual cost.",
            money(work_package_actuals),
            money(difference.abs()),
            snap.period,
            money(ac),
        )
    });
    Reconciliation {
        source: CostSource::SnapshotAc,
        cost_to_date: ac,
        snapshot_period: Some(snap.period),
        snapshot_ac: Some(ac),
        work_package_actuals,
        difference: Some(difference),
        material,
        note,
    }
}
