//! Origins known only when the application runs: read from an environment variable or given
//! by the application, validated, then read by every request without a lock; replaceable
//! while the server runs.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use arc_swap::ArcSwapOption;

use crate::origin_set::{Listed, OriginSet};
use crate::rules::{
    check_configured_origins, plain_http_error, split_origins, Item, OriginSpec, RuleError,
};
use crate::text::Quoted;

/// Where an [`OriginSource`] gets its origins. Its `Display` is how messages name it.
///
/// ```
/// use cors_runtime::{OriginSource, SourceKind};
///
/// static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");
/// assert_eq!(FRONTEND.kind(), SourceKind::Env("FRONTEND_ORIGINS"));
/// assert_eq!(FRONTEND.kind().to_string(), "environment variable `FRONTEND_ORIGINS`");
///
/// static TENANTS: OriginSource = OriginSource::startup("tenants.toml");
/// assert_eq!(TENANTS.kind().to_string(), "start-up value `tenants.toml`");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// The environment variable of this name, read by [`OriginSource::load`].
    Env(&'static str),
    /// A value the application computes at start-up and gives to [`OriginSource::set`]; the
    /// string describes it in messages and in the audit.
    Startup(&'static str),
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceKind::Env(var) => write!(f, "environment variable `{var}`"),
            SourceKind::Startup(what) => write!(f, "start-up value `{what}`"),
        }
    }
}

/// A list of allowed origins that comes from configuration, for `#[cors(origins = SOURCE)]`.
///
/// Declare it as a `static`, name it in `origins`, and fill it once before the server starts:
/// [`load`](Self::load) reads the environment variable of an [`env`](Self::env) source,
/// [`set`](Self::set) takes the origins the application computed. Both apply the same origin
/// rules as `#[cors]` does at compile time (see [`crate::rules::check_configured_origins`]),
/// and a bad value is an error naming the source and the offending entries, so that start-up
/// stops there. Once filled, a request reads the list with one atomic load: no lock, no
/// allocation.
///
/// ```
/// use cors_runtime::OriginSource;
///
/// static FRONTEND: OriginSource = OriginSource::env("DOCTEST_FRONTEND_ORIGINS");
///
/// std::env::set_var("DOCTEST_FRONTEND_ORIGINS", "https://app.example.com, https://*.preview.example.com");
/// FRONTEND.load().expect("valid origins");
/// assert_eq!(*FRONTEND.origins().unwrap(), ["https://app.example.com", "https://*.preview.example.com"]);
///
/// static BAD: OriginSource = OriginSource::env("DOCTEST_BAD_ORIGINS");
/// std::env::set_var("DOCTEST_BAD_ORIGINS", "https://app.example.com/");
/// let error = BAD.load().unwrap_err();
/// assert!(error.to_string().starts_with(
///     "invalid CORS origins in environment variable `DOCTEST_BAD_ORIGINS`"
/// ));
/// ```
///
/// # Live reload
/// Call [`set`](Self::set) (or [`load`](Self::load)) again while the server runs to replace
/// the list: the new one goes through the same rules, and a bad one is refused with the same
/// error while **the old list stays in force**. Once replaced, every worker reads the new list
/// on its next request. A request reads the list once, with one atomic load (no lock, no
/// allocation: [`arc_swap`]), so its decision uses the old list or the new one, never a mix.
///
/// ```
/// use cors_runtime::OriginSource;
///
/// static PARTNERS: OriginSource = OriginSource::startup("partner origins");
/// PARTNERS.set(["https://a.example"]).unwrap();
/// assert!(PARTNERS.allows(b"https://a.example"));
///
/// // An operator adds a partner while the server runs:
/// PARTNERS.set(["https://a.example", "https://b.example"]).unwrap();
/// assert!(PARTNERS.allows(b"https://b.example"));
///
/// // A bad list changes nothing:
/// assert!(PARTNERS.set(["https://c.example/"]).is_err());
/// assert_eq!(*PARTNERS.origins().unwrap(), ["https://a.example", "https://b.example"]);
/// ```
///
/// # One origin at a time, and large lists
/// [`insert`](Self::insert) and [`remove`](Self::remove) change one origin (validated by the
/// same rules) and keep the rest: how an allowlist kept in a database follows each change
/// (`cors-postgres` applies every change it is notified of this way). Exact origins are found
/// by one hash, so a list of 100,000 origins answers a request in about the instructions of a
/// list of three, without allocating; patterns (`https://*.example.com`) are tried in order
/// after them. Use such a list when every allowed origin fits in memory; use an
/// [`OriginLookup`](crate::OriginLookup) when they do not, or when an origin is allowed by a
/// rule that no list can hold.
///
/// ```
/// use cors_runtime::OriginSource;
///
/// static TENANTS: OriginSource = OriginSource::startup("tenant origins from the database");
/// TENANTS.set(["https://acme.example"]).unwrap();
/// assert!(TENANTS.insert("https://globex.example").unwrap());
/// assert!(!TENANTS.insert("https://globex.example").unwrap()); // there already
/// assert!(TENANTS.insert("https://globex.example/").is_err()); // a path: refused
/// assert!(TENANTS.remove("https://acme.example"));
/// assert!(!TENANTS.allows(b"https://acme.example"));
/// assert_eq!(*TENANTS.origins().unwrap(), ["https://globex.example"]);
/// ```
///
/// Declare it as a `static`, not a `const`: a `const` would be a new, empty copy wherever it is
/// named (the compiler refuses it in `origins` with E0493, "destructor of `OriginSource` cannot
/// be evaluated at compile-time").
pub struct OriginSource {
    kind: SourceKind,
    loaded: ArcSwapOption<OriginSet>,
    /// Held by whoever changes the list, so that two changes at once both count; requests
    /// never take it.
    writer: Mutex<()>,
    /// A route with `credentials`, or a `websocket` route, reads this source: plain-`http://`
    /// origins off loopback are refused from then on (see
    /// [`refuse_http_origins`](Self::refuse_http_origins)).
    refuses_http: AtomicBool,
}

