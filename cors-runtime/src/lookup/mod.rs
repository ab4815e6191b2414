//! Origins looked up at run time, by an asynchronous function (a database query), with a
//! cache: `#[cors(origins = LOOKUP)]`.

mod cache;
mod flight;
mod memo;
mod settings;

use crate::metrics::{LookupEvent, LookupMetrics};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use self::cache::{Cache, Entry, Found};
pub(crate) use self::flight::Answer;
use self::flight::Waiting;
pub use self::settings::{LookupSettings, LookupStats};
use crate::verdict::{askable_origin, Verdict, MAX_ASKED_ORIGIN_LEN};

type Ask = dyn Fn(String) -> Pin<Box<dyn Future<Output = Result<bool, String>>>> + Send + Sync;

struct Installed {
    ask: Box<Ask>,
    settings: LookupSettings,
    cache: Mutex<Cache>,
    /// Moved on (under the cache's lock) by `forget` and `clear`: every worker's memo of
    /// older answers is void (see `memo`).
    epoch: AtomicU64,
}

/// Origins decided by an asynchronous function of the origin (a query to the database where
/// tenants keep their front-ends' origins), for `#[cors(origins = LOOKUP)]`, with a cache
/// built in.
///
/// Declare it as a `static`, name it in `origins`, and [`install`](Self::install) the
/// function at start-up, when the connection pool it needs exists:
///
/// ```
/// use std::time::Duration;
/// use cors_runtime::{LookupSettings, OriginLookup};
///
/// static TENANTS: OriginLookup = OriginLookup::new("tenant origins in the database");
///
/// // Above a handler: #[cors(origins = TENANTS, credentials)]
///
/// // At start-up (here a fixed list stands for the database):
/// TENANTS
///     .install(LookupSettings::default().ttl(Duration::from_secs(30)), |origin: String| async move {
///         Ok::<_, std::io::Error>(origin == "https://acme.example")
///     })
///     .unwrap();
/// assert!(TENANTS.is_installed());
/// assert_eq!(TENANTS.description(), "tenant origins in the database");
/// ```
///
/// # What it guarantees
/// - **One lookup per origin at a time** (single flight): the requests for an origin that is
///   not cached wait for one lookup, however many arrive at once, on every worker.
/// - **Reuse**: an allowed origin is cached for [`ttl`](LookupSettings::ttl), a refused one
///   for [`refusal_ttl`](LookupSettings::refusal_ttl) (so that a flood of one unknown origin
///   costs one query per period, and an origin added to the database is allowed everywhere
///   within that period, or at once where [`forget`](Self::forget) is called), a failed or
///   late one for [`failure_ttl`](LookupSettings::failure_ttl).
/// - **A failure never allows**: a lookup that returns an error, or does not answer within
///   [`timeout`](LookupSettings::timeout), refuses the origin and is logged (target
///   `actix_route_cors`, level `warn`).
/// - **Bounded memory**: at most [`capacity`](LookupSettings::capacity) cached answers and
///   [`max_in_flight`](LookupSettings::max_in_flight) lookups in flight; when that many are in
///   flight, a request for another unknown origin is refused at once, without a lookup
///   ([`Verdict::Overloaded`]). An `Origin` longer than
///   [`MAX_ASKED_ORIGIN_LEN`](crate::MAX_ASKED_ORIGIN_LEN) bytes, or not visible ASCII, is
///   refused without a lookup. A cached answer costs its origin's bytes and about 145 bytes
///   (measured: 179 heap bytes per answer for 35-byte origins under a flood of 10,000 new
///   origins per second, `benches/origin_flood.rs`).
/// - **Only its answer allows**, and only for the origin it was asked about (the cache is
///   keyed by the exact `Origin` bytes); the response echoes that origin, never `*`, and
///   carries `Vary: Origin`. `null` is looked up like any other origin: it is allowed only
///   if the function returns `Ok(true)` for `"null"`.
///
/// A request whose origin is not cached waits for the lookup before its route (or its
/// preflight answer) goes on; with a warm cache, the check is one short lock and one hash,
/// with no allocation.
pub struct OriginLookup {
    description: &'static str,
    installed: OnceLock<Installed>,
    /// Its cache's metrics (feature `metrics`; nothing without it).
    metrics: LookupMetrics,
}

