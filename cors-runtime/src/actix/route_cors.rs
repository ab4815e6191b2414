//! A route's policy together with its ready-made header values.

use std::sync::OnceLock;

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;

use crate::algorithm::{Kind, Outcome, Reason};
use crate::metrics::RouteCounters;
use crate::origin_pattern::OriginPattern;
use crate::policy::Policy;

/// A route's [`Policy`] and the header values that depend only on it, built once: in a `static`
/// by the `#[cors]` macro (`RouteCors::new` is a `const fn`), so a request never builds them.
#[derive(Debug)]
pub struct RouteCors {
    pub(crate) policy: Policy,
    pub(crate) route: &'static str,
    info: RouteInfo,
    pub(crate) allow_methods: HeaderValue,
    pub(crate) allow_headers: Option<HeaderValue>,
    pub(crate) expose: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
    /// The `Access-Control-Allow-Origin` value of each of the policy's origins, in its order:
    /// `Some` for an exact origin, `None` for a pattern. Made on first use (a `const fn` cannot
    /// build a list), then shared by every request: see [`RouteCors::list_match`].
    exact_origins: OnceLock<Box<[Option<HeaderValue>]>>,
    /// The route's decision counters (feature `metrics`; nothing without it).
    counters: RouteCounters,
}

const fn value(s: Option<&'static str>) -> Option<HeaderValue> {
    match s {
        Some(s) => Some(HeaderValue::from_static(s)),
        None => None,
    }
}

impl RouteCors {
    /// Prepares `policy` for the route named `route` (used in log records): for benches and
    /// tests.
    #[doc(hidden)]
    pub const fn new(policy: Policy, route: &'static str) -> Self {
        Self::with_info(policy, RouteInfo::new(route, "", policy.methods, None))
    }

    /// Prepares `policy` for the route `info` describes (its handler's name is used in log
    /// records, all of it in the [audit](crate::audit)).
    ///
    /// ```
    /// use cors_runtime::actix::{RouteCors, RouteInfo};
    /// use cors_runtime::rules::{validate, PolicyInput};
    /// use cors_runtime::Policy;
    ///
    /// let valid = validate(&PolicyInput {
    ///     origins: &["https://app.example.com"],
    ///     route_methods: &["GET"],
    ///     ..PolicyInput::default()
    /// })
    /// .unwrap();
    /// let me = RouteCors::with_info(
    ///     Policy::from_valid(&valid),
    ///     RouteInfo::new("me", "/me", &["GET"], None),
    /// );
    /// assert_eq!(me.info().handler(), "me");
    /// assert_eq!(me.info().path(), "/me");
    /// assert_eq!(me.policy().methods(), ["GET"]);
    /// ```
    #[doc(hidden)]
    pub const fn with_info(policy: Policy, info: RouteInfo) -> Self {
        Self {
            info,
            route: info.handler,
            allow_methods: HeaderValue::from_static(policy.allow_methods),
            allow_headers: value(policy.allow_headers),
            expose: value(policy.expose),
            max_age: value(policy.max_age),
            policy,
            exact_origins: OnceLock::new(),
            counters: RouteCounters::new(),
        }
    }

    /// Counts one decision about a request to this route (feature `metrics`).
    #[inline]
    pub(crate) fn count(&self, kind: Kind, outcome: Outcome, reason: Reason) {
        self.counters.count(self.route, kind, outcome, reason);
    }

