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
//! - **Spearman correlation** is the Pearson correlation of ranks. For a sampled input the
//!   uniform that produced it is its rank (the quantile transform is monotone), so the input
//!   side uses the replayed uniform directly and only the output is ranked (average ranks for
//!   ties).

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
pub(crate) fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| values[a as usize].total_cmp(&values[b as usize]).then(a.cmp(&b)));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let v = values[order[i] as usize];
        let mut j = i + 1;
        while j < order.len() && values[order[j] as usize] == v {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0; // mean of ranks i+1 ..= j
        for &o in &order[i..j] {
            out[o as usize] = avg;
        }
        i = j;
    }
    out
}

/// Spearman correlations of every column of the rows that `rows` produces (one per
/// iteration, `cols` wide) with two outputs given by their ranks: `(with a, with b)` per
/// column.
///
/// Values are centred (uniforms at 32,767.5, ranks at their mean) and summed in `f32`
/// over blocks of [`BLOCK`] rows, then in `f64`: element-wise `f32` sums vectorise, and
/// centring keeps their rounding far below the third decimal of any correlation.
pub(crate) fn rank_correlations(
    rows: impl FnOnce(&mut dyn FnMut(&[u16])),
    cols: usize,
    ranks_a: &[f64],
    ranks_b: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    const BLOCK: usize = 64;
    let n = ranks_a.len().min(ranks_b.len());
    if cols == 0 || n < 2 {
        return (vec![0.0; cols], vec![0.0; cols]);
    }
    let centred = |r: &[f64]| {
        let c = mean(&r[..n]);
        r[..n].iter().map(|&x| x - c).collect::<Vec<f64>>()
    };
    let (ra, rb) = (centred(ranks_a), centred(ranks_b));
    let mut total = [
        vec![0.0f64; cols],
        vec![0.0f64; cols],
        vec![0.0f64; cols],
        vec![0.0f64; cols],
    ];
    let mut block = [
        vec![0.0f32; cols],
        vec![0.0f32; cols],
        vec![0.0f32; cols],
        vec![0.0f32; cols],
    ];
    let mut i = 0;
    rows(&mut |row: &[u16]| {
        if i >= n {
            return;
        }
        let (a, b) = (ra[i] as f32, rb[i] as f32);
        let [s_u, s_uu, s_ua, s_ub] = &mut block;
        let acc = s_u
            .iter_mut()
            .zip(s_uu.iter_mut())
            .zip(s_ua.iter_mut())
            .zip(s_ub.iter_mut());
        for ((((su, suu), sua), sub), &u) in acc.zip(row) {
            let u = f32::from(u) - 32_767.5;
            *su += u;
            *suu += u * u;
            *sua += u * a;
            *sub += u * b;
        }
        i += 1;
        if i % BLOCK == 0 || i == n {
            for (t, b) in total.iter_mut().zip(block.iter_mut()) {
                for (t, b) in t.iter_mut().zip(b.iter_mut()) {
                    *t += f64::from(*b);
                    *b = 0.0;
                }
            }
        }
    });
    let nf = n as f64;
    let sum_sq = |r: &[f64]| r.iter().map(|x| x * x).sum::<f64>();
    let (var_a, var_b) = (sum_sq(&ra), sum_sq(&rb));
    let [s_u, s_uu, s_ua, s_ub] = &total;
    let corr = |cov: f64, var_u: f64, var_r: f64| {
        let denom = (var_u * var_r).sqrt();
        if denom > 0.0 && denom.is_finite() {
            (cov / denom).clamp(-1.0, 1.0)
        } else {
            0.0
        }
    };
    // The centred ranks sum to 0, so the covariance needs no mean correction.
    let var_u: Vec<f64> = (0..cols).map(|k| s_uu[k] - s_u[k] * s_u[k] / nf).collect();
    let with_a = (0..cols).map(|k| corr(s_ua[k], var_u[k], var_a)).collect();
    let with_b = (0..cols).map(|k| corr(s_ub[k], var_u[k], var_b)).collect();
    (with_a, with_b)
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
