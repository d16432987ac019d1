//! The blocked kernel: [`LANES`] iterations side by side, node by node.
//!
//! `run`'s scalar kernel runs one iteration at a time over every node; each node's start is
//! a chain of compares whose inputs were written a few instructions before, and every
//! draw reads a different node's quantile table. Here the iterations of a block are the
//! inner loop instead: a node's duration and cost are drawn for all lanes with one table,
//! and its start is `max` over its predecessors' rows of [`LANES`] finishes, a loop with no
//! dependence between lanes that the compiler turns into vector compares and blends. The
//! state of the block (finish, critical predecessor and path set per node and lane) is a
//! few hundred bytes per node, so a 200-node network stays in the core's L2 cache.
//!
//! **Same numbers.** Lane `i` of a block is iteration `i` of it; both kernels fill a
//! block's words the same way and read iteration `i`'s uniforms from the same places
//! (`lanes`: its risk words from generator `i`, its work-package uniforms from the planes,
//! which spread each generator's words over four iterations), and every sum adds the same
//! terms in the same order, so a chunk gives bit for bit what the scalar kernel gives (a unit test holds the two together on random projects). Path sets (see
//! `paths`) are one 32- or 64-bit word per lane (`path_set`) with a fixed bit per risk
//! that has targets, in risk order, so the sums over a set's risks run in the order the
//! scalar kernel's slots do. Networks with more than 64 such risks use the scalar kernel,
//! whose sets grow with the risks that occur.

use super::lanes::{self, LaneRng, LANES};
use super::network::{Network, Node};
use super::path_set::PathSet;
use super::run::Chunk;

/// Risks with targets the blocked kernel can carry: one bit each in a path set.
const MAX_TARGETED: usize = 64;

/// Whether `net` suits the blocked kernel (at most 64 risks with targets).
pub(crate) fn fits(net: &Network) -> bool {
    targeted(net) <= MAX_TARGETED
}

/// How many of `net`'s risks have targets.
fn targeted(net: &Network) -> usize {
    net.risks.iter().filter(|r| !r.targets.is_empty()).count()
}

/// Scratch of one chunk, reused by each of its blocks. Rows are node-major: node `k`'s
/// lanes are `[k * LANES, (k + 1) * LANES)`.
struct Block<S: PathSet> {
    /// Work-package words: word `j` of lane `i` at `j * LANES + i`.
    words: Vec<u64>,
    /// Risk words: risk `r`'s of lane `i` at `r * LANES + i`.
    risk_words: Vec<u64>,
    /// Times node `k` lay on lane `i`'s critical path, at `k * LANES + i`: a counter per
    /// lane, so the lanes' traces never wait on each other's increments.
    critical: Vec<u32>,
    fin: Vec<f64>,
    via: Vec<u32>,
    /// Path sets: bit `b` is the `b`-th risk with targets.
    set: Vec<S>,
    /// Hit sets, only meaningful where `hit_lanes` says so.
    hit: Vec<S>,
    /// Per node, the lanes an occurring risk hits.
    hit_lanes: Vec<u64>,
    /// Nodes with a hit lane in this block, to clear them for the next.
    touched: Vec<u32>,
    /// The delay of each risk with targets in each lane: lane `i`, bit `b` at
    /// `i * MAX_TARGETED + b`; read only where the risk occurred.
    delay: Vec<f64>,
    /// Per risk, its bit, or `u8::MAX` without targets.
    bit: Vec<u8>,
    project_delay: [f64; LANES],
    risk_cost: [f64; LANES],
    work_cost: [f64; LANES],
}

impl<S: PathSet> Block<S> {
    fn new(net: &Network) -> Self {
        let m = net.len();
        let mut next = 0u8;
        let bit = net
            .risks
            .iter()
            .map(|r| {
                if r.targets.is_empty() {
                    u8::MAX
                } else {
                    next += 1;
                    next - 1
                }
            })
            .collect();
        Self {
            words: vec![0; m.div_ceil(2) * LANES],
            risk_words: vec![0; net.risks.len() * LANES],
            critical: vec![0; (m + 1) * LANES],
            fin: vec![0.0; m * LANES],
            // Row `m` is the path's end: a node of its own that leads back to itself.
            via: vec![m as u32; (m + 1) * LANES],
            set: vec![S::default(); m * LANES],
            hit: vec![S::default(); m * LANES],
            hit_lanes: vec![0; m],
            touched: Vec::new(),
            delay: vec![0.0; LANES * MAX_TARGETED],
            bit,
            project_delay: [0.0; LANES],
            risk_cost: [0.0; LANES],
            work_cost: [0.0; LANES],
        }
    }