impl OriginSource {
    /// Origins from the environment variable `var`: separated by commas and/or whitespace,
    /// as in `FRONTEND_ORIGINS="https://app.example.com, https://*.preview.example.com"`.
    pub const fn env(var: &'static str) -> Self {
        Self {
            kind: SourceKind::Env(var),
            loaded: ArcSwapOption::const_empty(),
            writer: Mutex::new(()),
            refuses_http: AtomicBool::new(false),
        }
    }

    /// Origins the application gives to [`set`](Self::set) at start-up (read from a
    /// configuration file, a database, a secret store…); `description` names them in error
    /// messages and in the audit.
    pub const fn startup(description: &'static str) -> Self {
        Self {
            kind: SourceKind::Startup(description),
            loaded: ArcSwapOption::const_empty(),
            writer: Mutex::new(()),
            refuses_http: AtomicBool::new(false),
        }
    }

    /// Where the origins come from (see [`SourceKind`] for an example).
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// Reads and validates the environment variable of an [`env`](Self::env) source.
    ///
    /// Call it again to reload the variable (see [live reload](Self#live-reload)).
    ///
    /// # Errors
    /// The variable is missing, not UTF-8, or holds an entry that breaks a rule, or the source
    /// is a [`startup`](Self::startup) source (use [`set`](Self::set)). The list in force, if
    /// any, stays.
    pub fn load(&self) -> Result<(), OriginSourceError> {
        let var = match self.kind {
            SourceKind::Env(var) => var,
            SourceKind::Startup(_) => {
                return Err(self.error(Problem::NotEnv, None));
            }
        };
        let value = match std::env::var(var) {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => return Err(self.error(Problem::NotSet, None)),
            Err(std::env::VarError::NotUnicode(raw)) => {
                let shown = raw.to_string_lossy().into_owned();
                return Err(self.error(Problem::NotUnicode, Some(shown)));
            }
        };
        self.fill(&split_origins(&value), &value)
    }

