//! Risks as events in the forward pass: an occurring risk's delay counts at most once along
//! any path of the network (SPEC §1.5), its cost once per occurrence (that part is `run`'s).
//!
//! **Rule.** Per iteration, each occurring risk that targets work packages gets a *slot*
//! (0, 1, … in risk order), and each node it hits gets that slot in its *hit set* `H[k]`.
//! The forward pass carries, per node, the *path set* `S[k]`: the slots already counted on
//! the path that set k's start. At node k, predecessor p offers the start
//! `fin[p] + Σ delay(s) for s ∈ H[k] \ S[p]` (a node without predecessors: `Σ` over
//! `H[k]`); the latest offer wins (the first on ties, as in the plain pass) and
//! `S[k] = S[p*] ∪ H[k]`. So a risk on every package of a chain delays the chain once; a
//! risk on two parallel branches delays each branch once and their join once; a risk on a
//! branch that is not critical moves the finish only if it makes that branch critical.
//!
//! **How exact.** Every finish is the length of a real path with each of its risks counted
//! once, so it never exceeds the exact "once per path" longest path. It can fall short
//! only when two paths meet, the longer one wins, and a later node is hit by a risk the
//! winner has already counted and the loser has not, by at most that risk's delay less the
//! gap between the paths. Keeping every undominated (finish, set) pair per node would close
//! that gap at a cost exponential in the worst case; one set per node is the usual
//! compromise and exact for chains, forks and joins as above.
//!
//! **Cost.** Slots are dense per iteration, so a set is ⌈occurring targeted risks / 64⌉
//! words: one word unless more than 64 occur at once, 16 if all of 1,000 risks do. Sets
//! live in per-iteration arenas and are shared by id: a node no occurring risk hits (most
//! nodes) only copies its winner's id (in `run`'s plain loop), and a node whose hits its
//! winner has already counted allocates nothing.

use super::network::{Network, NONE};

/// What the forward pass knows of a node, packed so that reading a predecessor is one
/// load and one bounds check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeState {
    pub fin: f64,
    /// The predecessor that set the start, [`NONE`] for none.
    pub via: u32,
    /// The id of the node's path set; 0 (the empty set) outside risky iterations.
    pub set: u32,
}

impl NodeState {
    pub const START: Self = Self {
        fin: 0.0,
        via: NONE,
        set: 0,
    };
}

/// Per-chunk scratch of the risk sets; [`Paths::begin`] clears it for each iteration.
pub(crate) struct Paths {
    /// The index in `net.risks` of each occurring risk with targets; its position is its
    /// slot.
    occurring: Vec<u32>,
    /// The sampled delay of each slot.
    delay: Vec<f64>,
    /// Words per set this iteration.
    words: usize,
    /// Per node: its hit set's id in `hit_words`, 0 when no occurring risk hits it.
    hit: Vec<u32>,
    /// Nodes with a hit set this iteration, to clear them in the next.
    touched: Vec<u32>,
    /// Hit sets, `words` words each; id 0 is a placeholder.
    hit_words: Vec<u64>,
    /// Path sets, `words` words each; id 0 is the empty set. Nodes hold their set's id in
    /// [`NodeState::set`]; the plain pass copies the winner's id itself.
    set_words: Vec<u64>,
}

impl Paths {
    pub fn new(nodes: usize) -> Self {
        Self {
            occurring: Vec::new(),
            delay: Vec::new(),
            words: 0,
            hit: vec![0; nodes],
            touched: Vec::new(),
            hit_words: Vec::new(),
            set_words: Vec::new(),
        }
    }

    /// Forgets the previous iteration's risks.
    #[inline(always)]
    pub fn begin(&mut self) {
        for &t in &self.touched {
            self.hit[t as usize] = 0;
        }
        self.touched.clear();
        self.occurring.clear();
        self.delay.clear();
    }