impl OriginLookup {
    /// A lookup whose function is [installed](Self::install) at start-up; `description` names
    /// it in log records, refusals and the audit.
    pub const fn new(description: &'static str) -> Self {
        Self {
            description,
            installed: OnceLock::new(),
            metrics: LookupMetrics::new(),
        }
    }

    /// What the lookup is, as given to [`new`](Self::new).
    pub fn description(&self) -> &'static str {
        self.description
    }

    /// Installs the function the lookup asks: it gets the request's `Origin` (visible ASCII)
    /// and answers whether it is allowed. Its future runs on the worker that first needs the
    /// answer (it need not be `Send`); an `Err` refuses the origin and is logged with its
    /// `Display`.
    ///
    /// # Errors
    /// A function was installed already (the first one stays).
    pub fn install<F, Fut, E>(
        &self,
        settings: LookupSettings,
        ask: F,
    ) -> Result<(), AlreadyInstalled>
    where
        F: Fn(String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + 'static,
        E: fmt::Display + 'static,
    {
        let ask: Box<Ask> = Box::new(move |origin| {
            let answer = ask(origin);
            Box::pin(async move { answer.await.map_err(|e| e.to_string()) })
        });
        let installed = Installed {
            cache: Mutex::new(Cache::new(settings.capacity, settings.max_in_flight)),
            epoch: AtomicU64::new(0),
            settings,
            ask,
        };
        self.installed
            .set(installed)
            .map_err(|_| AlreadyInstalled(self.description))
    }

    /// Whether a function was installed.
    pub fn is_installed(&self) -> bool {
        self.installed.get().is_some()
    }

    /// The settings given to [`install`](Self::install).
    pub fn settings(&self) -> Option<&LookupSettings> {
        self.installed.get().map(|i| &i.settings)
    }

    /// Drops the cached answer for `origin`, so that its next request asks again: call it
    /// where the application adds or removes an origin, after the change is committed (other
    /// processes see the change when their cached answer expires). A lookup of `origin` in
    /// flight at that moment may have read the database before the change: its answer goes to
    /// the requests waiting for it, and is not cached.
    pub fn forget(&self, origin: &str) {
        if let Some(installed) = self.installed.get() {
            let mut cache = installed.lock();
            cache.forget(origin.as_bytes());
            installed.epoch.fetch_add(1, Ordering::AcqRel);
            self.metrics
                .sizes(self.description, cache.len(), cache.in_flight());
        }
    }

    /// Drops every cached answer (lookups in flight give theirs to the requests waiting, and
    /// do not cache them).
    pub fn clear(&self) {
        if let Some(installed) = self.installed.get() {
            let dropped = {
                let mut cache = installed.lock();
                installed.epoch.fetch_add(1, Ordering::AcqRel);
                let dropped = cache.clear();
                self.metrics
                    .sizes(self.description, cache.len(), cache.in_flight());
                dropped
            };
            drop(dropped);
        }
    }

    /// What the cache holds and has done.
    pub fn stats(&self) -> LookupStats {
        match self.installed.get() {
            Some(installed) => {
                let cache = installed.lock();
                LookupStats::new(cache.len(), cache.in_flight(), cache.counters)
            }
            None => LookupStats::default(),
        }
    }

    /// The verdict about `origin`: at once from the cache, or later, from the lookup.
    pub(crate) fn resolve(&'static self, origin: &[u8]) -> Resolution {
        let Some(installed) = self.installed.get() else {
            return Resolution::Now((Verdict::NotInstalled, None));
        };
        // Bounds the hash's work; the rest of `askable_origin` runs only before a lookup.
        if origin.len() > MAX_ASKED_ORIGIN_LEN {
            return Resolution::Now((Verdict::Unreadable, None));
        }
        let now = Instant::now();
        let epoch = installed.epoch.load(Ordering::Acquire);
        if let Some(answer) = memo::recall(self, epoch, origin, now) {
            self.metrics.count(self.description, LookupEvent::Hit);
            return Resolution::Now(answer);
        }
        let (found, epoch, dropped) = {
            let mut cache = installed.lock();
            let (found, dropped) =
                cache.find(origin, now, |origin| askable_origin(origin).is_some());
            match &found {
                Found::Hit(..) => self.metrics.count(self.description, LookupEvent::Hit),
                Found::Start(_) => {
                    self.metrics.count(self.description, LookupEvent::Miss);
                    self.metrics
                        .sizes(self.description, cache.len(), cache.in_flight());
                }
                Found::Busy => self
                    .metrics
                    .count(self.description, LookupEvent::Overloaded),
                // Answered by the lookup another request started: no lookup of its own.
                Found::Join(_) => self.metrics.count(self.description, LookupEvent::Hit),
                Found::Unaskable => {}
            }
            // Read under the lock, as `forget` moves it: an answer read before a `forget` is
            // memoised with the epoch it belongs to.
            (found, installed.epoch.load(Ordering::Acquire), dropped)
        };
        drop(dropped);
        // Vetted by `find` before it reported `Busy` or `Start`.
        let text = || askable_origin(origin).unwrap_or_default();
        match found {
            Found::Hit(answer, expires) => {
                memo::remember(self, epoch, origin, &answer, expires);
                Resolution::Now(answer)
            }
            Found::Unaskable => Resolution::Now((Verdict::Unreadable, None)),
            Found::Join(flight) => Resolution::Later(Box::new(Pending {
                waiting: Waiting(flight),
                start: None,
            })),
            Found::Busy => {
                log::warn!(
                    target: crate::log_target::LOG_TARGET,
                    "CORS lookup `{}`: {} lookups are in flight, the limit; origin `{}` is refused without one",
                    self.description,
                    installed.settings.max_in_flight,
                    text(),
                );
                Resolution::Now((Verdict::Overloaded, None))
            }
            Found::Start(flight) => {
                let text = text().to_owned();
                Resolution::Later(Box::new(Pending {
                    waiting: Waiting(flight),
                    start: Some(Start {
                        ask: (installed.ask)(text.clone()),
                        timeout: installed.settings.timeout,
                        landing: Landing {
                            lookup: self,
                            origin: text,
                            landed: false,
                        },
                    }),
                }))
            }
        }
    }
}

