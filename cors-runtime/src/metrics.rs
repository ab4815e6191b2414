//! Every decision counted through the [`metrics`](https://docs.rs/metrics) facade (feature
//! `metrics`), so that any exporter (Prometheus, StatsD, OpenTelemetry) works unchanged.
//!
//! Labels are bounded: the route is its handler's name (as many as there are routes), the
//! lookup its description (as many as there are lookups), and the kind, outcome and reason
//! come from short fixed lists. The origin is never a label.
//!
//! Handles are registered once per route and label set, on first use, then kept: counting is
//! one atomic increment, with no allocation. Install the recorder before the server starts
//! (a handle registered before it would count into nothing).
//!
//! Without the feature, every function here is empty and the types hold nothing.

use crate::algorithm::{Kind, Outcome, Reason};

/// The counter of decisions: labels `route`, `kind`, `outcome`, `reason`.
pub const DECISIONS: &str = "actix_route_cors_decisions_total";
/// Requests answered without a lookup of their own (from the worker's memo, the shared cache,
/// or a lookup another request started): label `lookup`. With [`LOOKUP_MISSES`], a hit
/// ratio.
pub const LOOKUP_HITS: &str = "actix_route_cors_lookup_hits_total";
/// Lookups started (the origin was not cached): label `lookup`.
pub const LOOKUP_MISSES: &str = "actix_route_cors_lookup_misses_total";
/// Lookups that failed or timed out: label `lookup`.
pub const LOOKUP_FAILURES: &str = "actix_route_cors_lookup_failures_total";
/// Requests refused without a lookup because too many were in flight: label `lookup`.
pub const LOOKUP_OVERLOADED: &str = "actix_route_cors_lookup_overloaded_total";
/// Answers in a lookup's shared cache (gauge): label `lookup`.
pub const LOOKUP_CACHED: &str = "actix_route_cors_lookup_cache_entries";
/// Lookups in flight (gauge): label `lookup`.
pub const LOOKUP_IN_FLIGHT: &str = "actix_route_cors_lookups_in_flight";

#[cfg(feature = "metrics")]
const SLOTS: usize = Kind::ALL.len() * Outcome::ALL.len() * Reason::ALL.len();

/// The decision counters of one route, registered on first use.
#[derive(Debug)]
pub(crate) struct RouteCounters {
    #[cfg(feature = "metrics")]
    slots: std::sync::OnceLock<Box<[std::sync::OnceLock<metrics::Counter>]>>,
}

impl RouteCounters {
    pub(crate) const fn new() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            slots: std::sync::OnceLock::new(),
        }
    }

    /// Counts one decision of the route `route`.
    #[inline]
    #[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
    pub(crate) fn count(&self, route: &'static str, kind: Kind, outcome: Outcome, reason: Reason) {
        #[cfg(feature = "metrics")]
        {
            let index = (kind.index() * Outcome::ALL.len() + outcome.index()) * Reason::ALL.len()
                + reason.index();
            // The handle once registered: two loads and a test, then one atomic add. The
            // registration is out of line, so that counting adds little code where it is
            // called.
            match self.slots.get().and_then(|slots| slots[index].get()) {
                Some(counter) => counter.increment(1),
                None => self
                    .register(index, route, kind, outcome, reason)
                    .increment(1),
            }
        }
    }

    /// Registers the handle of one label set (the first decision with it).
    #[cfg(feature = "metrics")]
    #[cold]
    #[inline(never)]
    fn register(
        &self,
        index: usize,
        route: &'static str,
        kind: Kind,
        outcome: Outcome,
        reason: Reason,
    ) -> &metrics::Counter {
        let slots = self
            .slots
            .get_or_init(|| (0..SLOTS).map(|_| std::sync::OnceLock::new()).collect());
        slots[index].get_or_init(|| {
            describe();
            metrics::counter!(
                DECISIONS,
                "route" => route,
                "kind" => kind.as_str(),
                "outcome" => outcome.as_str(),
                "reason" => reason.as_str(),
            )
        })
    }
}

