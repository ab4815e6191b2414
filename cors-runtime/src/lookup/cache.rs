//! The answers of a lookup, per origin: bounded in entries and in lookups in flight, with
//! an expiry per answer. Pure (the time is passed in), so that it is tested without a clock.
//!
//! Two generations keep the number of entries bounded without a scan: answers go into the
//! young map; when it holds half the capacity, it becomes the old map and the previous old
//! map is dropped whole. A hit in the old map moves the answer back to the young one, so the
//! origins in use survive a flood of new ones while the memory stays at most `capacity`
//! entries (plus the lookups in flight, at most `max_in_flight`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::header::HeaderValue;

use super::flight::{Answer, Flight};
use crate::verdict::Verdict;

/// A cached answer.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) verdict: Verdict,
    pub(crate) echo: Option<HeaderValue>,
    pub(crate) expires: Instant,
}

/// What the cache says about an origin.
#[derive(Debug)]
pub(crate) enum Found {
    /// An answer that has not expired, and when it expires.
    Hit(Answer, Instant),
    /// A lookup for it is in flight: wait for it.
    Join(Arc<Flight>),
    /// Nothing: a lookup was registered as in flight; start it.
    Start(Arc<Flight>),
    /// Nothing, and `max_in_flight` lookups are in flight already.
    Busy,
    /// Nothing, and the origin is not one to ask about.
    Unaskable,
}

/// Keys are attacker-chosen origins: the hasher is seeded at random per map (foldhash's
/// `quality` variant), and the maps are bounded anyway.
type Map<V> = HashMap<Box<[u8]>, V, foldhash::quality::RandomState>;

/// The counters of a cache (see [`crate::LookupStats`]).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counters {
    pub(crate) hits: u64,
    pub(crate) joined: u64,
    pub(crate) started: u64,
    pub(crate) busy: u64,
}

#[derive(Debug)]
pub(crate) struct Cache {
    young: Map<Entry>,
    old: Map<Entry>,
    flights: Map<Arc<Flight>>,
    /// `young` turns old when it holds this many answers (half the capacity, at least 1).
    generation: usize,
    max_in_flight: usize,
    pub(crate) counters: Counters,
}

impl Cache {
    pub(crate) fn new(capacity: usize, max_in_flight: usize) -> Self {
        Self {
            young: Map::default(),
            old: Map::default(),
            flights: Map::default(),
            generation: (capacity / 2).max(1),
            max_in_flight,
            counters: Counters::default(),
        }
    }

    /// The answer for `origin` at `now`, or the lookup to wait for or to start. `askable`
    /// vets an origin before a lookup is started for it (an origin that has an answer was
    /// vetted when it got one).
    pub(crate) fn find(
        &mut self,
        origin: &[u8],
        now: Instant,
        askable: impl FnOnce(&[u8]) -> bool,
    ) -> (Found, Option<Map<Entry>>) {
        if let Some(entry) = self.young.get(origin) {
            if now < entry.expires {
                self.counters.hits += 1;
                return (
                    Found::Hit((entry.verdict, entry.echo.clone()), entry.expires),
                    None,
                );
            }
            self.young.remove(origin);
        } else if let Some((key, entry)) = self.old.remove_entry(origin) {
            if now < entry.expires {
                self.counters.hits += 1;
                let answer = (entry.verdict, entry.echo.clone());
                let expires = entry.expires;
                let dropped = self.insert(key, entry);
                return (Found::Hit(answer, expires), dropped);
            }
        }
        if let Some(flight) = self.flights.get(origin) {
            self.counters.joined += 1;
            return (Found::Join(Arc::clone(flight)), None);
        }
        if !askable(origin) {
            return (Found::Unaskable, None);
        }
        if self.flights.len() >= self.max_in_flight {
            self.counters.busy += 1;
            return (Found::Busy, None);
        }
        self.counters.started += 1;
        let flight = Arc::new(Flight::default());
        self.flights.insert(origin.into(), Arc::clone(&flight));
        (Found::Start(flight), None)
    }

