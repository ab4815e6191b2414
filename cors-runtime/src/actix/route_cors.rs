//! A route's policy together with its ready-made header values.

use actix_web::http::header::HeaderValue;

use crate::policy::Policy;

/// A route's [`Policy`] and the header values that depend only on it, built once: in a `static`
/// by the `#[cors]` macro (`RouteCors::new` is a `const fn`), so a request never builds them.
#[derive(Debug)]
pub struct RouteCors {
    pub(crate) policy: Policy,
    pub(crate) route: &'static str,
    pub(crate) allow_methods: HeaderValue,
    pub(crate) allow_headers: Option<HeaderValue>,
    pub(crate) expose: Option<HeaderValue>,
    pub(crate) max_age: Option<HeaderValue>,
}

const fn value(s: Option<&'static str>) -> Option<HeaderValue> {
    match s {
        Some(s) => Some(HeaderValue::from_static(s)),
        None => None,
    }
}

impl RouteCors {
    /// Prepares `policy` for the route named `route` (used in log records).
    pub const fn new(policy: Policy, route: &'static str) -> Self {
        Self {
            allow_methods: HeaderValue::from_static(policy.allow_methods),
            allow_headers: value(policy.allow_headers),
            expose: value(policy.expose),
            max_age: value(policy.max_age),
            policy,
            route,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The route's name, as it appears in log records.
    pub fn route(&self) -> &'static str {
        self.route
    }
}
