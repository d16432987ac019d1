//! The random streams: [`LANES`] generators per chunk and stream, filled a block of
//! [`LANES`] iterations at a time.
//!
//! Each chunk has two streams (work packages, risks), each [`LANES`] xoshiro256++
//! generators seeded from `(seed, chunk, stream, lane)`. A block draws rows of words, one
//! word per generator ([`LaneRng::fill`]): a loop over plain arrays the compiler turns
//! into vector shifts, adds and xors, where one generator for the whole chunk was a chain
//! of dependent steps, one word at a time.
//!
//! - **Risks**: row `r` is risk `r`, and lane `i`'s word is iteration `i`'s.
//! - **Work packages**: row `j` serves nodes `2j` and `2j + 1`. Its words, cut into
//!   sixteen-bit uniforms in order (each word's four quarters, low first), make four
//!   planes of [`LANES`] uniforms ([`planes`]): node `2j`'s cost uniforms of the block's
//!   iterations, then their duration uniforms, then node `2j + 1`'s cost and duration
//!   uniforms. A plane is then a plain slice of sixteen uniforms, with nothing to pick
//!   apart per node, and one iteration's uniform is [`uniform`].
//!
//! Both kernels and the tornado's replay fill blocks the same way, so they see the same
//! numbers.
//!
//! xoshiro256++ (Blackman and Vigna): 256 bits of state, period 2²⁵⁶ − 1, passes BigCrush;
//! each lane's state is four words of SplitMix64 from the lane's seed, as the authors
//! recommend.

/// Iterations per block, and generators per chunk and stream.
pub(crate) const LANES: usize = 16;

/// Which of a chunk's two streams.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    /// Work packages: per iteration one word per two nodes.
    WorkPackages = 0,
    /// Risks: per iteration one word per risk.
    Risks = 1,
}

/// [`LANES`] xoshiro256++ generators, state word `w` of lane `i` at `s[w][i]`.
pub(crate) struct LaneRng {
    s: [[u64; LANES]; 4],
}

/// SplitMix64's finaliser: spreads a key over the whole 64-bit space.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl LaneRng {
    /// The generators of `stream` in chunk `chunk` of a run seeded with `seed`.
    pub fn for_chunk(seed: u64, chunk: usize, stream: Stream) -> Self {
        // Chained, not `mix(seed) ^ mix(code)`: that was symmetric, so seed 2's first chunk
        // drew seed 0's second.
        let key = mix(mix(seed) ^ ((chunk as u64) << 1 | stream as u64));
        let mut s = [[0u64; LANES]; 4];
        for lane in 0..LANES {
            // SplitMix64 as a sequence: the state advances by the golden-ratio step, each
            // word is the finaliser of the state.
            let mut state = mix(key ^ mix(lane as u64));
            for word in &mut s {
                word[lane] = mix(state);
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            }
        }
        Self { s }
    }

    /// The next word of lane `lane`.
    #[cfg(test)]
    pub fn next(&mut self, lane: usize) -> u64 {
        let [s0, s1, s2, s3] = &mut self.s;
        step(&mut s0[lane], &mut s1[lane], &mut s2[lane], &mut s3[lane])
    }

    /// Fills `out` row by row: `out[j * LANES + i]` is lane `i`'s next word, for as many
    /// rows as `out` holds (its length a multiple of [`LANES`]).
    #[inline(never)]
    pub fn fill(&mut self, out: &mut [u64]) {
        let [s0, s1, s2, s3] = &mut self.s;
        for row in out.chunks_exact_mut(LANES) {
            for i in 0..LANES {
                row[i] = step(&mut s0[i], &mut s1[i], &mut s2[i], &mut s3[i]);
            }
        }
    }
}

/// Uniform `plane` of iteration `lane` in a row of work-package words (see the module doc).
#[inline(always)]
pub(crate) fn uniform(row: &[u64], plane: usize, lane: usize) -> u16 {
    let t = plane * LANES + lane;
    (row[t / 4] >> (16 * (t % 4))) as u16
}