    /// Validates `origins` and makes them the source's list, in place of the one in force (see
    /// [live reload](Self#live-reload)). Each item is one origin; use
    /// [`crate::rules::split_origins`] first for a comma-separated string.
    ///
    /// ```
    /// use cors_runtime::OriginSource;
    ///
    /// static TENANTS: OriginSource = OriginSource::startup("tenant origins from tenants.toml");
    ///
    /// let from_config = vec!["https://acme.example".to_owned(), "https://globex.example".to_owned()];
    /// TENANTS.set(&from_config).expect("valid origins");
    /// assert!(TENANTS.is_loaded());
    /// ```
    ///
    /// # Errors
    /// An entry breaks a rule; the list in force, if any, stays.
    pub fn set<I>(&self, origins: I) -> Result<(), OriginSourceError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let owned: Vec<I::Item> = origins.into_iter().collect();
        let entries: Vec<&str> = owned.iter().map(AsRef::as_ref).collect();
        let shown = entries.join(", ");
        self.fill(&entries, &shown)
    }

    fn fill(&self, entries: &[&str], shown: &str) -> Result<(), OriginSourceError> {
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let specs = self.validate(entries, shown)?;
        let set = OriginSet::new(
            entries
                .iter()
                .zip(specs)
                .map(|(entry, spec)| Listed::new(entry, spec)),
        );
        self.loaded.store(Some(Arc::new(set)));
        Ok(())
    }

    /// Validates `origin` and adds it to the list in force (to an empty one before the source
    /// is filled), keeping every other origin: `Ok(false)` when it is there already. Requests
    /// see the list before or after the change, never a mix. The new list shares the
    /// unchanged origins with the old one: the exact origins are kept in shards of about
    /// 1,000, and a change copies the one it touches (24 µs for an `insert` into 100,000
    /// origins, 15 µs for a `remove`; the shards double, all placed again, when the list has
    /// grown past twice their capacity).
    ///
    /// # Errors
    /// The origin breaks a rule; the list in force stays.
    pub fn insert(&self, origin: &str) -> Result<bool, OriginSourceError> {
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.loaded.load_full();
        if current.as_ref().is_some_and(|set| set.contains(origin)) {
            return Ok(false);
        }
        let spec = self
            .validate(&[origin], origin)?
            .pop()
            .ok_or_else(|| self.error(Problem::Rules(Vec::new()), Some(origin.to_owned())))?;
        let entry = Listed::new(origin, spec);
        let set = match current {
            Some(set) => set.with(entry),
            None => OriginSet::new([entry]),
        };
        self.loaded.store(Some(Arc::new(set)));
        Ok(true)
    }

    /// Removes `origin` (as written in the list) from the list in force, keeping every other
    /// origin: `false` when it is not there. Requests see the list before or after the change,
    /// never a mix. Removing the last origin leaves an empty list, which allows nothing.
    pub fn remove(&self, origin: &str) -> bool {
        let _writing = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(current) = self.loaded.load_full() else {
            return false;
        };
        match current.without(origin) {
            Some(set) => {
                self.loaded.store(Some(Arc::new(set)));
                true
            }
            None => false,
        }
    }

    /// The specs of `entries`, or the error that names the broken ones.
    fn validate(
        &self,
        entries: &[&str],
        shown: &str,
    ) -> Result<Vec<OriginSpec>, OriginSourceError> {
        let specs = check_configured_origins(entries).and_then(|specs| {
            match self.plain_http_errors(entries, &specs) {
                broken if broken.is_empty() => Ok(specs),
                broken => Err(broken),
            }
        });
        specs.map_err(|rules| {
            let broken = rules
                .into_iter()
                .map(|rule| {
                    let entry = match rule.item {
                        Some(Item::Origin(i)) => entries.get(i).map(|e| (*e).to_owned()),
                        _ => None,
                    };
                    (entry, rule)
                })
                .collect();
            self.error(Problem::Rules(broken), Some(shown.to_owned()))
        })
    }

    /// Once a route with `credentials`, or a `websocket` route, reads this source (and its
    /// policy does not say `dangerously_trust_http_origins`), the rule of the attribute applies
    /// to the source too: a plain-`http://` origin other than loopback is refused, now and on
    /// every reload.
    /// Called when such a route is registered, that is when the `App` is built.
    ///
    /// # Errors
    /// The list in force has such origins: the route cannot be built (it panics with this
    /// error, naming the route).
    #[cfg(feature = "actix")]
    pub(crate) fn refuse_http_origins(&self) -> Result<(), OriginSourceError> {
        self.refuses_http.store(true, Ordering::Relaxed);
        let Some(loaded) = self.loaded.load_full() else {
            return Ok(());
        };
        let entries: Vec<&str> = loaded.entries().map(|e| e.origin.as_str()).collect();
        let specs: Vec<OriginSpec> = loaded.entries().map(|e| e.spec.clone()).collect();
        match self.plain_http_errors(&entries, &specs) {
            broken if broken.is_empty() => Ok(()),
            broken => Err(self.error(
                Problem::Rules(
                    broken
                        .into_iter()
                        .map(|rule| {
                            let entry = match rule.item {
                                Some(Item::Origin(i)) => entries.get(i).map(|e| (*e).to_owned()),
                                _ => None,
                            };
                            (entry, rule)
                        })
                        .collect(),
                ),
                Some(entries.join(", ")),
            )),
        }
    }

    /// The plain-`http://` origins off loopback among `specs` (made of `entries`, in order),
    /// when this source refuses them.
    fn plain_http_errors(&self, entries: &[&str], specs: &[OriginSpec]) -> Vec<RuleError> {
        if !self.refuses_http.load(Ordering::Relaxed) {
            return Vec::new();
        }
        specs
            .iter()
            .zip(entries)
            .enumerate()
            .filter(|(_, (spec, _))| spec.is_plain_http_off_loopback())
            .map(|(i, (_, entry))| {
                plain_http_error(
                    entry,
                    // With `credentials`, or handshakes to a `websocket` route.
                    "a route reading this list gets the user's cookies",
                )
                .at(Item::Origin(i))
            })
            .collect()
    }

    fn error(&self, problem: Problem, value: Option<String>) -> OriginSourceError {
        OriginSourceError {
            source: self.kind,
            value,
            problem,
        }
    }

    /// Whether the source was filled.
    ///
    /// ```
    /// use cors_runtime::OriginSource;
    ///
    /// static ORIGINS: OriginSource = OriginSource::startup("origins from the database");
    /// assert!(!ORIGINS.is_loaded());
    /// ORIGINS.set(["https://app.example.com"]).unwrap();
    /// assert!(ORIGINS.is_loaded());
    /// ```
    pub fn is_loaded(&self) -> bool {
        self.loaded.load().is_some()
    }

    /// The origins in force, as configured; `None` before the source is filled. A snapshot: a
    /// later [`set`](Self::set) does not change it.
    ///
    /// ```
    /// use cors_runtime::OriginSource;
    ///
    /// static ORIGINS: OriginSource = OriginSource::startup("origins from the database");
    /// assert_eq!(ORIGINS.origins(), None);
    /// ORIGINS.set(["https://app.example.com", "https://*.preview.example.com"]).unwrap();
    /// assert_eq!(*ORIGINS.origins().unwrap(), ["https://app.example.com", "https://*.preview.example.com"]);
    /// ```
    pub fn origins(&self) -> Option<Arc<[String]>> {
        self.loaded.load().as_ref().map(|l| l.listed())
    }

    /// Whether the list in force allows `origin` (a request's `Origin` value): `false` before
    /// the source is filled. One atomic load, no lock, no allocation; the whole decision reads
    /// one list.
    ///
    /// ```
    /// use cors_runtime::OriginSource;
    ///
    /// static ORIGINS: OriginSource = OriginSource::startup("origins from the database");
    /// assert!(!ORIGINS.allows(b"https://app.example.com"));
    /// ORIGINS.set(["https://app.example.com", "https://*.preview.example.com"]).unwrap();
    /// assert!(ORIGINS.allows(b"https://app.example.com"));
    /// assert!(ORIGINS.allows(b"https://pr-7.preview.example.com"));
    /// assert!(!ORIGINS.allows(b"https://app.example.com:8443"));
    /// ```
    pub fn allows(&self, origin: &[u8]) -> bool {
        self.loaded
            .load()
            .as_ref()
            .is_some_and(|l| l.find(origin).is_some())
    }

    /// Whether the list in force allows `origin`, and the shared value to echo it with if it
    /// is one of its exact origins: one load of the list for the whole decision.
    #[cfg(feature = "actix")]
    pub(crate) fn resolve(&self, origin: &[u8]) -> crate::lookup::Answer {
        use crate::verdict::Verdict;
        let loaded = self.loaded.load();
        let Some(loaded) = loaded.as_ref() else {
            return (Verdict::Refused, None);
        };
        match loaded.find(origin) {
            Some(entry) => (Verdict::Allowed, entry.echo.clone()),
            None => (Verdict::Refused, None),
        }
    }
}