    /// Forgets the previous block's risks and sums.
    fn reset(&mut self) {
        for &t in &self.touched {
            let t = t as usize;
            self.hit[t * LANES..(t + 1) * LANES].fill(S::default());
            self.hit_lanes[t] = 0;
        }
        self.touched.clear();
        self.project_delay = [0.0; LANES];
        self.risk_cost = [0.0; LANES];
        self.work_cost = [0.0; LANES];
    }
}

/// Runs one chunk with the blocked kernel; returns how often each node was critical.
pub(crate) fn run_chunk(net: &Network, wp_rng: &mut LaneRng, risk_rng: &mut LaneRng, out: &mut Chunk) -> Vec<u32> {
    if targeted(net) <= u32::BITS as usize {
        chunk::<u32>(net, wp_rng, risk_rng, out)
    } else {
        chunk::<u64>(net, wp_rng, risk_rng, out)
    }
}

/// [`run_chunk`] with path sets of type `S`.
fn chunk<S: PathSet>(net: &Network, wp_rng: &mut LaneRng, risk_rng: &mut LaneRng, out: &mut Chunk) -> Vec<u32> {
    let mut b = Block::<S>::new(net);
    let cost_to_date = out.cost_to_date;
    for (f, c) in out.finish.chunks_mut(LANES).zip(out.cost.chunks_mut(LANES)) {
        let lanes = f.len();
        b.reset();
        risk_rng.fill(&mut b.risk_words);
        wp_rng.fill(&mut b.words);
        sample_risks(net, &mut b);
        forward(net, &mut b);
        let (end, mut last) = latest_sinks(net, &b);
        last[lanes..].fill(net.len() as u32);
        trace(&mut b, last);
        for lane in 0..lanes {
            f[lane] = end[lane] + b.project_delay[lane];
            c[lane] = cost_to_date + b.risk_cost[lane] + b.work_cost[lane];
        }
    }
    b.critical
        .chunks_exact(LANES)
        .map(|per_lane| per_lane.iter().sum())
        .collect()
}

/// Counts the nodes of each lane's critical path, traced back from its last sink. A
/// path ends at the end node `m` (a lane past the block's end starts there), which leads
/// to itself and whose counts are never read, so every lane takes a step each round,
/// without a branch: sixteen chains of dependent reads overlap, and the rounds stop once
/// every lane has reached the end.
fn trace<S: PathSet>(b: &mut Block<S>, mut at: [u32; LANES]) {
    let end = (b.critical.len() / LANES - 1) as u32;
    loop {
        let mut all_done = true;
        for (lane, k) in at.iter_mut().enumerate() {
            let i = *k as usize * LANES + lane;
            b.critical[i] += 1;
            *k = b.via[i];
            all_done &= *k == end;
        }
        if all_done {
            return;
        }
    }
}

/// Draws every lane's risks as `run::sample_risks` draws one iteration's: costs and
/// target-less delays are summed, a risk with targets marks the nodes it hits. Impacts are
/// drawn only in the lanes where the risk occurs (under a third of them, typically).
fn sample_risks<S: PathSet>(net: &Network, b: &mut Block<S>) {
    for (r, (risk, &bit)) in net.risks.iter().zip(&b.bit).enumerate() {
        let words = &b.risk_words[r * LANES..][..LANES];
        let mut occurring = 0u64;
        for (lane, &w) in words.iter().enumerate() {
            occurring |= u64::from(risk.occurs(w)) << lane;
        }
        while occurring != 0 {
            let lane = occurring.trailing_zeros() as usize;
            occurring &= occurring - 1;
            let w = words[lane];
            b.risk_cost[lane] += risk.cost.draw(w as u16);
            let delay = risk.delay.draw((w >> 16) as u16);
            if bit == u8::MAX {
                b.project_delay[lane] += delay;
                continue;
            }
            b.delay[lane * MAX_TARGETED + bit as usize] = delay;
            for &t in &risk.targets {
                let t = t as usize;
                if b.hit_lanes[t] == 0 {
                    b.touched.push(t as u32);
                }
                b.hit_lanes[t] |= 1 << lane;
                b.hit[t * LANES + lane] |= S::bit(bit);
            }
        }
    }
}