/// The four planes of a row of work-package words: `planes(row)[p][i] == uniform(row, p,
/// i)`. The row's quarters in order, which on a little-endian machine is a plain copy.
#[inline(always)]
pub(crate) fn planes(row: &[u64]) -> [[u16; LANES]; 4] {
    let mut planes = [[0u16; LANES]; 4];
    // Plane `p` is words `4p..4p + 4`, quarter by quarter. Through the little-endian bytes,
    // which the compiler sees is a copy (shifts it does not).
    for (plane, words) in planes.iter_mut().zip(row.chunks_exact(LANES / 4)) {
        for (quarters, &w) in plane.chunks_exact_mut(4).zip(words) {
            let b = w.to_le_bytes();
            for (h, q) in quarters.iter_mut().enumerate() {
                *q = u16::from_le_bytes([b[2 * h], b[2 * h + 1]]);
            }
        }
    }
    planes
}

/// One xoshiro256++ step.
#[inline(always)]
fn step(s0: &mut u64, s1: &mut u64, s2: &mut u64, s3: &mut u64) -> u64 {
    let out = s0.wrapping_add(*s3).rotate_left(23).wrapping_add(*s0);
    let t = *s1 << 17;
    *s2 ^= *s0;
    *s3 ^= *s1;
    *s1 ^= *s2;
    *s0 ^= *s3;
    *s2 ^= t;
    *s3 = s3.rotate_left(45);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filling_a_block_gives_each_lanes_words_in_order() {
        let (mut a, mut b) = (
            LaneRng::for_chunk(7, 3, Stream::Risks),
            LaneRng::for_chunk(7, 3, Stream::Risks),
        );
        let mut block = vec![0u64; 5 * LANES];
        a.fill(&mut block);
        for row in 0..5 {
            for lane in 0..LANES {
                assert_eq!(block[row * LANES + lane], b.next(lane));
            }
        }
    }

    #[test]
    fn planes_are_the_rows_uniforms() {
        let mut r = LaneRng::for_chunk(3, 0, Stream::WorkPackages);
        let mut row = [0u64; LANES];
        r.fill(&mut row);
        let planes = planes(&row);
        for (p, plane) in planes.iter().enumerate() {
            for (i, &u) in plane.iter().enumerate() {
                assert_eq!(u, uniform(&row, p, i));
            }
        }
        assert_eq!(planes[0][0], row[0] as u16);
        assert_eq!(planes[0][5], (row[1] >> 16) as u16);
        assert_eq!(planes[3][15], (row[15] >> 48) as u16);
    }

    #[test]
    fn small_seeds_and_chunks_never_share_a_stream() {
        let mut firsts = std::collections::HashSet::new();
        for seed in 0..64 {
            for chunk in 0..64 {
                for stream in [Stream::WorkPackages, Stream::Risks] {
                    let mut r = LaneRng::for_chunk(seed, chunk, stream);
                    assert!(firsts.insert(r.next(0)), "seed {seed}, chunk {chunk}, {stream:?}");
                }
            }
        }
    }

    #[test]
    fn streams_chunks_and_lanes_differ() {
        let first = |seed, chunk, stream| {
            let mut r = LaneRng::for_chunk(seed, chunk, stream);
            (0..LANES).map(|lane| r.next(lane)).collect::<Vec<_>>()
        };
        let base = first(1, 0, Stream::WorkPackages);
        let mut all: Vec<u64> = base.clone();
        all.extend(first(1, 0, Stream::Risks));
        all.extend(first(1, 1, Stream::WorkPackages));
        all.extend(first(2, 0, Stream::WorkPackages));
        let distinct: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(distinct.len(), all.len());
        assert_eq!(base, first(1, 0, Stream::WorkPackages), "same key, same words");
    }

    #[test]
    fn words_are_uniform_enough_to_average_a_half() {
        // 16 lanes × 4,096 words: each of the top 16 bits' mean is ½ within 4 standard errors.
        let mut r = LaneRng::for_chunk(42, 0, Stream::WorkPackages);
        let mut words = vec![0u64; 4096 * LANES];
        r.fill(&mut words);
        let n = words.len() as f64;
        for bit in 48..64 {
            let ones = words.iter().filter(|w| *w >> bit & 1 == 1).count() as f64;
            assert!((ones / n - 0.5).abs() < 4.0 * 0.5 / n.sqrt(), "bit {bit}: {}", ones / n);
        }
    }
}
