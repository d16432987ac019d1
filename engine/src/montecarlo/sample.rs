//! Fast three-point sampling by inverse-CDF lookup.
//!
//! Every three-point estimate `(a, m, b)` is `a + (b − a)·Q(c, u)`, where `Q` is the quantile
//! function of the standardised distribution on `[0, 1]` with mode `c = (m − a)/(b − a)`,
//! and `u` a uniform draw. An [`Affine`] holds `a` and `b − a` (both already scaled by the
//! share of work that remains), a [`Table`] holds `Q(c, ·)` at `TABLE_STEPS + 1` evenly
//! spaced `u`; a draw is one table lookup with linear interpolation — a few nanoseconds,
//! where a Beta draw via two gamma variates costs tens. Because `Q` is monotone, the uniform's rank is
//! the sample's rank, which the tornado relies on.
//!
//! - **Triangular**: `Q` in closed form (`√(u·c)` below the mode, `1 − √((1−u)(1−c))` above).
//! - **PERT**: Beta(α, β) with α = 1 + 4c, β = 1 + 4(1 − c), mean `(a + 4m + b)/6`. The Beta
//!   CDF has no closed form, so it is integrated numerically once per process for
//!   `SHAPES + 1` evenly spaced modes: the density `x^(α−1)(1−x)^(β−1)` by the trapezoid rule
//!   on `FINE_STEPS` cells, normalised by its own total (so the CDF ends at exactly 1), then
//!   inverted at each table point by linear interpolation between grid cells. A work
//!   package's table blends the two neighbouring mode tables linearly in `c`. The Beta mean
//!   `(1 + 4c)/6` is linear in `c`, so the blend keeps the PERT mean exact; the error in the
//!   other quantiles is far below the sampling noise of any feasible run.

use std::sync::OnceLock;

use crate::model::{Distribution, ThreePoint};

/// Intervals of the `u` grid. Uniforms carry 16 bits: the top 8 pick the interval, the low
/// 8 the position inside it, so a draw resolves 1/65,536 of the estimate's range — far
/// finer than any three-point estimate is meant — and one 64-bit random word serves four
/// draws.
pub(crate) const TABLE_STEPS: usize = 256;
const TABLE_LEN: usize = TABLE_STEPS + 1;
/// Mode positions for which PERT tables are precomputed.
const SHAPES: usize = 64;
/// Cells of the numerical integration of the Beta density.
const FINE_STEPS: usize = 4096;

/// Standardised quantiles `Q(c, j / TABLE_STEPS)` for `j = 0..=TABLE_STEPS`.
pub(crate) type Table = [f32; TABLE_LEN];

/// The affine part of a three-point quantity: a draw is `base + scale · Q(u)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Affine {
    pub base: f64,
    pub scale: f64,
}

impl Affine {
    /// Whether draws can differ at all (a zero-width estimate or no remaining work cannot).
    pub fn varies(self) -> bool {
        self.scale > 0.0
    }

    /// The sample for the 16-bit uniform `u` from this quantity's table.
    #[inline(always)]
    pub fn draw(self, table: &Table, u: u16) -> f64 {
        self.base + self.scale * f64::from(lookup(table, u))
    }
}

/// Prepares `share` × the estimate (`share` is the part of the work that remains): its
/// affine part and its standardised quantile table.
pub(crate) fn prepare(est: &ThreePoint, distribution: Distribution, share: f64) -> (Affine, Table) {
    let (a, m, b) = (est.optimistic(), est.most_likely(), est.pessimistic());
    let width = b - a;
    let table = if width > 0.0 {
        standard_table(distribution, (m - a) / width)
    } else {
        // A certain value: scale 0 makes the table irrelevant.
        [0.0; TABLE_LEN]
    };
    let affine = Affine {
        base: a * share,
        scale: width * share,
    };
    (affine, table)
}

/// A three-point quantity with its own table (risks, drawn only when they occur).
#[derive(Debug, Clone)]
pub(crate) struct Sampler {
    pub affine: Affine,
    pub table: Box<Table>,
}

impl Sampler {
    pub fn new(est: &ThreePoint, distribution: Distribution) -> Self {
        let (affine, table) = prepare(est, distribution, 1.0);
        Self {
            affine,
            table: Box::new(table),
        }
    }

    #[inline(always)]
    pub fn draw(&self, u: u16) -> f64 {
        self.affine.draw(&self.table, u)
    }
}

/// Linear interpolation in a table at the uniform `(u + ½) / 2^16`: the middle of the
/// draw's 1/65,536 cell, so the 16-bit draws average to exactly ½.
#[inline(always)]
pub(crate) fn lookup(table: &Table, u: u16) -> f32 {
    const FRAC_SCALE: f32 = 1.0 / 256.0;
    let i = usize::from(u >> 8);
    let frac = (f32::from(u & 0xFF) + 0.5) * FRAC_SCALE;
    let lo = table[i];
    let hi = table[i + 1];
    lo + frac * (hi - lo)
}

/// The standardised quantile table for mode position `c` in `[0, 1]`.
pub(crate) fn standard_table(distribution: Distribution, c: f64) -> Table {
    let c = if c.is_finite() { c.clamp(0.0, 1.0) } else { 0.5 };
    match distribution {
        Distribution::Triangular => triangular_table(c),
        Distribution::Pert => pert_table(c),
    }
}

fn triangular_table(c: f64) -> Table {
    let mut t = [0.0f32; TABLE_LEN];
    for (j, slot) in t.iter_mut().enumerate() {
        let u = j as f64 / TABLE_STEPS as f64;
        let q = if u < c {
            (u * c).sqrt()
        } else {
            1.0 - ((1.0 - u) * (1.0 - c)).sqrt()
        };
        *slot = q as f32;
    }
    t
}

