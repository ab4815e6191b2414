//! How an [`OriginLookup`](super::OriginLookup) caches, and what its cache did.

use std::time::Duration;

use super::cache::Counters;

/// How an [`OriginLookup`](super::OriginLookup) caches its answers and bounds its lookups.
///
/// ```
/// use std::time::Duration;
/// use cors_runtime::LookupSettings;
///
/// let settings = LookupSettings::default()
///     .ttl(Duration::from_secs(300))
///     .refusal_ttl(Duration::from_secs(5))
///     .timeout(Duration::from_millis(500))
///     .capacity(50_000);
/// assert_eq!(settings.ttl, Duration::from_secs(300));
/// assert_eq!(settings.failure_ttl, Duration::from_secs(1)); // the default
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LookupSettings {
    /// How long an allowed origin is reused without asking again. Default: 60 s.
    pub ttl: Duration,
    /// How long a refused origin is reused without asking again: the longest an origin added
    /// to the database waits, in a process that did not [`forget`](super::OriginLookup::forget)
    /// it. Default: 10 s. Zero: refusals are not cached.
    pub refusal_ttl: Duration,
    /// How long a failed or late lookup's refusal is reused, so that a failing database is not
    /// asked by every request. Default: 1 s. Zero: not cached.
    pub failure_ttl: Duration,
    /// How long a lookup may take; a later answer is dropped and the origin refused.
    /// Default: 2 s.
    pub timeout: Duration,
    /// The most answers cached. Default: 10,000.
    pub capacity: usize,
    /// The most lookups in flight at once (each for another origin). Default: 64.
    ///
    /// **Under a flood of distinct unknown origins** every one is a lookup, so the lookups in
    /// flight are the flood's rate times a lookup's time; once they reach this limit, an
    /// origin that is not cached is refused as overloaded, a tenant's first visit included
    /// (a cached tenant is never refused). Measured against PostgreSQL on one connection at
    /// 10,000 unknown origins a second (`cors-postgres/tests/flood.rs`): every first visit
    /// allowed with the query alone; 93 of 100 with each lookup 1 ms slower, 73 with 5 ms,
    /// 47 with 10 ms, 30 with 20 ms. Raise the limit to at least the rate you must withstand
    /// times your lookup's time, or keep a table that fits in memory in an
    /// [`OriginSource`](crate::OriginSource), which never refuses a listed origin for load.
    pub max_in_flight: usize,
}

impl Default for LookupSettings {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(60),
            refusal_ttl: Duration::from_secs(10),
            failure_ttl: Duration::from_secs(1),
            timeout: Duration::from_secs(2),
            capacity: 10_000,
            max_in_flight: 64,
        }
    }
}

impl LookupSettings {
    /// Sets [`ttl`](Self::ttl).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }
    /// Sets [`refusal_ttl`](Self::refusal_ttl).
    pub fn refusal_ttl(mut self, ttl: Duration) -> Self {
        self.refusal_ttl = ttl;
        self
    }
    /// Sets [`failure_ttl`](Self::failure_ttl).
    pub fn failure_ttl(mut self, ttl: Duration) -> Self {
        self.failure_ttl = ttl;
        self
    }
    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Sets [`capacity`](Self::capacity) (at least 2).
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(2);
        self
    }
    /// Sets [`max_in_flight`](Self::max_in_flight) (at least 1).
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max.max(1);
        self
    }
}

/// What an [`OriginLookup`](super::OriginLookup)'s cache holds and has done since start-up.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LookupStats {
    /// Answers cached now (expired ones included, until they are dropped).
    pub cached: usize,
    /// Lookups in flight now.
    pub in_flight: usize,
    /// Requests answered from the shared cache. Each worker also keeps its last four answers
    /// (a memo in front of the cache, voided by `forget` and `clear`); requests answered from
    /// a memo are not counted.
    pub hits: u64,
    /// Requests that waited for a lookup another request started.
    pub joined: u64,
    /// Lookups started.
    pub lookups: u64,
    /// Requests refused without a lookup because `max_in_flight` were in flight.
    pub overloaded: u64,
}

impl LookupStats {
    pub(crate) fn new(cached: usize, in_flight: usize, c: Counters) -> Self {
        Self {
            cached,
            in_flight,
            hits: c.hits,
            joined: c.joined,
            lookups: c.started,
            overloaded: c.busy,
        }
    }
}
