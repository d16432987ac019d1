//! The demo portfolio loaded on first start when the store is empty: ten projects in
//! varied health, each with 12+ monthly snapshots to October 2026, 20–200 work packages
//! in a dependency network, risks and milestones, and a generated report for its latest
//! month. Deterministic: the same data on every machine and every run.

mod generate;
mod profiles;

use app::domain::{SectionId, Template};
use app::dto::Role;
use app::services::{GenerateRequest, Principal, Services};
use engine::Project;

use self::generate::{build, period};
use self::profiles::PROFILES;
use crate::error::{Error, Result};
use crate::services::PmrServices;

/// The month the demo's data runs to.
pub const AS_OF: (i32, u32) = (2026, 10);

/// Every demo project, built and validated.
pub fn projects() -> Result<Vec<Project>> {
    PROFILES
        .iter()
        .map(|p| {
            let project = build(p)?;
            project.validate()?;
            Ok(project)
        })
        .collect()
}

/// The demo's `everest` project grown (or shrunk) to `work_packages` packages, with its
/// risks, snapshots and milestones: a realistic project of any size for benchmarks.
pub fn everest_with(work_packages: usize) -> Result<Project> {
    let base = PROFILES
        .iter()
        .position(|p| p.id == "everest")
        .ok_or_else(|| Error::internal("everest is in the demo"))?;
    let profile = profiles::Profile {
        work_packages,
        ..PROFILES[base]
    };
    let mut project = build(&profile)?;
    project.id = engine::ProjectId::parse(&format!("everest-{work_packages}")).map_err(Error::internal)?;
    project.validate()?;
    Ok(project)
}

/// Imports the demo projects and generates each one's report for the latest month.
pub async fn load(services: &PmrServices) -> Result<()> {
    let demo = Principal {
        name: "demo".into(),
        role: Role::Editor,
        signed_in: true,
    };
    let period = period(AS_OF.0, AS_OF.1)?;
    let notes = SectionId::parse("technical-progress").map_err(Error::internal)?;
    for (i, project) in projects()?.iter().enumerate() {
        services.import_project(&demo, project).await?;
        let template = if i % 3 == 2 {
            Template::Technical
        } else {
            Template::Executive
        };
        let id = services
            .generate_unlimited(
                &demo,
                GenerateRequest {
                    project_id: project.id.clone(),
                    period,
                    template,
                    iterations: None,
                },
            )
            .await?;
        if template == Template::Technical {
            services
                .edit_section(&demo, &id, &notes, 1, TECH_NOTE.replace("{name}", &project.name))
                .await?;
        }
    }
    tracing::info!(projects = PROFILES.len(), "demo portfolio loaded");
    Ok(())
}

const TECH_NOTE: &str = "## {name}: technical progress\n\n\
The integration environment is stable again after the October patch window. \
Performance tests of the **reporting interface** passed at 1.4× the expected peak load.\n\n\
- Data migration dry-run 3 completed; 0.2 % of records need manual review.\n\
- Two interface defects remain open with the vendor.\n\
- Next: security review and the cut-over rehearsal.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_valid_varied_and_deterministic() {
        let a = projects().expect("demo builds");
        let b = projects().expect("demo builds");
        assert_eq!(a, b, "same data on every run");
        assert!(a.len() >= 8);
        for p in &a {
            assert!(p.snapshots.len() >= 12, "{} has {} snapshots", p.id, p.snapshots.len());
            assert!((20..=200).contains(&p.work_packages.len()), "{}", p.id);
            assert!(p.work_packages.iter().any(|w| !w.predecessors.is_empty()));
            assert!(!p.risks.is_empty() && !p.milestones.is_empty());
            // The packages' actuals reconcile with the latest AC (no data-quality note).
            let booked: f64 = p
                .work_packages
                .iter()
                .filter_map(|w| w.actual_cost.map(|a| a.get()))
                .sum();
            let ac = p.snapshots.last().expect("snapshots").ac.get();
            assert!(
                (booked - ac).abs() <= engine::montecarlo::MATERIAL_SHARE * ac,
                "{}: booked {booked} against AC {ac}",
                p.id
            );
        }
    }
}