impl fmt::Debug for OriginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OriginSource")
            .field("kind", &self.kind)
            .field("origins", &self.origins())
            .finish()
    }
}

/// Two sources are equal when they are the same `static`.
impl PartialEq for OriginSource {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for OriginSource {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    NotEnv,
    NotSet,
    NotUnicode,
    /// Each broken rule, with the entry it is about.
    Rules(Vec<(Option<String>, RuleError)>),
}

/// Why an [`OriginSource`] could not be filled. Its `Display` names the source, the value, and
/// each offending entry with what is wrong and how to fix it, one per line.
///
/// `Debug` prints the same text, so that `fn main() -> Result<(), Box<dyn Error>>` (which
/// prints the error with `Debug`) stops start-up with the readable message.
///
/// ```
/// use cors_runtime::{OriginSource, SourceKind};
///
/// static FRONTEND: OriginSource = OriginSource::startup("frontend origins from config.toml");
/// let error = FRONTEND
///     .set(["https://app.example.com", "https://App.example.com:443/"])
///     .unwrap_err();
/// assert_eq!(error.source_kind(), SourceKind::Startup("frontend origins from config.toml"));
/// assert_eq!(error.value(), Some("https://app.example.com, https://App.example.com:443/"));
/// assert_eq!(error.offending_entries(), ["https://App.example.com:443/"]);
/// assert!(error.to_string().starts_with(
///     "invalid CORS origins in start-up value `frontend origins from config.toml`: \
///      \"https://app.example.com, https://App.example.com:443/\"\n  - "
/// ));
/// assert!(!FRONTEND.is_loaded()); // nothing of a bad value is kept
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OriginSourceError {
    source: SourceKind,
    value: Option<String>,
    problem: Problem,
}

impl OriginSourceError {
    /// The source that could not be filled.
    pub fn source_kind(&self) -> SourceKind {
        self.source
    }

