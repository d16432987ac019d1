//! The iteration kernel and how iterations are spread over threads.
//!
//! Iterations are cut into fixed chunks of [`CHUNK`]; chunk `i` draws from its own two
//! generators (work packages, risks) seeded from `(seed, i)`, and writes its samples to its
//! own slice of the output. The result is therefore the same whether chunks run on one
//! thread or many, in any order. Separate streams for risks mean adding, removing or
//! re-weighting a risk leaves every work package's samples untouched (common random
//! numbers), so scenario comparisons differ only by the risk itself.
//!
//! The generator is `rand`'s `SmallRng` (xoshiro256++ on 64-bit targets). Each 64-bit word
//! holds four 16-bit uniforms: the cost and duration uniforms of two consecutive nodes (see
//! `sample` for why 16 bits suffice). The work-package stream draws nothing else, so the
//! tornado can regenerate any iteration's uniforms from `(seed, chunk)` instead of storing
//! megabytes of them ([`replay_uniforms`]).

use rand::rngs::SmallRng;
use rand::{RngCore, SeedableRng};
use rayon::prelude::*;

use super::network::{Network, NONE};

/// Iterations per chunk (and per generator).
pub(crate) const CHUNK: usize = 4096;
/// The tornado reads the uniforms of the first this-many iterations (whole chunks): ranks
/// on 20 thousand draws pin a correlation to about ±0.01, and replaying every iteration of a
/// million-iteration run would cost as much as the run.
pub(crate) const TORNADO_SAMPLE: usize = 5 * CHUNK;
/// Runs up to this many iterations on the calling thread; above it chunks go to rayon.
pub(crate) const PARALLEL_ABOVE: usize = 50_000;

/// How the chunks are scheduled. The output does not depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    /// On the calling thread only.
    Sequential,
    /// On rayon's pool.
    Parallel,
    /// Sequential up to 50,000 iterations, parallel above.
    Auto,
}

/// Everything the iterations produced, in iteration order.
pub(crate) struct Samples {
    pub finish: Vec<f64>,
    pub cost: Vec<f64>,
    /// Times each node lay on the critical path.
    pub critical: Vec<u64>,
}

/// Random words per iteration: one per two nodes.
fn words_per_iteration(nodes: usize) -> usize {
    nodes.div_ceil(2)
}

/// Uniforms per iteration as [`replay_uniforms`] lays them out (four per word).
pub(crate) fn row_width(nodes: usize) -> usize {
    4 * words_per_iteration(nodes)
}

pub(crate) fn run(net: &Network, iterations: usize, seed: u64, exec: Execution) -> Samples {
    let mut finish = vec![0.0; iterations];
    let mut cost = vec![0.0; iterations];
    let parallel = match exec {
        Execution::Sequential => false,
        Execution::Parallel => true,
        Execution::Auto => iterations > PARALLEL_ABOVE,
    };
    let work = |(index, (f, c)): (usize, (&mut [f64], &mut [f64]))| run_chunk(net, seed, index, f, c);
    let counts: Vec<Vec<u32>> = if parallel {
        finish
            .par_chunks_mut(CHUNK)
            .zip(cost.par_chunks_mut(CHUNK))
            .enumerate()
            .map(work)
            .collect()
    } else {
        finish
            .chunks_mut(CHUNK)
            .zip(cost.chunks_mut(CHUNK))
            .enumerate()
            .map(work)
            .collect()
    };
    let mut critical = vec![0u64; net.len()];
    for chunk in counts {
        for (total, n) in critical.iter_mut().zip(chunk) {
            *total += u64::from(n);
        }
    }
    Samples { finish, cost, critical }
}

/// Calls `row` with each of the first `iterations` iterations' uniforms, exactly as the run
/// drew them: index `2k` is node `k`'s cost uniform, `2k + 1` its duration uniform.
pub(crate) fn replay_uniforms(nodes: usize, seed: u64, iterations: usize, mut row: impl FnMut(&[u16])) {
    let mut buf = vec![0u16; row_width(nodes)];
    for chunk in 0..iterations.div_ceil(CHUNK) {
        let mut rng = chunk_rng(seed, chunk, 0);
        for _ in 0..CHUNK.min(iterations - chunk * CHUNK) {
            for four in buf.chunks_exact_mut(4) {
                let w = rng.next_u64();
                four.copy_from_slice(&[w as u16, (w >> 16) as u16, (w >> 32) as u16, (w >> 48) as u16]);
            }
            row(&buf);
        }
    }
}

