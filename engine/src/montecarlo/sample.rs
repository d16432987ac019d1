//! Fast three-point sampling by inverse CDF.
//!
//! Every three-point estimate `(a, m, b)` is `a + (b − a)·Q(c, u)`, where `Q` is the quantile
//! function of the standardised distribution on `[0, 1]` with mode `c = (m − a)/(b − a)`,
//! and `u` a uniform draw. An [`Estimate`] holds the affine part (`a` and `b − a`, both
//! already scaled by the share of work that remains) and how to evaluate `Q(c, ·)`.
//! Because `Q` is monotone, the uniform's rank is the sample's rank, which the tornado
//! relies on.
//!
//! - **Triangular**: `Q` in closed form (`√(u·c)` below the mode, `1 − √((1−u)(1−c))`
//!   above), one square root per draw.
//! - **PERT**: Beta(α, β) with α = 1 + 4c, β = 1 + 4(1 − c), mean `(a + 4m + b)/6`. The Beta
//!   CDF has no closed form, so it is integrated numerically once per process for
//!   `SHAPES + 1` evenly spaced modes: the density `x^(α−1)(1−x)^(β−1)` by the trapezoid rule
//!   on `FINE_STEPS` cells, normalised by its own total (so the CDF ends at exactly 1), then
//!   inverted at `TABLE_STEPS + 1` evenly spaced `u` by linear interpolation between grid
//!   cells. A draw interpolates linearly in `u` within the two tables whose modes bracket
//!   `c`, then blends them linearly in `c`. The Beta mean `(1 + 4c)/6` is linear in `c`, so
//!   the blend keeps the PERT mean exact; the error in the other quantiles is far below the
//!   sampling noise of any feasible run.
//!
//! The tables are shared by every estimate, not one per work package: per-package tables
//! took 2 KiB each, 10 MiB at 5,000 packages, and every draw then waited on memory. They
//! are stored as *pairs* — entry `j` of pair `k` holds `Q(k/SHAPES, u_j)` and
//! `Q((k+1)/SHAPES, u_j)` side by side (128 KiB in all) — so a draw reads both tables it
//! blends with the two loads one table would take.

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
type Table = [f64; TABLE_LEN];
/// Two neighbouring shapes' quantiles, interleaved (see the module doc).
type PairTable = [[f32; 2]; TABLE_LEN];

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
}

/// How `Q(c, ·)` of one estimate is evaluated.
#[derive(Debug, Clone, Copy)]
enum Quantile {
    /// Closed form with mode `c`.
    Triangular { c: f32 },
    /// A shared pair of neighbouring PERT tables, blended with weight `w` on the second.
    Pert { pair: &'static PairTable, w: f32 },
}

/// One three-point quantity, ready to draw.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Estimate {
    pub affine: Affine,
    quantile: Quantile,
}

impl Estimate {
    /// `share` × the estimate (`share` is the part of the work that remains, times any
    /// performance adjustment).
    pub fn new(est: &ThreePoint, distribution: Distribution, share: f64) -> Self {
        let (a, m, b) = (est.optimistic(), est.most_likely(), est.pessimistic());
        let width = b - a;
        let c = if width > 0.0 && ((m - a) / width).is_finite() {
            ((m - a) / width).clamp(0.0, 1.0)
        } else {
            // A certain value: scale 0 makes the shape irrelevant.
            0.5
        };
        let quantile = match distribution {
            Distribution::Triangular => Quantile::Triangular { c: c as f32 },
            Distribution::Pert => {
                let pos = c * SHAPES as f64;
                let lo = (pos.floor() as usize).min(SHAPES - 1);
                Quantile::Pert {
                    pair: &pert_pairs()[lo],
                    w: (pos - lo as f64) as f32,
                }
            }
        };
        Self {
            affine: Affine {
                base: a * share,
                scale: width * share,
            },
            quantile,
        }
    }

    /// The sample for the 16-bit uniform `u`.
    #[inline(always)]
    pub fn draw(&self, u: u16) -> f64 {
        self.affine.base + self.affine.scale * f64::from(self.standard(u))
    }