/// The forward pass of every node over all lanes. Lanes past the block's end compute on
/// stale words and are never read.
fn forward<S: PathSet>(net: &Network, b: &mut Block<S>) {
    let mut dur = [0.0f64; LANES];
    let mut planes = [[0u16; LANES]; 4];
    for (k, node) in net.nodes.iter().enumerate() {
        if k & 1 == 0 {
            planes = lanes::planes(&b.words[(k >> 1) * LANES..][..LANES]);
        }
        let [cost, duration] = [&planes[2 * (k & 1)], &planes[2 * (k & 1) + 1]];
        draw_node(node, duration, cost, &mut dur, &mut b.work_cost);
        let preds = &net.preds[node.preds_from as usize..node.preds_to as usize];
        let (done, row) = b.fin.split_at_mut(k * LANES);
        let (done_sets, set) = b.set.split_at_mut(k * LANES);
        let (fin, set) = (&mut row[..LANES], &mut set[..LANES]);
        let via = &mut b.via[k * LANES..][..LANES];
        plain_start(preds, done, done_sets, fin, via, set, net.len() as u32);
        for (f, d) in fin.iter_mut().zip(&dur) {
            *f += d;
        }
        let mut lanes = b.hit_lanes[k];
        while lanes != 0 {
            let lane = lanes.trailing_zeros() as usize;
            lanes &= lanes - 1;
            hit_start(b, k, preds, lane, dur[lane]);
        }
    }
}

/// Node `node`'s duration (into `dur`) and cost (added to `work_cost`) in every lane, from
/// the lanes' uniforms. Out of line, so the draws and the pass each have the registers to
/// themselves.
#[inline(never)]
fn draw_node(
    node: &Node,
    duration: &[u16; LANES],
    cost: &[u16; LANES],
    dur: &mut [f64; LANES],
    work_cost: &mut [f64; LANES],
) {
    node.duration.draw_many(duration, dur);
    let mut drawn = [0.0f64; LANES];
    node.cost.draw_many(cost, &mut drawn);
    for (total, c) in work_cost.iter_mut().zip(&drawn) {
        *total += c;
    }
}

/// Start, critical predecessor and inherited path set of one node in every lane, without
/// its own risks: the latest predecessor's finish (strictly later wins, so the first on
/// ties), 0 and `none` (the end node of `trace`) without predecessors. Earlier nodes' rows
/// are in `fin` and `sets`.
#[inline(never)]
fn plain_start<S: PathSet>(
    preds: &[u32],
    fin: &[f64],
    sets: &[S],
    start: &mut [f64],
    from: &mut [u32],
    set: &mut [S],
    none: u32,
) {
    // Half a block at a time, its state in local arrays: small enough for the compiler to
    // keep in registers across the predecessors, where the whole block's would be written
    // back to memory after every one.
    const HALF: usize = LANES / 2;
    for h in 0..2 {
        let lanes = h * HALF..(h + 1) * HALF;
        let (mut st, mut fr, mut se) = ([0.0f64; HALF], [none; HALF], [S::default(); HALF]);
        for &p in preds {
            let row = p as usize * LANES + h * HALF;
            let (pf, ps) = (&fin[row..][..HALF], &sets[row..][..HALF]);
            // Masks instead of `if`: the compiler keeps an `if` as a branch per lane, which
            // mispredicts; masks make the loop straight vector compares and blends.
            for i in 0..HALF {
                let later = u64::from(pf[i] > st[i]).wrapping_neg();
                st[i] = f64::from_bits(pf[i].to_bits() & later | st[i].to_bits() & !later);
                let (narrow, sets) = (later as u32, S::from_mask(later));
                fr[i] = p & narrow | fr[i] & !narrow;
                se[i] = ps[i] & sets | se[i] & !sets;
            }
        }
        start[lanes.clone()].copy_from_slice(&st);
        from[lanes.clone()].copy_from_slice(&fr);
        set[lanes].copy_from_slice(&se);
    }
}

