//! Reconnect delays: full-jitter exponential backoff from 0.5 s, capped at 20 s — each
//! attempt waits a uniformly random time up to the current ceiling, so a server that drops
//! every reader at once is not hit by all of them again at the same moment.

const FIRST_MS: f64 = 500.0;
const CAP_MS: f64 = 20_000.0;

/// The delay before reconnect attempt `attempt` (0 for the first), given `random` in [0, 1).
pub fn delay_ms(attempt: u32, random: f64) -> u32 {
    let ceiling = (FIRST_MS * 2f64.powi(attempt.min(16) as i32)).min(CAP_MS);
    (ceiling * random.clamp(0.0, 1.0)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_from_half_a_second_to_twenty() {
        let ceilings: Vec<u32> = (0..8).map(|a| delay_ms(a, 1.0)).collect();
        assert_eq!(ceilings, [500, 1000, 2000, 4000, 8000, 16000, 20000, 20000]);
        assert_eq!(delay_ms(1000, 1.0), 20000);
        assert_eq!(delay_ms(3, 0.0), 0);
        assert_eq!(delay_ms(3, 0.5), 2000);
    }
}