    /// Whether `list`, the origins written in this route's policy (passed in, as the caller has
    /// just read them; the ready-made values are built from it once), matches `origin`, and if
    /// so the
    /// ready-made `Access-Control-Allow-Origin` value to echo it with: `Some(Some(value))` for
    /// one of the policy's exact origins (the same bytes, `'static`), `Some(None)` for a
    /// pattern (the request's own value is echoed), `None` when nothing matches. One pass over
    /// the list.
    ///
    /// Echoing the ready-made value instead of the request's own costs no reference count, no
    /// allocation (cloning a request value that owns its bytes, as one made from a `&str` does,
    /// allocates to share them) and no validation (making a value from the policy's string on
    /// each request would check every byte again).
    #[inline]
    pub(crate) fn list_match(
        &self,
        list: &'static [OriginPattern],
        origin: &[u8],
    ) -> Option<Option<&HeaderValue>> {
        debug_assert!(self.policy.origins().patterns() == Some(list));
        let i = list.iter().position(|p| p.matches(origin))?;
        if !matches!(list[i], OriginPattern::Exact(_)) {
            return Some(None);
        }
        let values = self.exact_origins.get_or_init(|| {
            list.iter()
                .map(|p| match p {
                    OriginPattern::Exact(exact) => {
                        HeaderValue::from_maybe_shared(Bytes::from_static(exact.as_bytes())).ok()
                    }
                    _ => None,
                })
                .collect()
        });
        Some(values.get(i).and_then(Option::as_ref))
    }

    /// Whether the route's whole policy is only reported now (its `report_only`, or
    /// [`report_only_everywhere`](crate::report_only_everywhere)): it answers no preflight,
    /// adds no header and refuses nothing; what it would have done is recorded.
    pub(crate) fn reports_only(&self) -> bool {
        self.policy.report_only.in_force().spares_everything()
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// What the route is: handler, path, methods, named policy (see [`RouteCors::with_info`]).
    pub fn info(&self) -> &RouteInfo {
        &self.info
    }
}

/// What a `#[cors]` route is, for the [audit](crate::audit): written by the macro next to the
/// route's policy.
///
/// ```
/// use cors_runtime::actix::RouteInfo;
///
/// // What `#[cors(policy = SPA)]` above `#[get("/me")] async fn me()` records:
/// const ME: RouteInfo = RouteInfo::new("me", "/me", &["GET"], Some("SPA"));
/// assert_eq!(ME.handler(), "me");
/// assert_eq!(ME.path(), "/me");
/// assert_eq!(ME.methods(), ["GET"]);
/// assert_eq!(ME.policy_name(), Some("SPA"));
/// assert!(!ME.is_websocket());
///
/// // What `#[cors(origins = [..], websocket)]` above `#[get("/live")] async fn live()` records:
/// const LIVE: RouteInfo = RouteInfo::new("live", "/live", &["GET"], None).websocket();
/// assert!(LIVE.is_websocket());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    handler: &'static str,
    path: &'static str,
    methods: &'static [&'static str],
    policy_name: Option<&'static str>,
    websocket: bool,
}

impl RouteInfo {
    /// The route of `handler` at `path`, serving `methods` there, whose policy is the named
    /// policy `policy_name` (if it uses one).
    #[doc(hidden)]
    pub const fn new(
        handler: &'static str,
        path: &'static str,
        methods: &'static [&'static str],
        policy_name: Option<&'static str>,
    ) -> Self {
        Self {
            handler,
            path,
            methods,
            policy_name,
            websocket: false,
        }
    }

    /// The same route, declared a WebSocket endpoint (`websocket`).
    #[doc(hidden)]
    pub const fn websocket(self) -> Self {
        Self {
            websocket: true,
            ..self
        }
    }

    /// The handler function's name.
    pub fn handler(&self) -> &'static str {
        self.handler
    }

    /// The path, as written in the route attribute (with a `#[scope]` module's prefix; a
    /// `web::scope` the service is registered in at run time is not part of it: see
    /// [`Mounted`](super::Mounted)).
    pub fn path(&self) -> &'static str {
        self.path
    }

    /// The methods the handler serves at this path.
    pub fn methods(&self) -> &'static [&'static str] {
        self.methods
    }

    /// The named policy (`cors_policy!`) the route uses, if any.
    pub fn policy_name(&self) -> Option<&'static str> {
        self.policy_name
    }

    /// Whether the route is declared a WebSocket endpoint (`#[cors(.., websocket)]`). Every
    /// `#[cors]` route refuses WebSocket handshakes from origins its policy does not allow;
    /// the key adds the compile-time rules of a WebSocket route, and this mark in the audit.
    pub fn is_websocket(&self) -> bool {
        self.websocket
    }
}
