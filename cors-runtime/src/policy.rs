//! The policy of one route, in a form that can live in a `static`.

use crate::origin_pattern::{leak, leak_patterns};
use crate::origins::{AllowedOrigins, Origins};
use crate::report_only::ReportOnly;
use crate::rules::{OriginSpec, ValidPolicy};

/// The request headers a preflight may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedHeaders {
    pub(crate) any: bool,
    pub(crate) names: &'static [&'static str],
}

impl AllowedHeaders {
    /// The headers as the `#[cors]` macro writes them.
    #[doc(hidden)]
    pub const fn new(any: bool, names: &'static [&'static str]) -> Self {
        Self { any, names }
    }

    /// `*` was listed: every header except `authorization` (which the Fetch standard requires
    /// to be named).
    pub fn any(&self) -> bool {
        self.any
    }

    /// The names listed besides `*`, in lowercase.
    pub fn names(&self) -> &'static [&'static str] {
        self.names
    }
}

/// A validated CORS policy, with the header values that depend only on it already built.
///
/// The `#[cors]` macro builds one per route in a `static`; [`Policy::from_valid`] builds one at
/// start-up from a policy that passed [`crate::rules::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    origins: Origins,
    pub(crate) methods: &'static [&'static str],
    pub(crate) headers: AllowedHeaders,
    pub(crate) credentials: bool,
    pub(crate) private_network: bool,
    pub(crate) protect_writes: bool,
    pub(crate) refuse_http_origins: bool,
    pub(crate) report_only: ReportOnly,
    pub(crate) allow_methods: &'static str,
    pub(crate) allow_headers: Option<&'static str>,
    pub(crate) expose: Option<&'static str>,
    pub(crate) max_age: Option<&'static str>,
}

/// The parts of a [`Policy`], as the `#[cors]` macro writes them. Not a public API: build
/// policies with the macro or with [`Policy::from_valid`], which keep the parts consistent.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct PolicyParts {
    pub origins: Origins,
    pub methods: &'static [&'static str],
    pub headers: AllowedHeaders,
    pub credentials: bool,
    pub private_network: bool,
    pub protect_writes: bool,
    pub refuse_http_origins: bool,
    pub report_only: ReportOnly,
    pub allow_methods: &'static str,
    pub allow_headers: Option<&'static str>,
    pub expose: Option<&'static str>,
    pub max_age: Option<&'static str>,
}

impl Policy {
    #[doc(hidden)]
    pub const fn __from_parts(p: PolicyParts) -> Self {
        Self {
            origins: p.origins,
            methods: p.methods,
            headers: p.headers,
            credentials: p.credentials,
            private_network: p.private_network,
            protect_writes: p.protect_writes,
            refuse_http_origins: p.refuse_http_origins,
            report_only: p.report_only,
            allow_methods: p.allow_methods,
            allow_headers: p.allow_headers,
            expose: p.expose,
            max_age: p.max_age,
        }
    }

    /// Builds a policy at start-up from one that passed [`crate::rules::validate`]: for tests,
    /// benches and fuzz targets (an application's policies are written with `#[cors]`).
    ///
    /// The strings are leaked on purpose: a policy lives as long as the app, and `'static`
    /// data keeps the per-request path free of reference counting and allocation. Call it once
    /// per policy, not per request.
    ///
    /// ```
    /// use cors_runtime::{rules::{validate, PolicyInput}, Policy};
    ///
    /// let valid = validate(&PolicyInput {
    ///     origins: &["https://app.example.com"],
    ///     route_methods: &["GET"],
    ///     ..PolicyInput::default()
    /// })
    /// .expect("a valid policy");
    /// let policy = Policy::from_valid(&valid);
    /// assert!(policy.allows_origin(b"https://app.example.com"));
    /// assert!(!policy.allows_origin(b"https://app.example.com/"));
    /// ```
    #[doc(hidden)]
    pub fn from_valid(valid: &ValidPolicy) -> Self {
        fn leak_all(v: &[String]) -> &'static [&'static str] {
            Box::leak(
                v.iter()
                    .map(|s| leak(s.clone()))
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            )
        }
        let origins = if valid.origins.contains(&OriginSpec::Any) {
            Origins::Any
        } else {
            Origins::List(leak_patterns(&valid.origins))
        };
        Self {
            origins,
            methods: leak_all(&valid.methods),
            headers: AllowedHeaders::new(valid.headers.any, leak_all(&valid.headers.names)),
            credentials: valid.credentials,
            private_network: valid.private_network,
            protect_writes: valid.protects_writes(),
            refuse_http_origins: valid.refuses_http_origins(),
            report_only: valid.report_only,
            allow_methods: leak(valid.allow_methods_value()),
            allow_headers: valid.headers.header_value().map(leak),
            expose: valid.expose.header_value().map(leak),
            max_age: valid.max_age.map(|s| leak(s.to_string())),
        }
    }

    /// Which origins are allowed.
    pub fn origins(&self) -> AllowedOrigins {
        self.origins.view()
    }

    /// `*`: every origin, answered with `*`.
    pub(crate) fn is_any(&self) -> bool {
        matches!(self.origins, Origins::Any)
    }

    /// The methods a preflight may ask for.
    pub fn methods(&self) -> &'static [&'static str] {
        self.methods
    }
    /// The request headers a preflight may ask for.
    pub fn headers(&self) -> AllowedHeaders {
        self.headers
    }
    /// Whether credentialed requests are allowed.
    pub fn credentials(&self) -> bool {
        self.credentials
    }
    /// What the policy only reports instead of enforcing (its `report_only` key); what is
    /// in force also depends on [`crate::report_only_everywhere`] (see [`ReportOnly::in_force`]).
    pub fn report_only(&self) -> ReportOnly {
        self.report_only
    }
    /// Whether private-network preflights are answered.
    pub fn private_network(&self) -> bool {
        self.private_network
    }
    /// Whether writes (requests with an unsafe method) from origins the policy does not allow
    /// are refused before the handler runs: `true` unless the policy has
    /// `writes_from_any_origin`, or allows every origin (`*`). See [`crate::decide_write`].
    pub fn protects_writes(&self) -> bool {
        self.protect_writes
    }
    /// The `Access-Control-Allow-Methods` value.
    pub fn allow_methods_value(&self) -> &'static str {
        self.allow_methods
    }
    /// The `Access-Control-Allow-Headers` value, if any header is allowed.
    pub fn allow_headers_value(&self) -> Option<&'static str> {
        self.allow_headers
    }
    /// The `Access-Control-Expose-Headers` value, if any header is exposed.
    pub fn expose_value(&self) -> Option<&'static str> {
        self.expose
    }
    /// The `Access-Control-Max-Age` value, if set.
    pub fn max_age_value(&self) -> Option<&'static str> {
        self.max_age
    }
    /// Whether the `Access-Control-Allow-Origin` answer depends on the request's origin, so
    /// responses must carry `Vary: Origin`.
    pub fn varies_by_origin(&self) -> bool {
        !matches!(self.origins, Origins::Any)
    }
}