/// Redoes node `k` in `lane`, which an occurring risk hits, by the path rule of `paths`:
/// predecessor `p` offers `fin[p]` plus the delays of the node's risks not yet on p's
/// path, the latest offer wins (the first on ties), and the node's set is the winner's
/// plus its own risks.
#[inline(never)]
fn hit_start<S: PathSet>(b: &mut Block<S>, k: usize, preds: &[u32], lane: usize, dur: f64) {
    let hit = b.hit[k * LANES + lane];
    let delays = &b.delay[lane * MAX_TARGETED..][..MAX_TARGETED];
    let unseen = |mut bits: S| {
        let mut sum = 0.0;
        while bits != S::default() {
            sum += delays[bits.lowest()];
            bits = bits.without_lowest();
        }
        sum
    };
    let (mut start, mut from, mut base) = (f64::NEG_INFINITY, (b.fin.len() / LANES) as u32, S::default());
    if preds.is_empty() {
        start = unseen(hit);
    }
    for &p in preds {
        let at = p as usize * LANES + lane;
        let offer = b.fin[at] + unseen(hit & !b.set[at]);
        if offer > start {
            (start, from, base) = (offer, p, b.set[at]);
        }
    }
    let at = k * LANES + lane;
    b.fin[at] = start + dur;
    b.via[at] = from;
    b.set[at] = base | hit;
}

/// Per lane, the sink that finished last (the first on ties) and its finish; without nodes,
/// 0 and the end node (see `trace`).
fn latest_sinks<S: PathSet>(net: &Network, b: &Block<S>) -> ([f64; LANES], [u32; LANES]) {
    let (mut end, mut last) = ([0.0f64; LANES], [net.len() as u32; LANES]);
    let Some((&first, rest)) = net.sinks.split_first() else {
        return (end, last);
    };
    end.copy_from_slice(&b.fin[first as usize * LANES..][..LANES]);
    last.fill(first);
    for &s in rest {
        let row = &b.fin[s as usize * LANES..][..LANES];
        for i in 0..LANES {
            let later = row[i] > end[i];
            end[i] = if later { row[i] } else { end[i] };
            last[i] = if later { s } else { last[i] };
        }
    }
    (end, last)
}

#[cfg(test)]
mod tests {
    use super::super::run::{run, Execution, Kernel};
    use super::*;
    use crate::model::Distribution;
    use crate::testkit::synthetic_project;

    /// Both kernels over the same network: every sample and count equal, bit for bit.
    fn assert_same(net: &Network, iterations: usize, seed: u64) {
        let samples = |kernel| run(net, iterations, seed, 1_000.0, Execution::Sequential, kernel, None);
        let (blocked, scalar) = (samples(Kernel::Blocked), samples(Kernel::Scalar));
        let (blocked, scalar) = (blocked.expect("not cancelled"), scalar.expect("not cancelled"));
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&blocked.finish), bits(&scalar.finish), "finish, seed {seed}");
        assert_eq!(bits(&blocked.cost), bits(&scalar.cost), "cost, seed {seed}");
        assert_eq!(blocked.critical, scalar.critical, "criticality, seed {seed}");
    }

    #[test]
    fn the_blocked_kernel_gives_the_scalar_kernels_samples_bit_for_bit() {
        // Sizes and risk counts around the edges: an odd number of nodes (half a word
        // left), a partial last block and chunk (4,096 + 904 iterations), risks with and
        // without targets, dense risks that hit many nodes at once, path sets of 32 and 64
        // bits, both distributions.
        let mut widths = std::collections::HashSet::new();
        for (wps, risks, seed) in [(1, 0, 1), (7, 3, 2), (40, 12, 3), (201, 30, 4), (120, 64, 5)] {
            for distribution in [Distribution::Pert, Distribution::Triangular] {
                let mut project = synthetic_project(wps, risks, seed);
                project.estimate = distribution;
                let net = Network::compile(&project, None).expect("compiles");
                assert!(fits(&net));
                widths.insert(targeted(&net) <= 32);
                assert_same(&net, 5_000, seed * 31);
            }
        }
        assert_eq!(widths.len(), 2, "both widths of path set");
    }

    #[test]
    fn a_network_with_more_than_64_targeted_risks_keeps_the_scalar_kernel() {
        let project = synthetic_project(60, 160, 7);
        let net = Network::compile(&project, None).expect("compiles");
        assert!(net.risks.iter().filter(|r| !r.targets.is_empty()).count() > MAX_TARGETED);
        assert_eq!(Kernel::for_network(&net), Kernel::Scalar);
    }
}
