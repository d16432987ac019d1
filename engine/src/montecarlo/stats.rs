//! Statistics over the samples: percentiles, the P80 standard error, histograms with their
//! cumulative curve, and rank correlations for the tornado.
//!
//! - **Percentiles** use the nearest-rank method: `P(p)` is the `⌈p·n⌉`-th smallest sample
//!   (1-based), so every reported percentile is a value that actually occurred. They are
//!   found with successive `select_nth_unstable` calls (linear time, no full sort).
//! - **Standard error of P80**: the number of samples below the true P80 is
//!   Binomial(n, 0.8), whose standard deviation is `d = √(n·0.8·0.2)` ranks. Half the spread
//!   between the order statistics `d` ranks either side of the P80 rank estimates one
//!   standard error of the P80 itself — distribution-free, no density estimate needed.
//! - **Spearman correlation** is the Pearson correlation of ranks. The output is ranked
//!   (average ranks for ties); each input arrives as its *rank score*, its distribution
//!   function at the sampled value (mid-point for an atom), computed by `drivers` from the
//!   replayed uniforms without sorting anything — see [`RankSums`].

use super::lanes::LANES;
use super::{Bin, Histogram, Percentiles};

pub(crate) const LEVELS: [f64; 5] = [0.10, 0.50, 0.80, 0.90, 0.95];