    /// Records the answer of the lookup for `origin` (cached when `entry` is `Some`) and
    /// returns its flight, to land, and a generation that was dropped, to free outside the
    /// lock.
    pub(crate) fn finish(
        &mut self,
        origin: &[u8],
        entry: Option<Entry>,
    ) -> (Option<Arc<Flight>>, Option<Map<Entry>>) {
        let flight = self.flights.remove(origin);
        let stale = flight.as_ref().is_some_and(|f| f.is_stale());
        let dropped = match entry {
            Some(entry) if !stale => self.insert(origin.into(), entry),
            _ => None,
        };
        (flight, dropped)
    }

    fn insert(&mut self, origin: Box<[u8]>, entry: Entry) -> Option<Map<Entry>> {
        let mut dropped = None;
        if self.young.len() >= self.generation && !self.young.contains_key(&origin) {
            let young = std::mem::take(&mut self.young);
            dropped = Some(std::mem::replace(&mut self.old, young));
        }
        self.old.remove(&origin);
        self.young.insert(origin, entry);
        dropped
    }

    /// Drops the answer for `origin`, if any, and keeps a lookup of it in flight from caching
    /// its answer (it may have read the database before the change).
    pub(crate) fn forget(&mut self, origin: &[u8]) {
        self.young.remove(origin);
        self.old.remove(origin);
        if let Some(flight) = self.flights.get(origin) {
            flight.make_stale();
        }
    }

    /// Drops every answer (and keeps the lookups in flight from caching theirs); returns
    /// them, to free outside the lock.
    pub(crate) fn clear(&mut self) -> (Map<Entry>, Map<Entry>) {
        for flight in self.flights.values() {
            flight.make_stale();
        }
        (
            std::mem::take(&mut self.young),
            std::mem::take(&mut self.old),
        )
    }

