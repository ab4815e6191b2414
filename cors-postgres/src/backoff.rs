//! How long to wait before connecting again: doubling from a first delay up to a bound, each
//! delay drawn at random between half of it and all of it, so that a fleet that lost its
//! database at once does not reconnect at once.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::Duration;

/// Delays between attempts to connect.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    first: Duration,
    max: Duration,
    next: Duration,
    /// Random per process and per draw (a fresh `RandomState` is seeded at random).
    draws: u64,
}

impl Backoff {
    pub(crate) fn new(first: Duration, max: Duration) -> Self {
        let first = first.min(max);
        Self {
            first,
            max,
            next: first,
            draws: 0,
        }
    }

    /// The delay before the next attempt; the one after it is twice as long, up to the bound.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let bound = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        self.draws = self.draws.wrapping_add(1);
        let random = RandomState::new().hash_one(self.draws);
        // Between half of `bound` and `bound`, in microseconds.
        let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX);
        let half = micros / 2;
        let spread = micros - half;
        let extra = if spread == 0 {
            0
        } else {
            random % (spread + 1)
        };
        Duration::from_micros(half + extra)
    }

    /// After a connection that worked: the next failure waits the first delay again.
    pub(crate) fn reset(&mut self) {
        self.next = self.first;
    }
}

#[cfg(test)]
mod tests {
    use super::Backoff;
    use std::time::Duration;

    #[test]
    fn doubles_up_to_the_bound_with_jitter() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let bounds = [100, 200, 400, 800, 1600, 2000, 2000];
        for bound in bounds {
            let delay = backoff.next_delay();
            let bound = Duration::from_millis(bound);
            assert!(
                delay <= bound && delay >= bound / 2,
                "{delay:?} for {bound:?}"
            );
        }
        backoff.reset();
        assert!(backoff.next_delay() <= Duration::from_millis(100));
    }

    #[test]
    fn zero_delays_stay_zero() {
        let mut backoff = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(backoff.next_delay(), Duration::ZERO);
    }
}