/// The metrics of one lookup, registered on first use.
#[derive(Debug)]
pub(crate) struct LookupMetrics {
    #[cfg(feature = "metrics")]
    handles: std::sync::OnceLock<LookupHandles>,
}

#[cfg(feature = "metrics")]
#[derive(Debug)]
struct LookupHandles {
    hits: metrics::Counter,
    misses: metrics::Counter,
    failures: metrics::Counter,
    overloaded: metrics::Counter,
    cached: metrics::Gauge,
    in_flight: metrics::Gauge,
}

/// Something that happened in a lookup's cache.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LookupEvent {
    Hit,
    Miss,
    Failure,
    Overloaded,
}

impl LookupMetrics {
    pub(crate) const fn new() -> Self {
        Self {
            #[cfg(feature = "metrics")]
            handles: std::sync::OnceLock::new(),
        }
    }

    /// Counts `event` of the lookup `lookup`.
    #[inline]
    #[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
    pub(crate) fn count(&self, lookup: &'static str, event: LookupEvent) {
        #[cfg(feature = "metrics")]
        {
            let h = self.handles(lookup);
            match event {
                LookupEvent::Hit => h.hits.increment(1),
                LookupEvent::Miss => h.misses.increment(1),
                LookupEvent::Failure => h.failures.increment(1),
                LookupEvent::Overloaded => h.overloaded.increment(1),
            }
        }
    }

    /// Sets the gauges of the lookup `lookup`: answers cached and lookups in flight.
    #[inline]
    #[cfg_attr(not(feature = "metrics"), allow(unused_variables))]
    pub(crate) fn sizes(&self, lookup: &'static str, cached: usize, in_flight: usize) {
        #[cfg(feature = "metrics")]
        {
            let h = self.handles(lookup);
            h.cached.set(cached as f64);
            h.in_flight.set(in_flight as f64);
        }
    }

    #[cfg(feature = "metrics")]
    #[inline]
    fn handles(&self, lookup: &'static str) -> &LookupHandles {
        match self.handles.get() {
            Some(handles) => handles,
            None => self.register(lookup),
        }
    }

    /// Registers the lookup's handles (its first event).
    #[cfg(feature = "metrics")]
    #[cold]
    #[inline(never)]
    fn register(&self, lookup: &'static str) -> &LookupHandles {
        self.handles.get_or_init(|| {
            describe();
            LookupHandles {
                hits: metrics::counter!(LOOKUP_HITS, "lookup" => lookup),
                misses: metrics::counter!(LOOKUP_MISSES, "lookup" => lookup),
                failures: metrics::counter!(LOOKUP_FAILURES, "lookup" => lookup),
                overloaded: metrics::counter!(LOOKUP_OVERLOADED, "lookup" => lookup),
                cached: metrics::gauge!(LOOKUP_CACHED, "lookup" => lookup),
                in_flight: metrics::gauge!(LOOKUP_IN_FLIGHT, "lookup" => lookup),
            }
        })
    }
}

/// Describes every metric to the recorder, once.
#[cfg(feature = "metrics")]
fn describe() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        metrics::describe_counter!(
            DECISIONS,
            "CORS decisions of #[cors] routes, by route, kind (actual, preflight, write, handshake), outcome (allowed, refused, would_refuse) and reason class"
        );
        metrics::describe_counter!(
            LOOKUP_HITS,
            "Requests an OriginLookup answered without a lookup of their own (cached, or joining one in flight)"
        );
        metrics::describe_counter!(LOOKUP_MISSES, "Lookups an OriginLookup started");
        metrics::describe_counter!(LOOKUP_FAILURES, "Lookups that failed or timed out");
        metrics::describe_counter!(
            LOOKUP_OVERLOADED,
            "Requests refused without a lookup because max_in_flight lookups were in flight"
        );
        metrics::describe_gauge!(LOOKUP_CACHED, "Answers in an OriginLookup's shared cache");
        metrics::describe_gauge!(LOOKUP_IN_FLIGHT, "Lookups in flight");
    });
}