    /// [`Estimate::draw`] for `N` uniforms at once, with the same operations in the same
    /// order, so the same bits. The table reads come first, on their own: the arithmetic
    /// after them is then a loop over plain arrays, which the compiler vectorises, where
    /// one draw at a time would be a chain of scalar operations around every read.
    #[inline(always)]
    pub fn draw_many<const N: usize>(&self, u: &[u16; N], out: &mut [f64; N]) {
        let mut q = [0.0f32; N];
        match self.quantile {
            Quantile::Triangular { c } => {
                for (q, &u) in q.iter_mut().zip(u) {
                    // Both sides, then a select: no branch per lane.
                    let x = (f32::from(u) + 0.5) * (1.0 / 65_536.0);
                    let below = (x * c).sqrt();
                    let above = 1.0 - ((1.0 - x) * (1.0 - c)).sqrt();
                    *q = if x < c { below } else { above };
                }
            }
            Quantile::Pert { pair, w } => {
                let (mut lo, mut hi) = ([[0.0f32; 2]; N], [[0.0f32; 2]; N]);
                for ((lo, hi), &u) in lo.iter_mut().zip(&mut hi).zip(u) {
                    let i = usize::from(u >> 8);
                    (*lo, *hi) = (pair[i], pair[i + 1]);
                }
                for (((q, &u), lo), hi) in q.iter_mut().zip(u).zip(&lo).zip(&hi) {
                    let frac = (f32::from(u & 0xFF) + 0.5) * FRAC_SCALE;
                    let (q0, q1) = (lo[0] + frac * (hi[0] - lo[0]), lo[1] + frac * (hi[1] - lo[1]));
                    *q = q0 + w * (q1 - q0);
                }
            }
        }
        for (out, &q) in out.iter_mut().zip(&q) {
            *out = self.affine.base + self.affine.scale * f64::from(q);
        }
    }

    /// `Q(c, u)` at the middle of the draw's 1/65,536 cell, `(u + ½) / 2¹⁶`, so the 16-bit
    /// draws average to exactly ½.
    #[inline(always)]
    fn standard(&self, u: u16) -> f32 {
        match self.quantile {
            Quantile::Triangular { c } => {
                let x = (f32::from(u) + 0.5) * (1.0 / 65_536.0);
                if x < c {
                    (x * c).sqrt()
                } else {
                    1.0 - ((1.0 - x) * (1.0 - c)).sqrt()
                }
            }
            Quantile::Pert { pair, w } => {
                let [q0, q1] = lookup(pair, u);
                q0 + w * (q1 - q0)
            }
        }
    }
}

/// The width of a sixteen-bit uniform's low byte as a fraction of its table interval.
const FRAC_SCALE: f32 = 1.0 / 256.0;

/// Linear interpolation in a pair of tables at the uniform `(u + ½) / 2¹⁶`.
#[inline(always)]
fn lookup(pair: &PairTable, u: u16) -> [f32; 2] {
    let i = usize::from(u >> 8);
    let frac = (f32::from(u & 0xFF) + 0.5) * FRAC_SCALE;
    let ([a0, b0], [a1, b1]) = (pair[i], pair[i + 1]);
    [a0 + frac * (a1 - a0), b0 + frac * (b1 - b0)]
}

/// The pair tables of neighbouring Beta shapes `k / SHAPES` and `(k + 1) / SHAPES`, built on
/// first use and kept for the process: they depend on nothing but these constants.
fn pert_pairs() -> &'static [PairTable] {
    static PAIRS: OnceLock<Vec<PairTable>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let shapes = pert_shapes();
        shapes
            .windows(2)
            .map(|two| {
                let mut pair = [[0.0f32; 2]; TABLE_LEN];
                for (j, slot) in pair.iter_mut().enumerate() {
                    *slot = [two[0][j] as f32, two[1][j] as f32];
                }
                pair
            })
            .collect()
    })
}