/// A request waiting for the lookup of its origin. The request that started the lookup
/// spawns it on its worker when first polled (so that it runs to its end even if that request
/// goes away); every other request for the origin waits for the same answer.
pub(crate) struct Pending {
    waiting: Waiting,
    start: Option<Start>,
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending")
            .field("starts", &self.start.is_some())
            .finish()
    }
}

impl Future for Pending {
    type Output = Answer;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        if let Some(start) = self.start.take() {
            actix_web::rt::spawn(start.run());
        }
        Pin::new(&mut self.waiting).poll(cx)
    }
}

/// A lookup to run: the function's future, its time limit, and where its answer lands.
struct Start {
    ask: Pin<Box<dyn Future<Output = Result<bool, String>>>>,
    timeout: Duration,
    landing: Landing,
}

impl Start {
    async fn run(self) {
        let Start {
            ask,
            timeout,
            landing,
        } = self;
        let verdict = match actix_web::rt::time::timeout(timeout, ask).await {
            Ok(Ok(true)) => Verdict::Allowed,
            Ok(Ok(false)) => Verdict::Refused,
            Ok(Err(error)) => {
                log::warn!(
                    target: crate::log_target::LOG_TARGET,
                    "CORS lookup `{}` failed for origin `{}`, which is refused: {error}",
                    landing.lookup.description,
                    landing.origin,
                );
                Verdict::Failed
            }
            Err(_) => {
                log::warn!(
                    target: crate::log_target::LOG_TARGET,
                    "CORS lookup `{}` did not answer within {timeout:?} for origin `{}`, which is refused",
                    landing.lookup.description,
                    landing.origin,
                );
                Verdict::TimedOut
            }
        };
        landing.land(verdict);
    }
}

