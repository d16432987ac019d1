//! The iteration kernel and how iterations are spread over threads.
//!
//! Iterations are cut into fixed chunks of [`CHUNK`]; chunk `i` draws from its own
//! generators seeded from `(seed, i)`, and writes its samples to its own slice of the
//! output. The result is therefore the same whether chunks run on one thread or many, in
//! any order. The work packages and the risks have separate streams, so adding, removing
//! or re-weighting a risk leaves every work package's samples untouched (common random
//! numbers), and scenario comparisons differ only by the risk itself.
//!
//! Each stream is [`LANES`] generators (`lanes`), drawn a block of [`LANES`] iterations at a
//! time, a fixed number of 64-bit words per block: of the work-package stream, a row of
//! [`LANES`] words per two consecutive nodes, sixty-four 16-bit uniforms, each node's cost
//! and duration in each iteration (see `sample` for why 16 bits suffice); of the risk
//! stream, one word per risk and iteration: whether it occurs from the top 32 bits, its
//! cost and delay uniforms from the low 32
//! ([`RiskModel::occurs`](super::network::RiskModel::occurs)). Nothing else is drawn, so
//! the tornado regenerates any block's inputs from `(seed, chunk)` ([`replay`]) instead of
//! storing megabytes of them.
//!
//! Each iteration draws the risks first, so the forward pass knows which nodes they hit
//! (`paths`); an iteration in which no risk with targets occurs runs the plain pass.
//!
//! Two kernels run a chunk, with the same samples bit for bit: the scalar kernel here, one
//! iteration after another, and the blocked kernel (`block`), [`LANES`] iterations side by
//! side and much faster; the blocked one runs wherever the network has at most 64 risks
//! with targets ([`Kernel::for_network`]).

use std::hint::select_unpredictable;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::block;
use super::lanes::{self, LaneRng, Stream, LANES};
use super::network::{Network, NONE};
use super::paths::{NodeState, Paths};

/// Iterations per chunk (and per generator).
pub(crate) const CHUNK: usize = 4096;
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

/// Runs `iterations` iterations with `kernel` ([`Kernel::for_network`] picks the faster one
/// that fits; the tests compare the two); each total cost starts from `cost_to_date`. With
/// a `cancel` flag, each chunk looks at it before it starts and the run gives up (`None`)
/// once it is set: a million iterations stop within one chunk's time (about a millisecond)
/// of the request going away, not after the whole run.
pub(crate) fn run(
    net: &Network,
    iterations: usize,
    seed: u64,
    cost_to_date: f64,
    exec: Execution,
    kernel: Kernel,
    cancel: Option<&AtomicBool>,
) -> Option<Samples> {
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let mut finish = vec![0.0; iterations];
    let mut cost = vec![0.0; iterations];
    let parallel = match exec {
        Execution::Sequential => false,
        Execution::Parallel => true,
        Execution::Auto => iterations > PARALLEL_ABOVE,
    };
    let work = |(index, (f, c)): (usize, (&mut [f64], &mut [f64]))| {
        if cancelled() {
            return Vec::new();
        }
        let mut out = Chunk {
            finish: f,
            cost: c,
            cost_to_date,
        };
        run_chunk(net, seed, index, kernel, &mut out)
    };
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
    if cancelled() {
        return None;
    }
    let mut critical = vec![0u64; net.len()];
    for chunk in counts {
        for (total, n) in critical.iter_mut().zip(chunk) {
            *total += u64::from(n);
        }
    }
    Some(Samples { finish, cost, critical })
}

/// Calls `block` with each block of the first `iterations` iterations' inputs, exactly as
/// the run drew them: the number of iterations in the block (at most [`LANES`]; the rest
/// of its lanes hold words never used), then the work-package words (rows of [`LANES`],
/// row `j` serving nodes `2j` and `2j + 1`, see `lanes`) and the risk words (row `r` is
/// `net.risks[r]`, lane `i` iteration `i`).
pub(crate) fn replay(net: &Network, seed: u64, iterations: usize, mut block: impl FnMut(usize, &[u64], &[u64])) {
    let mut words = vec![0u64; words_per_iteration(net.len()) * LANES];
    let mut risk_words = vec![0u64; net.risks.len() * LANES];
    for chunk in 0..iterations.div_ceil(CHUNK) {
        let mut wp_rng = LaneRng::for_chunk(seed, chunk, Stream::WorkPackages);
        let mut risk_rng = LaneRng::for_chunk(seed, chunk, Stream::Risks);
        let mut left = CHUNK.min(iterations - chunk * CHUNK);
        while left > 0 {
            risk_rng.fill(&mut risk_words);
            wp_rng.fill(&mut words);
            block(left.min(LANES), &words, &risk_words);
            left = left.saturating_sub(LANES);
        }
    }
}

/// One chunk's output slices.
pub(crate) struct Chunk<'a> {
    pub finish: &'a mut [f64],
    pub cost: &'a mut [f64],
    pub cost_to_date: f64,
}

/// Which kernel runs the chunks; both give the same samples bit for bit (see `block`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// One iteration at a time, any number of risks.
    Scalar,
    /// [`block::LANES`] iterations side by side; at most 64 risks with targets.
    Blocked,
}

impl Kernel {
    /// The blocked kernel where it fits, the scalar one otherwise.
    pub fn for_network(net: &Network) -> Self {
        if block::fits(net) {
            Kernel::Blocked
        } else {
            Kernel::Scalar
        }
    }
}