/// Zero-based index of the nearest-rank `p`-percentile among `n` samples.
pub(crate) fn rank_index(p: f64, n: usize) -> usize {
    ((p * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1
}

/// The percentiles and the standard error of the P80. Reorders `values`.
pub(crate) fn percentiles(values: &mut [f64]) -> (Percentiles, f64) {
    let n = values.len();
    if n == 0 {
        let zero = Percentiles {
            p10: 0.0,
            p50: 0.0,
            p80: 0.0,
            p90: 0.0,
            p95: 0.0,
        };
        return (zero, 0.0);
    }
    let k80 = rank_index(0.80, n);
    let d = (n as f64 * 0.8 * 0.2).sqrt().ceil() as usize;
    let lo80 = k80.saturating_sub(d);
    let hi80 = (k80 + d).min(n - 1);
    let mut wanted: Vec<usize> = LEVELS.iter().map(|&p| rank_index(p, n)).collect();
    wanted.extend([lo80, hi80]);
    let got = order_statistics(values, wanted);
    let at = |k: usize| got.iter().find(|&&(i, _)| i == k).map_or(0.0, |&(_, v)| v);
    let p = Percentiles {
        p10: at(rank_index(0.10, n)),
        p50: at(rank_index(0.50, n)),
        p80: at(k80),
        p90: at(rank_index(0.90, n)),
        p95: at(rank_index(0.95, n)),
    };
    let se = (at(hi80) - at(lo80)) / 2.0;
    (p, if se.is_finite() { se.max(0.0) } else { 0.0 })
}

/// The `k`-th smallest values for each `k` in `wanted`, by successive selection on the part
/// of the slice to the right of the previous pick.
fn order_statistics(values: &mut [f64], mut wanted: Vec<usize>) -> Vec<(usize, f64)> {
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Vec::with_capacity(wanted.len());
    let mut from = 0;
    for k in wanted {
        let (_, v, _) = values[from..].select_nth_unstable_by(k - from, f64::total_cmp);
        out.push((k, *v));
        from = k;
    }
    out
}

/// Mean in iteration order (a fixed order keeps the result bit-for-bit reproducible).
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Share of values `≤ limit`.
pub(crate) fn share_at_most(values: &[f64], limit: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().filter(|&&v| v <= limit).count() as f64 / values.len() as f64
}

/// `bins` equal-width bins over [min, max] (the last one closed), and the cumulative share
/// at each bin's end. When every value is equal the bins span [v − h, v + h] with h = ½,
/// or a millionth of v where ½ would vanish in rounding (costs above 2⁵³).
pub(crate) fn histogram(values: &[f64], bins: usize) -> Histogram {
    let bins = bins.max(1);
    let (mut lo, mut hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 0.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let half = (lo.abs() * 1e-6).max(0.5);
        (lo, hi) = (lo - half, lo + half);
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0u32; bins];
    for &v in values {
        let i = ((v - lo) / width) as usize;
        counts[i.min(bins - 1)] += 1;
    }
    let n = values.len().max(1) as f64;
    let mut running = 0u64;
    let mut out_bins = Vec::with_capacity(bins);
    let mut cumulative = Vec::with_capacity(bins);
    for (i, &count) in counts.iter().enumerate() {
        let start = lo + width * i as f64;
        let end = if i + 1 == bins { hi } else { lo + width * (i + 1) as f64 };
        running += u64::from(count);
        out_bins.push(Bin { start, end, count });
        cumulative.push((end, running as f64 / n));
    }
    Histogram {
        bins: out_bins,
        cumulative,
    }
}

/// Average ranks (1-based) of `values`, ties sharing the mean of their positions.
///
/// Sorts (key, index) pairs whose integer key orders like `f64::total_cmp`: integer
/// comparisons on contiguous pairs, instead of an index sort that looks every value up.
pub(crate) fn ranks(values: &[f64]) -> Vec<f64> {
    let key = |v: f64| {
        let bits = v.to_bits() as i64;
        bits ^ (((bits >> 63) as u64) >> 1) as i64
    };
    let mut keyed: Vec<(i64, u32)> = values.iter().enumerate().map(|(i, &v)| (key(v), i as u32)).collect();
    keyed.sort_unstable();
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < keyed.len() {
        let mut j = i + 1;
        while j < keyed.len() && keyed[j].0 == keyed[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0; // mean of ranks i+1 ..= j
        for &(_, o) in &keyed[i..j] {
            out[o as usize] = avg;
        }
        i = j;
    }
    out
}

/// Blocks a [`RankSums`] adds up in `f32` before it carries their sums to `f64`.
const FLUSH_BLOCKS: usize = 16;

/// Rank correlations of many input columns with one output, fed a block of [`LANES`]
/// iterations at a time: for each column the Pearson correlation of the input's centred
/// rank score `x` with the output's centred rank `r`. With `Σ r = 0` that is
/// `(Σ x·r − x̄·Σ r) / √(n·Var(x)·Σ r²)`, where `Σ r` is only the rounding of the ranks to
/// `f32`. That is Spearman's correlation between the input, ranked by its own distribution
/// function, and the output, ranked among the samples.
///
/// Two kinds of column (see `drivers`): the first `exact_cols` hold scores of a known
/// distribution with mean 0 and variance `exact_variance` (a work package's uniform), which
/// need only `Σ x·r`; the rest (a risk's two-valued mixture) also sum `x` and `x²`, and
/// take their sample variance: the exact one would divide a statistic whose own spread
/// follows the sample's by a constant, and for a rare risk that doubles the noise.
///
/// Sums are kept per column and lane, `open[col * LANES + lane]`: adding a block is then
/// element-wise over plain arrays, which vectorises. Ranks are divided by `n`, so every
/// product is at most ¼ and `f32` sums over [`FLUSH_BLOCKS`] blocks lose nothing that
/// shows in the third decimal of a correlation; then they are carried to `f64`.
pub(crate) struct RankSums {
    /// Centred ranks over `n`, per iteration.
    ranks: Vec<f32>,
    sum_sq: f64,
    exact_cols: usize,
    /// Σ x·r per column, then Σ x and Σ x² per sampled column: open blocks and totals.
    open: [Vec<f32>; 3],
    total: [Vec<f64>; 3],
    blocks: usize,
}

impl RankSums {
    /// Sums against the ranks of `values` for `exact_cols` columns of known variance,
    /// then `sampled_cols` columns that take their sample variance.
    pub fn new(values: &[f64], exact_cols: usize, sampled_cols: usize) -> Self {
        let n = values.len().max(1) as f64;
        let ranks = ranks(values);
        let centre = mean(&ranks);
        let scaled: Vec<f64> = ranks.iter().map(|&r| (r - centre) / n).collect();
        let cols = exact_cols + sampled_cols;
        Self {
            sum_sq: scaled.iter().map(|r| r * r).sum(),
            ranks: scaled.iter().map(|&r| r as f32).collect(),
            exact_cols,
            open: [
                vec![0.0; cols * LANES],
                vec![0.0; sampled_cols * LANES],
                vec![0.0; sampled_cols * LANES],
            ],
            total: [vec![0.0; cols], vec![0.0; sampled_cols], vec![0.0; sampled_cols]],
            blocks: 0,
        }
    }

    /// The weights of the block starting at iteration `start`: its ranks, 0 for lanes past
    /// the last iteration.
    pub fn weights(&self, start: usize) -> [f32; LANES] {
        let mut w = [0.0; LANES];
        let have = self.ranks.len().saturating_sub(start).min(LANES);
        w[..have].copy_from_slice(&self.ranks[start..start + have]);
        w
    }

    /// Adds one block's scores of column `col`, one of the first `exact_cols`, weighted by
    /// [`RankSums::weights`]. Out of line: inlined into the tornado's block loop it ran at
    /// half the speed (measured), the loop's registers spilling around every column.
    #[inline(never)]
    pub fn add(&mut self, col: usize, scores: &[f32; LANES], weights: &[f32; LANES]) {
        let open = &mut self.open[0][col * LANES..][..LANES];
        for i in 0..LANES {
            open[i] += scores[i] * weights[i];
        }
    }

    /// [`RankSums::add`] for a column past the first `exact_cols`, with its moments; `live`
    /// is 1 for the block's real iterations and 0 past the last, which must not count.
    #[inline(never)]
    pub fn add_sampled(&mut self, col: usize, scores: &[f32; LANES], weights: &[f32; LANES], live: &[f32; LANES]) {
        let at = (col - self.exact_cols) * LANES;
        let [cross, sum, squares] = &mut self.open;
        let (cross, sum, squares) = (
            &mut cross[col * LANES..][..LANES],
            &mut sum[at..][..LANES],
            &mut squares[at..][..LANES],
        );
        for i in 0..LANES {
            let x = scores[i] * live[i];
            cross[i] += x * weights[i];
            sum[i] += x;
            squares[i] += x * x;
        }
    }

    /// Closes a block: every [`FLUSH_BLOCKS`] blocks, the `f32` sums move to `f64`.
    pub fn end_block(&mut self) {
        self.blocks += 1;
        if self.blocks.is_multiple_of(FLUSH_BLOCKS) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (total, open) in self.total.iter_mut().zip(&mut self.open) {
            for (total, open) in total.iter_mut().zip(open.chunks_exact_mut(LANES)) {
                *total += open.iter().map(|&x| f64::from(x)).sum::<f64>();
                open.fill(0.0);
            }
        }
    }

    /// Each column's correlation; 0 where the column or the output cannot vary.
    pub fn correlations(mut self, exact_variance: f64) -> Vec<f64> {
        self.flush();
        let n = self.ranks.len() as f64;
        let rank_sum: f64 = self.ranks.iter().map(|&r| f64::from(r)).sum();
        let [cross, sum, squares] = &self.total;
        cross
            .iter()
            .enumerate()
            .map(|(col, &cross)| {
                let (cross, var) = match col.checked_sub(self.exact_cols) {
                    None => (cross, exact_variance),
                    Some(j) => {
                        let mean = sum[j] / n.max(1.0);
                        (cross - mean * rank_sum, squares[j] / n.max(1.0) - mean * mean)
                    }
                };
                let denom = (n * var * self.sum_sq).sqrt();
                if n > 1.0 && var > 0.0 && denom > 0.0 && denom.is_finite() {
                    (cross / denom).clamp(-1.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        let (p, se) = percentiles(&mut v);
        assert_eq!((p.p10, p.p50, p.p80, p.p90, p.p95), (10.0, 50.0, 80.0, 90.0, 95.0));
        assert_eq!(se, 4.0); // ranks 80 ± 4 → (84 − 76) / 2
    }

    #[test]
    fn ties_share_ranks() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(ranks(&[-1.5, 2e9, -3e-9, 0.0]), vec![1.0, 4.0, 2.0, 3.0]);
    }

    #[test]
    fn histogram_counts_every_value_once() {
        let v: Vec<f64> = (0..1000).map(|i| f64::from(i) / 10.0).collect();
        let h = histogram(&v, 7);
        assert_eq!(h.bins.iter().map(|b| b.count).sum::<u32>(), 1000);
        assert_eq!(h.cumulative.last().map(|c| c.1), Some(1.0));
        let flat = histogram(&[5.0; 10], 3);
        assert_eq!(flat.bins[0].start, 4.5);
    }

    #[test]
    fn equal_huge_values_still_get_bins_of_some_width() {
        // 5,000 work packages at the money bound cost 5·10¹⁶, where ±½ rounds away.
        let flat = histogram(&[5e16; 10], 3);
        assert!(flat.bins.iter().all(|b| b.end > b.start), "{:?}", flat.bins);
        assert_eq!(flat.bins.iter().map(|b| b.count).sum::<u32>(), 10);
    }
}