    /// Answers held (expired ones included, until they are dropped).
    pub(crate) fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }

    /// Lookups in flight.
    pub(crate) fn in_flight(&self) -> usize {
        self.flights.len()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use actix_web::http::header::HeaderValue;
    use proptest::prelude::*;

    use super::{Cache, Entry, Found};
    use crate::verdict::Verdict;

    const ORIGINS: [&str; 6] = [
        "https://a.example",
        "https://A.example",
        "https://a.example.",
        "https://b.example",
        "null",
        "https://c.example:8443",
    ];

    #[derive(Debug, Clone)]
    enum Op {
        Find(usize),
        Finish {
            origin: usize,
            allowed: bool,
            ttl: u64,
        },
        Forget(usize),
        Tick(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..ORIGINS.len()).prop_map(Op::Find),
            (0..ORIGINS.len(), any::<bool>(), 0u64..50).prop_map(|(origin, allowed, ttl)| {
                Op::Finish {
                    origin,
                    allowed,
                    ttl,
                }
            }),
            (0..ORIGINS.len()).prop_map(Op::Forget),
            (0u64..30).prop_map(Op::Tick),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// The cache never answers for another origin, never with an expired or forgotten
        /// answer, and never holds more than its capacity or more lookups than its limit.
        #[test]
        fn answers_only_for_the_origin_asked(
            ops in proptest::collection::vec(op(), 1..200),
            capacity in 2usize..6,
            max_in_flight in 1usize..4,
        ) {
            let start = Instant::now();
            let mut now = start;
            let mut cache = Cache::new(capacity, max_in_flight);
            // What was last recorded for each origin, as the model of what may be answered.
            let mut recorded: HashMap<usize, (Verdict, Instant)> = HashMap::new();
            for op in ops {
                match op {
                    Op::Find(i) => {
                        let (found, _) = cache.find(ORIGINS[i].as_bytes(), now, |_| true);
                        if let Found::Hit((verdict, echo), _) = found {
                            let (model, expires) = recorded.get(&i).copied()
                                .expect("a hit for an origin never recorded");
                            prop_assert_eq!(verdict, model);
                            prop_assert!(now < expires, "an expired answer");
                            match verdict {
                                Verdict::Allowed => prop_assert_eq!(
                                    echo.as_ref().map(HeaderValue::as_bytes),
                                    Some(ORIGINS[i].as_bytes())
                                ),
                                _ => prop_assert!(echo.is_none()),
                            }
                        }
                    }
                    Op::Finish { origin, allowed, ttl } => {
                        let verdict = if allowed { Verdict::Allowed } else { Verdict::Refused };
                        let expires = now + Duration::from_millis(ttl);
                        let entry = Entry {
                            verdict,
                            echo: allowed.then(|| HeaderValue::from_static(ORIGINS[origin])),
                            expires,
                        };
                        cache.finish(ORIGINS[origin].as_bytes(), Some(entry));
                        recorded.insert(origin, (verdict, expires));
                    }
                    Op::Forget(i) => {
                        cache.forget(ORIGINS[i].as_bytes());
                        recorded.remove(&i);
                    }
                    Op::Tick(ms) => now += Duration::from_millis(ms),
                }
                prop_assert!(cache.len() <= capacity, "{} answers, capacity {capacity}", cache.len());
                prop_assert!(cache.in_flight() <= max_in_flight);
            }
        }
    }

    #[test]
    fn an_origin_in_use_survives_a_flood_and_the_size_stays_bounded() {
        let now = Instant::now();
        let later = now + Duration::from_secs(60);
        let mut cache = Cache::new(100, 8);
        let kept = b"https://kept.example";
        let allowed = |origin: &'static str| Entry {
            verdict: Verdict::Allowed,
            echo: Some(HeaderValue::from_static(origin)),
            expires: later,
        };
        cache.finish(kept, Some(allowed("https://kept.example")));
        for i in 0..10_000 {
            let origin = format!("https://hostile-{i}.example");
            let (found, _) = cache.find(origin.as_bytes(), now, |_| true);
            assert!(matches!(found, Found::Start(_)));
            let refused = Entry {
                verdict: Verdict::Refused,
                echo: None,
                expires: later,
            };
            cache.finish(origin.as_bytes(), Some(refused));
            assert!(cache.len() <= 100);
            if i % 25 == 0 {
                let (found, _) = cache.find(kept, now, |_| true);
                assert!(
                    matches!(found, Found::Hit((Verdict::Allowed, Some(_)), _)),
                    "{found:?}"
                );
            }
        }
        assert_eq!(cache.in_flight(), 0);
    }

    #[test]
    fn an_answer_to_a_lookup_forgotten_in_flight_is_not_cached() {
        let now = Instant::now();
        let later = now + Duration::from_secs(60);
        let mut cache = Cache::new(10, 4);
        let origin = b"https://removed.example";
        assert!(matches!(
            cache.find(origin, now, |_| true).0,
            Found::Start(_)
        ));
        // The application removes the origin and forgets it while the lookup runs.
        cache.forget(origin);
        let allowed = Entry {
            verdict: Verdict::Allowed,
            echo: Some(HeaderValue::from_static("https://removed.example")),
            expires: later,
        };
        let (flight, _) = cache.finish(origin, Some(allowed.clone()));
        assert!(
            flight.is_some(),
            "the waiting requests still get the answer"
        );
        assert_eq!(cache.len(), 0);
        assert!(matches!(
            cache.find(origin, now, |_| true).0,
            Found::Start(_)
        ));
        // `clear` does the same for every lookup in flight.
        cache.clear();
        cache.finish(origin, Some(allowed));
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn concurrent_askers_join_one_flight_and_the_limit_refuses_the_rest() {
        let now = Instant::now();
        let mut cache = Cache::new(10, 2);
        assert!(matches!(
            cache.find(b"https://a.example", now, |_| true).0,
            Found::Start(_)
        ));
        assert!(matches!(
            cache.find(b"https://a.example", now, |_| true).0,
            Found::Join(_)
        ));
        assert!(matches!(
            cache.find(b"https://b.example", now, |_| true).0,
            Found::Start(_)
        ));
        assert!(matches!(
            cache.find(b"https://c.example", now, |_| true).0,
            Found::Busy
        ));
        let (flight, _) = cache.finish(b"https://a.example", None);
        assert!(flight.is_some());
        assert!(matches!(
            cache.find(b"https://c.example", now, |_| true).0,
            Found::Start(_)
        ));
        assert_eq!(cache.counters.started, 3);
        assert_eq!(cache.counters.joined, 1);
        assert_eq!(cache.counters.busy, 1);
    }
}