/// Runs one chunk; returns how often each node was critical.
fn run_chunk(net: &Network, seed: u64, index: usize, kernel: Kernel, out: &mut Chunk) -> Vec<u32> {
    let mut wp_rng = LaneRng::for_chunk(seed, index, Stream::WorkPackages);
    let mut risk_rng = LaneRng::for_chunk(seed, index, Stream::Risks);
    match kernel {
        Kernel::Blocked => block::run_chunk(net, &mut wp_rng, &mut risk_rng, out),
        Kernel::Scalar => scalar_chunk(net, &mut wp_rng, &mut risk_rng, out),
    }
}

/// The scalar kernel: one iteration at a time, a block's words drawn as the blocked
/// kernel draws them.
fn scalar_chunk(net: &Network, wp_rng: &mut LaneRng, risk_rng: &mut LaneRng, out: &mut Chunk) -> Vec<u32> {
    let m = net.len();
    let mut critical = vec![0u32; m];
    let mut states = vec![NodeState::START; m];
    let mut dur = vec![0.0f64; m];
    let mut paths = Paths::new(m);
    let mut words = vec![0u64; words_per_iteration(m) * LANES];
    let mut risk_words = vec![0u64; net.risks.len() * LANES];
    for (f, c) in out.finish.chunks_mut(LANES).zip(out.cost.chunks_mut(LANES)) {
        risk_rng.fill(&mut risk_words);
        wp_rng.fill(&mut words);
        for (lane, (finish, cost)) in f.iter_mut().zip(c.iter_mut()).enumerate() {
            paths.begin();
            let (project_delay, risk_cost) = sample_risks(net, &risk_words, lane, &mut paths);
            let work_cost = draw_work(net, &words, lane, &mut dur);
            if paths.seal(net) {
                forward_pass::<true>(net, &dur, &mut paths, &mut states);
            } else {
                forward_pass::<false>(net, &dur, &mut paths, &mut states);
            }
            let (end, last) = latest_sink(net, &states);
            // Trace the critical path back from the node that finished last.
            let mut k = last;
            while k != NONE {
                critical[k as usize] += 1;
                k = states[k as usize].via;
            }
            *finish = end + project_delay;
            *cost = out.cost_to_date + risk_cost + work_cost;
        }
    }
    critical
}

/// Samples iteration `lane`'s durations into `dur` from the block's work-package words;
/// returns the work's cost. Apart from the pass and out of line, so each loop has the
/// registers to itself.
#[inline(never)]
fn draw_work(net: &Network, words: &[u64], lane: usize, dur: &mut [f64]) -> f64 {
    let mut cost = 0.0;
    for (k, (node, d)) in net.nodes.iter().zip(dur.iter_mut()).enumerate() {
        let row = &words[(k >> 1) * LANES..][..LANES];
        let plane = 2 * (k & 1);
        *d = node.duration.draw(lanes::uniform(row, plane + 1, lane));
        cost += node.cost.draw(lanes::uniform(row, plane, lane));
    }
    cost
}

/// Draws which risks occur and their impacts from iteration `lane`'s risk words: a risk
/// with targets goes to `paths` with its delay; returns the delay to the project finish
/// (risks without targets) and the risks' total cost, each occurring risk's cost counted
/// once.
#[inline(always)]
fn sample_risks(net: &Network, risk_words: &[u64], lane: usize, paths: &mut Paths) -> (f64, f64) {
    let (mut project_delay, mut cost) = (0.0, 0.0);
    for (i, r) in net.risks.iter().enumerate() {
        let word = risk_words[i * LANES + lane];
        if r.occurs(word) {
            cost += r.cost.draw(word as u16);
            let d = r.delay.draw((word >> 16) as u16);
            if r.targets.is_empty() {
                project_delay += d;
            } else {
                paths.occur(i, d);
            }
        }
    }
    (project_delay, cost)
}

/// One forward pass: each node starts at its latest predecessor's finish (or 0) and lasts
/// its sampled duration; `via` records the predecessor that set the start. With `RISKY`,
/// nodes hit by an occurring risk take their start from `paths` (each risk once per path)
/// and every node carries its path set; without, no risk with targets occurred.
#[inline(never)]
fn forward_pass<const RISKY: bool>(net: &Network, dur: &[f64], paths: &mut Paths, states: &mut [NodeState]) {
    for (k, (node, &d)) in net.nodes.iter().zip(dur).enumerate() {
        let preds = &net.preds[node.preds_from as usize..node.preds_to as usize];
        if RISKY && paths.is_hit(k) {
            let (start, from) = paths.start(k, preds, states);
            states[k].fin = start + d;
            states[k].via = from;
            continue;
        }
        // Strictly later wins, so ties keep the first predecessor and a start at 0 has no
        // critical predecessor; the node inherits the winner's path set (empty at 0).
        // Written as selects: which predecessor is latest changes from draw to draw, and the
        // branch the compiler would otherwise make would be mispredicted half the time.
        let mut start = 0.0f64;
        let mut from = NONE;
        let mut set = 0u32;
        for &p in preds {
            let s = states[p as usize];
            let later = s.fin > start;
            start = select_unpredictable(later, s.fin, start);
            from = select_unpredictable(later, p, from);
            if RISKY {
                set = select_unpredictable(later, s.set, set);
            }
        }
        states[k] = NodeState {
            fin: start + d,
            via: from,
            set,
        };
    }
}

/// The sink that finished last (first on ties) and its finish; `(0, NONE)` without nodes.
#[inline(always)]
fn latest_sink(net: &Network, states: &[NodeState]) -> (f64, u32) {
    let (mut end, mut last) = (0.0f64, NONE);
    for &s in &net.sinks {
        let f = states[s as usize].fin;
        let later = last == NONE || f > end;
        end = if later { f } else { end };
        last = if later { s } else { last };
    }
    (end, last)
}