impl Installed {
    fn lock(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Lands a lookup's verdict: in the cache and for the requests waiting. Dropped without a
/// verdict (the worker running the lookup stopped, or the request that was to start it went
/// away first), it lands [`Verdict::Failed`] without caching it, so that no request waits for
/// ever and the next one asks again.
struct Landing {
    lookup: &'static OriginLookup,
    origin: String,
    landed: bool,
}

impl Landing {
    fn land(mut self, verdict: Verdict) {
        self.land_ref(verdict, true);
        self.landed = true;
    }

    fn land_ref(&self, verdict: Verdict, cache: bool) {
        let Some(installed) = self.lookup.installed.get() else {
            return;
        };
        let settings = &installed.settings;
        let echo = match verdict {
            Verdict::Allowed => crate::text::shared_header_value(&self.origin),
            _ => None,
        };
        let ttl = match verdict {
            _ if !cache => None,
            Verdict::Allowed => Some(settings.ttl),
            Verdict::Refused => Some(settings.refusal_ttl),
            Verdict::Failed | Verdict::TimedOut => Some(settings.failure_ttl),
            _ => None,
        };
        let entry = ttl.filter(|ttl| !ttl.is_zero()).map(|ttl| Entry {
            verdict,
            echo: echo.clone(),
            expires: Instant::now() + ttl,
        });
        if matches!(verdict, Verdict::Failed | Verdict::TimedOut) {
            let lookup = self.lookup;
            lookup
                .metrics
                .count(lookup.description, LookupEvent::Failure);
        }
        let (flight, dropped) = {
            let mut cache = installed.lock();
            let finished = cache.finish(self.origin.as_bytes(), entry);
            let lookup = self.lookup;
            lookup
                .metrics
                .sizes(lookup.description, cache.len(), cache.in_flight());
            finished
        };
        drop(dropped);
        if let Some(flight) = flight {
            flight.land((verdict, echo));
        }
    }
}

impl Drop for Landing {
    fn drop(&mut self) {
        if !self.landed {
            log::warn!(
                target: crate::log_target::LOG_TARGET,
                "CORS lookup `{}` ended without an answer for origin `{}` (it panicked, or its worker stopped first), which is refused",
                self.lookup.description,
                self.origin,
            );
            self.land_ref(Verdict::Failed, false);
        }
    }
}

/// The verdict about a request's origin: at once, or when a lookup lands. What the lookup
/// answers, and what the glue's resolver answers for every kind of origins.
#[derive(Debug)]
pub(crate) enum Resolution {
    /// Known now: the verdict, and the value to echo when it allows.
    Now(Answer),
    /// A lookup is in flight (boxed: the common answer, from the cache, stays small).
    Later(Box<Pending>),
}

impl fmt::Debug for OriginLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginLookup")
            .field("description", &self.description)
            .field("settings", &self.settings())
            .field("stats", &self.stats())
            .finish()
    }
}

/// Two lookups are equal when they are the same `static`.
impl PartialEq for OriginLookup {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for OriginLookup {}

/// [`OriginLookup::install`] was called twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyInstalled(&'static str);

impl fmt::Display for AlreadyInstalled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CORS lookup `{}` already has a function installed; install it once, at start-up",
            self.0
        )
    }
}

impl std::error::Error for AlreadyInstalled {}