/// Beta quantile tables for modes `k / SHAPES`, `k = 0..=SHAPES`.
fn pert_shapes() -> Vec<Table> {
    // ln x and ln(1 − x) on the integration grid, shared by every shape, so each density
    // value costs one exp instead of two powers.
    let h = 1.0 / FINE_STEPS as f64;
    let ln_x: Vec<f64> = (0..=FINE_STEPS).map(|i| (i as f64 * h).ln()).collect();
    let ln_1mx: Vec<f64> = (0..=FINE_STEPS).map(|i| (1.0 - i as f64 * h).ln()).collect();
    (0..=SHAPES)
        .map(|k| {
            let c = k as f64 / SHAPES as f64;
            beta_quantiles(1.0 + 4.0 * c, 1.0 + 4.0 * (1.0 - c), &ln_x, &ln_1mx)
        })
        .collect()
}

/// Quantiles of Beta(α, β), α, β ≥ 1, at `j / TABLE_STEPS`, by numerical integration and
/// inversion of the CDF (see the module doc). `ln_x` and `ln_1mx` hold ln x and ln(1 − x)
/// at the `FINE_STEPS + 1` grid points.
fn beta_quantiles(alpha: f64, beta: f64, ln_x: &[f64], ln_1mx: &[f64]) -> Table {
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
    use crate::testkit::three;

    fn standard(distribution: Distribution, c: f64) -> Estimate {
        Estimate::new(&three(0.0, c, 1.0), distribution, 1.0)
    }

    /// The exact mean over all 65,536 draws.
    fn mean(e: &Estimate) -> f64 {
        (0..=u16::MAX).map(|u| e.draw(u)).sum::<f64>() / 65_536.0
    }

    #[test]
    fn pert_draws_keep_the_pert_mean_and_order() {
        for c in [0.0, 0.1, 0.25, 0.33, 0.5, 0.77, 1.0] {
            let e = standard(Distribution::Pert, c);
            let expected = (1.0 + 4.0 * c) / 6.0;
            assert!((mean(&e) - expected).abs() < 2e-3, "c={c}: {}", mean(&e));
            assert!((0..u16::MAX).all(|u| e.draw(u) <= e.draw(u + 1)), "monotone for c={c}");
        }
    }

    #[test]
    fn triangular_draws_have_the_analytic_median_and_mean() {
        let e = standard(Distribution::Triangular, 0.25);
        // Median of Tri(0, 0.25, 1): 1 − √(0.5·0.75).
        let median = 1.0 - (0.5f64 * 0.75).sqrt();
        assert!((e.draw(1 << 15) - median).abs() < 1e-4);
        assert!((mean(&e) - 1.25 / 3.0).abs() < 1e-4, "{}", mean(&e));
        assert!(e.draw(0) >= 0.0 && e.draw(u16::MAX) <= 1.0);
    }

    #[test]
    fn symmetric_beta_median_is_one_half() {
        let e = standard(Distribution::Pert, 0.5);
        assert!((e.draw(1 << 15) - 0.5).abs() < 1e-4);
        // Beta(5, 1) has CDF x⁵, so its quantile at u is u^(1/5).
        let e = standard(Distribution::Pert, 1.0);
        assert!((e.draw(1 << 14) - 0.25f64.powf(0.2)).abs() < 1e-4);
    }

    #[test]
    fn drawing_many_at_once_gives_each_single_draw_bit_for_bit() {
        for distribution in [Distribution::Pert, Distribution::Triangular] {
            for c in [0.0, 0.13, 0.5, 0.71, 1.0] {
                let e = Estimate::new(&three(3.0, 3.0 + 9.0 * c, 12.0), distribution, 0.6);
                for start in (0..=u16::MAX).step_by(8) {
                    let u: [u16; 8] = std::array::from_fn(|i| start + i as u16);
                    let mut many = [0.0; 8];
                    e.draw_many(&u, &mut many);
                    for (&u, many) in u.iter().zip(many) {
                        assert_eq!(e.draw(u).to_bits(), many.to_bits(), "{distribution:?} c={c} u={u}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_certain_value_is_drawn_exactly() {
        let e = Estimate::new(&three(4.0, 4.0, 4.0), Distribution::Pert, 0.5);
        assert!(!e.affine.varies());
        assert_eq!((e.draw(0), e.draw(u16::MAX)), (2.0, 2.0));
    }
}