    /// Records that `risk` (an index into `net.risks`, with targets) occurred with `delay`.
    #[inline(always)]
    pub fn occur(&mut self, risk: usize, delay: f64) {
        self.occurring.push(risk as u32);
        self.delay.push(delay);
    }

    /// Builds the hit sets once every risk is drawn; false when no node is hit, and the
    /// plain pass will do.
    pub fn seal(&mut self, net: &Network) -> bool {
        let slots = self.occurring.len();
        if slots == 0 {
            return false;
        }
        let w = slots.div_ceil(64);
        self.words = w;
        self.hit_words.clear();
        self.hit_words.resize(w, 0);
        self.set_words.clear();
        self.set_words.resize(w, 0);
        for (slot, &risk) in self.occurring.iter().enumerate() {
            let bit = 1u64 << (slot % 64);
            for &t in &net.risks[risk as usize].targets {
                let id = match self.hit[t as usize] {
                    0 => {
                        let id = self.hit_words.len() / w;
                        self.hit_words.resize(self.hit_words.len() + w, 0);
                        self.hit[t as usize] = id as u32;
                        self.touched.push(t);
                        id
                    }
                    id => id as usize,
                };
                self.hit_words[id * w + slot / 64] |= bit;
            }
        }
        true
    }

    /// Whether an occurring risk hits node `k`.
    #[inline(always)]
    pub fn is_hit(&self, k: usize) -> bool {
        self.hit[k] != 0
    }

    /// The start of hit node `k` and the predecessor that set it (see the module doc);
    /// records k's path set in `states[k].set`. Out of line: a few nodes per iteration
    /// come here, and inlined it would crowd the plain loop's registers.
    #[inline(never)]
    pub fn start(&mut self, k: usize, preds: &[u32], states: &mut [NodeState]) -> (f64, u32) {
        let hit = self.hit[k];
        let (mut start, mut from, mut base) = (f64::NEG_INFINITY, NONE, 0);
        if preds.is_empty() {
            start = self.unseen_delay(hit, 0);
        }
        for &p in preds {
            let s = states[p as usize];
            let offer = s.fin + self.unseen_delay(hit, s.set);
            if offer > start {
                (start, from, base) = (offer, p, s.set);
            }
        }
        states[k].set = self.union(base, hit);
        (start, from)
    }

    /// Σ delays of the slots in `bits`, word `offset / 64`, in slot order.
    #[inline(always)]
    fn delay_of(&self, mut bits: u64, offset: usize) -> f64 {
        let mut sum = 0.0;
        while bits != 0 {
            sum += self.delay[offset + bits.trailing_zeros() as usize];
            bits &= bits - 1;
        }
        sum
    }

    /// Σ delays of the slots in hit set `hit` missing from path set `seen`, in slot order.
    #[inline(always)]
    fn unseen_delay(&self, hit: u32, seen: u32) -> f64 {
        let w = self.words;
        if w == 1 {
            // The usual case (at most 64 occurring risks): no word loop.
            return self.delay_of(self.hit_words[hit as usize] & !self.set_words[seen as usize], 0);
        }
        let hits = &self.hit_words[hit as usize * w..][..w];
        let seen = &self.set_words[seen as usize * w..][..w];
        let mut sum = 0.0;
        for (i, (&h, &s)) in hits.iter().zip(seen).enumerate() {
            sum += self.delay_of(h & !s, i * 64);
        }
        sum
    }

    /// The id of path set `base` ∪ hit set `hit`: `base` itself when it already holds
    /// every hit slot, else a new set.
    fn union(&mut self, base: u32, hit: u32) -> u32 {
        let w = self.words;
        let (b, h) = (base as usize * w, hit as usize * w);
        let covered = (0..w).all(|i| self.hit_words[h + i] & !self.set_words[b + i] == 0);
        if covered {
            return base;
        }
        let id = self.set_words.len() / w;
        self.set_words.extend_from_within(b..b + w);
        for i in 0..w {
            self.set_words[id * w + i] |= self.hit_words[h + i];
        }
        id as u32
    }
}