    /// The offending value, as read (non-UTF-8 bytes replaced), if there was one.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The entries that broke a rule, in order.
    pub fn offending_entries(&self) -> Vec<&str> {
        match &self.problem {
            Problem::Rules(broken) => broken.iter().filter_map(|(e, _)| e.as_deref()).collect(),
            _ => Vec::new(),
        }
    }
}

/// At most this many bytes of a configured value are quoted in a message.
const SHOWN: usize = 256;

/// A configured value, quoted and cut after [`SHOWN`] bytes.
fn shown(value: &str) -> Quoted<'_> {
    Quoted::debug(value, SHOWN)
}

/// A rule's message, cut after twice [`SHOWN`] bytes (the messages quote the entry, which may
/// be huge).
fn cut(message: &str) -> Quoted<'_> {
    Quoted::plain(message, 2 * SHOWN)
}

impl fmt::Display for OriginSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.source;
        match &self.problem {
            Problem::NotEnv => write!(
                f,
                "CORS origins from {source} cannot be loaded from the environment: give them to `OriginSource::set` at start-up"
            ),
            Problem::NotSet => write!(
                f,
                "CORS origins: {source} is not set (help: set it to the allowed origins, separated by commas, such as https://app.example.com)"
            ),
            Problem::NotUnicode => write!(
                f,
                "invalid CORS origins in {source}: the value is not UTF-8 ({}); origins are ASCII",
                shown(self.value.as_deref().unwrap_or_default())
            ),
            Problem::Rules(broken) => {
                write!(
                    f,
                    "invalid CORS origins in {source}: {}",
                    shown(self.value.as_deref().unwrap_or_default())
                )?;
                for (entry, rule) in broken {
                    match entry {
                        // Most messages quote the entry already.
                        Some(entry) if !rule.message.contains(entry.as_str()) => {
                            write!(f, "\n  - {}: {}", shown(entry), cut(&rule.to_string()))?
                        }
                        _ => write!(f, "\n  - {}", cut(&rule.to_string()))?,
                    }
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for OriginSourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for OriginSourceError {}