/// SplitMix64's finaliser: spreads `(seed, chunk, stream)` over the whole seed space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn chunk_rng(seed: u64, chunk: usize, stream: u64) -> SmallRng {
    SmallRng::seed_from_u64(mix(mix(seed) ^ mix((chunk as u64) << 1 | stream)))
}

/// Uniform in [0, 1) with 53 random bits.
#[inline(always)]
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Runs one chunk; returns how often each node was critical.
fn run_chunk(net: &Network, seed: u64, index: usize, finish: &mut [f64], cost: &mut [f64]) -> Vec<u32> {
    let m = net.len();
    let mut wp_rng = chunk_rng(seed, index, 0);
    let mut risk_rng = chunk_rng(seed, index, 1);
    let mut critical = vec![0u32; m];
    let mut fin = vec![0.0f64; m];
    let mut via = vec![NONE; m];
    let mut delay = vec![0.0f64; m];
    for (finish, cost) in finish.iter_mut().zip(cost.iter_mut()) {
        let (project_delay, risk_cost) = sample_risks(net, &mut risk_rng, &mut delay);
        let work_cost = forward_pass(net, &mut wp_rng, &mut delay, &mut fin, &mut via);
        let (end, last) = latest_sink(net, &fin);
        // Trace the critical path back from the node that finished last.
        let mut k = last;
        while k != NONE {
            critical[k as usize] += 1;
            k = via[k as usize];
        }
        *finish = end + project_delay;
        *cost = net.fixed_cost + risk_cost + work_cost;
    }
    critical
}

/// Draws which risks occur and their impacts: delays go into `delay` per node; returns the
/// delay to the project finish and the risks' total cost.
#[inline(always)]
fn sample_risks(net: &Network, rng: &mut SmallRng, delay: &mut [f64]) -> (f64, f64) {
    let (mut project_delay, mut cost) = (0.0, 0.0);
    for r in &net.risks {
        if unit(rng.next_u64()) < r.probability {
            let bits = rng.next_u64();
            cost += r.cost.draw(bits as u16);
            let d = r.delay.draw((bits >> 16) as u16);
            if r.targets.is_empty() {
                project_delay += d;
            }
            for &t in &r.targets {
                delay[t as usize] += d;
            }
        }
    }
    (project_delay, cost)
}

/// One forward pass: each node starts at its latest predecessor's finish (or 0) and lasts
/// its sampled duration plus risk delay (which is consumed); `via` records the predecessor
/// that set the start. Returns the work's cost.
#[inline(always)]
fn forward_pass(net: &Network, rng: &mut SmallRng, delay: &mut [f64], fin: &mut [f64], via: &mut [u32]) -> f64 {
    let mut cost = 0.0;
    let mut word = 0u64;
    let nodes = net
        .nodes
        .iter()
        .zip(&net.tables)
        .zip(delay.iter_mut().zip(via.iter_mut()));
    for (k, ((node, tables), (delay, via))) in nodes.enumerate() {
        // Even nodes take the low half of a fresh word, odd nodes its high half.
        if k & 1 == 0 {
            word = rng.next_u64();
        } else {
            word >>= 32;
        }
        let d = node.duration.draw(&tables.duration, (word >> 16) as u16) + *delay;
        *delay = 0.0;
        cost += node.cost.draw(&tables.cost, word as u16);
        // Strictly later wins, so ties keep the first predecessor and a start at 0 has no
        // critical predecessor. Written as selects: which predecessor is latest changes
        // from draw to draw, and a branch would be mispredicted half the time.
        let mut start = 0.0f64;
        let mut from = NONE;
        for &p in &net.preds[node.preds_from as usize..node.preds_to as usize] {
            let f = fin[p as usize];
            let later = f > start;
            start = if later { f } else { start };
            from = if later { p } else { from };
        }
        fin[k] = start + d;
        *via = from;
    }
    cost
}

/// The sink that finished last (first on ties) and its finish; `(0, NONE)` without nodes.
#[inline(always)]
fn latest_sink(net: &Network, fin: &[f64]) -> (f64, u32) {
    let (mut end, mut last) = (0.0f64, NONE);
    for &s in &net.sinks {
        let f = fin[s as usize];
        let later = last == NONE || f > end;
        end = if later { f } else { end };
        last = if later { s } else { last };
    }
    (end, last)
}
