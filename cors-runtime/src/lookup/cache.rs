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
    /// An answer that has not expired.
    Hit(Answer),
    /// A lookup for it is in flight: wait for it.
    Join(Arc<Flight>),
    /// Nothing: a lookup was registered as in flight; start it.
    Start(Arc<Flight>),
    /// Nothing, and `max_in_flight` lookups are in flight already.
    Busy,
}

type Map<V> = HashMap<Box<[u8]>, V>;

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
            young: Map::new(),
            old: Map::new(),
            flights: Map::new(),
            generation: (capacity / 2).max(1),
            max_in_flight,
            counters: Counters::default(),
        }
    }

    /// The answer for `origin` at `now`, or the lookup to wait for or to start.
    pub(crate) fn find(&mut self, origin: &[u8], now: Instant) -> (Found, Option<Map<Entry>>) {
        if let Some(entry) = self.young.get(origin) {
            if now < entry.expires {
                self.counters.hits += 1;
                return (Found::Hit((entry.verdict, entry.echo.clone())), None);
            }
            self.young.remove(origin);
        } else if let Some((key, entry)) = self.old.remove_entry(origin) {
            if now < entry.expires {
                self.counters.hits += 1;
                let answer = (entry.verdict, entry.echo.clone());
                let dropped = self.insert(key, entry);
                return (Found::Hit(answer), dropped);
            }
        }
        if let Some(flight) = self.flights.get(origin) {
            self.counters.joined += 1;
            return (Found::Join(Arc::clone(flight)), None);
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
        let dropped = match entry {
            Some(entry) => self.insert(origin.into(), entry),
            None => None,
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

    /// Drops the answer for `origin`, if any.
    pub(crate) fn forget(&mut self, origin: &[u8]) {
        self.young.remove(origin);
        self.old.remove(origin);
    }

    /// Drops every answer; returns them, to free outside the lock.
    pub(crate) fn clear(&mut self) -> (Map<Entry>, Map<Entry>) {
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