fn pert_table(c: f64) -> Table {
    let shapes = pert_shapes();
    let pos = c * SHAPES as f64;
    let lo = (pos.floor() as usize).min(SHAPES - 1);
    let w = pos - lo as f64;
    let (t0, t1) = (&shapes[lo], &shapes[lo + 1]);
    let mut t = [0.0f32; TABLE_LEN];
    for (j, slot) in t.iter_mut().enumerate() {
        *slot = ((1.0 - w) * t0[j] + w * t1[j]) as f32;
    }
    t
}

/// Beta quantile tables for modes `k / SHAPES`, built on first use and kept for the process:
/// they depend on nothing but these constants.
fn pert_shapes() -> &'static [[f64; TABLE_LEN]] {
    static SHAPES_CELL: OnceLock<Vec<[f64; TABLE_LEN]>> = OnceLock::new();
    SHAPES_CELL.get_or_init(|| {
        // ln x and ln(1 − x) on the integration grid, shared by every shape, so each
        // density value costs one exp instead of two powers.
        let h = 1.0 / FINE_STEPS as f64;
        let ln_x: Vec<f64> = (0..=FINE_STEPS).map(|i| (i as f64 * h).ln()).collect();
        let ln_1mx: Vec<f64> = (0..=FINE_STEPS).map(|i| (1.0 - i as f64 * h).ln()).collect();
        (0..=SHAPES)
            .map(|k| {
                let c = k as f64 / SHAPES as f64;
                beta_quantiles(1.0 + 4.0 * c, 1.0 + 4.0 * (1.0 - c), &ln_x, &ln_1mx)
            })
            .collect()
    })
}

/// Quantiles of Beta(α, β), α, β ≥ 1, at `j / TABLE_STEPS`, by numerical integration and
/// inversion of the CDF (see the module doc). `ln_x` and `ln_1mx` hold ln x and ln(1 − x)
/// at the `FINE_STEPS + 1` grid points.
fn beta_quantiles(alpha: f64, beta: f64, ln_x: &[f64], ln_1mx: &[f64]) -> [f64; TABLE_LEN] {
    let h = 1.0 / FINE_STEPS as f64;
    // The density x^(α−1)(1−x)^(β−1) is finite on the closed interval for α, β ≥ 1; a zero
    // exponent contributes a factor 1 even where the logarithm is −∞.
    let term = |e: f64, ln: f64| if e == 0.0 { 0.0 } else { e * ln };
    let density = |i: usize| (term(alpha - 1.0, ln_x[i]) + term(beta - 1.0, ln_1mx[i])).exp();
    let mut cdf = vec![0.0f64; FINE_STEPS + 1];
    let mut prev = density(0);
    for i in 1..=FINE_STEPS {
        let next = density(i);
        cdf[i] = cdf[i - 1] + 0.5 * (prev + next) * h;
        prev = next;
    }
    let total = cdf[FINE_STEPS];
    let mut out = [0.0f64; TABLE_LEN];
    out[TABLE_STEPS] = 1.0;
    let mut cell = 0usize;
    for (j, slot) in out.iter_mut().enumerate().take(TABLE_STEPS).skip(1) {
        let target = j as f64 / TABLE_STEPS as f64 * total;
        while cell + 1 < FINE_STEPS && cdf[cell + 1] < target {
            cell += 1;
        }
        let (f0, f1) = (cdf[cell], cdf[cell + 1]);
        let frac = if f1 > f0 { (target - f0) / (f1 - f0) } else { 0.0 };
        *slot = (cell as f64 + frac.clamp(0.0, 1.0)) * h;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_mean(t: &Table) -> f64 {
        // Trapezoid rule over u of the piecewise-linear quantile function.
        let s: f64 = t.windows(2).map(|w| f64::from(w[0] + w[1]) / 2.0).sum();
        s / TABLE_STEPS as f64
    }

    #[test]
    fn pert_tables_keep_the_pert_mean() {
        for c in [0.0, 0.1, 0.25, 0.33, 0.5, 0.77, 1.0] {
            let t = standard_table(Distribution::Pert, c);
            let expected = (1.0 + 4.0 * c) / 6.0;
            assert!((table_mean(&t) - expected).abs() < 2e-3, "c={c}: {}", table_mean(&t));
            assert!(t.windows(2).all(|w| w[0] <= w[1]), "monotone for c={c}");
        }
    }

    #[test]
    fn triangular_table_has_the_analytic_median() {
        let t = standard_table(Distribution::Triangular, 0.25);
        // Median of Tri(0, 0.25, 1): 1 − √(0.5·0.75).
        let median = 1.0 - (0.5f64 * 0.75).sqrt();
        assert!((f64::from(lookup(&t, 1 << 15)) - median).abs() < 1e-4);
        assert_eq!(t[0], 0.0);
        assert_eq!(t[TABLE_STEPS], 1.0);
    }

    #[test]
    fn symmetric_beta_median_is_one_half() {
        let t = standard_table(Distribution::Pert, 0.5);
        assert!((t[TABLE_STEPS / 2] - 0.5).abs() < 1e-6);
        // Beta(5, 1) has CDF x⁵, so its quantile at u is u^(1/5).
        let t = standard_table(Distribution::Pert, 1.0);
        assert!((f64::from(t[TABLE_STEPS / 4]) - 0.25f64.powf(0.2)).abs() < 1e-5);
    }
}
