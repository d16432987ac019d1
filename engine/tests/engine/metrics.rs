//! Earned-value metrics: TCPI against BAC is not available once the budget is spent, and
//! TCPI against EAC takes its place.

use engine::metrics::evm;
use engine::testkit::snapshot;

#[test]
fn tcpi_against_bac_while_budget_remains() {
    let e = evm(1_000.0, Some(&snapshot("2025-01", 600.0, 500.0, 800.0)));
    // (1000 − 500) / (1000 − 800) = 2.5; EAC = 1000 / 0.625 = 1600, so against EAC
    // (1000 − 500) / (1600 − 800) = 0.625.
    assert_eq!(e.tcpi, Some(2.5));
    assert_eq!(e.tcpi_eac, Some(0.625));
}

#[test]
fn tcpi_against_bac_is_not_available_once_the_budget_is_spent() {
    for ac in [1_000.0, 1_200.0] {
        let e = evm(1_000.0, Some(&snapshot("2025-01", 600.0, 500.0, ac)));
        assert_eq!(e.tcpi, None, "AC {ac}");
        let eac = e.eac.expect("eac");
        assert_eq!(e.tcpi_eac, Some(500.0 / (eac - ac)), "AC {ac}");
    }
}

#[test]
fn tcpi_against_eac_is_not_available_without_work_left_to_pay_for() {
    // Finished: EV = BAC, so EAC = AC and the denominator is 0.
    let e = evm(1_000.0, Some(&snapshot("2025-01", 1_000.0, 1_000.0, 1_100.0)));
    assert_eq!((e.tcpi, e.tcpi_eac), (None, None));
    // Nothing earned yet: no CPI, no EAC.
    let e = evm(1_000.0, Some(&snapshot("2025-01", 100.0, 0.0, 50.0)));
    assert_eq!(e.tcpi_eac, None);
    assert_eq!(e.tcpi, Some(1_000.0 / 950.0));
}
