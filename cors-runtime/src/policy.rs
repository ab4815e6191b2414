//! The policy of one route, in a form that can live in a `static`.

use crate::origin_source::OriginSource;
use crate::rules::{OriginSpec, ValidPolicy};

/// One allowed origin, or a pattern of origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginPattern {
    /// Matches exactly this `Origin` value, byte for byte (`null` included).
    Exact(&'static str),
    /// Matches `prefix` + one DNS label + `suffix`, as `https://` + `app` + `.example.com`.
    Subdomains {
        /// Scheme and `://`.
        prefix: &'static str,
        /// A dot, the parent domain and the port, if any.
        suffix: &'static str,
    },
}

/// As written in `origins`: `https://app.example.com`, `https://*.example.com`.
impl std::fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OriginPattern::Exact(o) => f.write_str(o),
            OriginPattern::Subdomains { prefix, suffix } => write!(f, "{prefix}*{suffix}"),
        }
    }
}

/// Patterns separated by `, `, for messages.
pub(crate) struct PatternList(pub(crate) &'static [OriginPattern]);

impl std::fmt::Display for PatternList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, pattern) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{pattern}")?;
        }
        Ok(())
    }
}

/// Which origins a policy allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// `*`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// These origins, each answered by echoing the request's `Origin`.
    List(&'static [OriginPattern]),
    /// The origins of an [`OriginSource`], filled at start-up, each answered by echoing the
    /// request's `Origin`. Before the source is filled, no origin is allowed.
    Configured(&'static OriginSource),
}

impl AllowedOrigins {
    /// The origins to match, `None` for `*` (and for a source not filled yet).
    ///
    /// ```
    /// use cors_runtime::{AllowedOrigins, OriginPattern, OriginSource};
    ///
    /// static LIST: [OriginPattern; 1] = [OriginPattern::Exact("https://app.example.com")];
    /// assert_eq!(AllowedOrigins::List(&LIST).patterns(), Some(&LIST[..]));
    /// assert_eq!(AllowedOrigins::Any.patterns(), None);
    ///
    /// static TENANTS: OriginSource = OriginSource::startup("tenants");
    /// assert_eq!(AllowedOrigins::Configured(&TENANTS).patterns(), None); // not filled yet
    /// TENANTS.set(["https://*.tenants.example"]).unwrap();
    /// let patterns = AllowedOrigins::Configured(&TENANTS).patterns().unwrap();
    /// assert_eq!(patterns[0].to_string(), "https://*.tenants.example");
    /// ```
    pub fn patterns(&self) -> Option<&'static [OriginPattern]> {
        match *self {
            AllowedOrigins::Any => None,
            AllowedOrigins::List(list) => Some(list),
            AllowedOrigins::Configured(source) => source.patterns(),
        }
    }
}

/// `specs` (without `Any`) as `'static` patterns: leaked, because a policy lives as long as
/// the app.
pub(crate) fn leak_patterns(specs: &[OriginSpec]) -> &'static [OriginPattern] {
    let list: Vec<OriginPattern> = specs
        .iter()
        .map(|o| match o {
            OriginSpec::Null => OriginPattern::Exact("null"),
            OriginSpec::Exact(s) => OriginPattern::Exact(leak(s.clone())),
            OriginSpec::Subdomains { prefix, suffix } => OriginPattern::Subdomains {
                prefix: leak(prefix.clone()),
                suffix: leak(suffix.clone()),
            },
            OriginSpec::Any => unreachable!("`*` is not a pattern"),
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The request headers a preflight may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedHeaders {
    /// `*` was listed: every header except `authorization` (which the Fetch standard requires
    /// to be named).
    pub any: bool,
    /// The names listed, in lowercase.
    pub names: &'static [&'static str],
}

/// A validated CORS policy, with the header values that depend only on it already built.
///
/// The `#[cors]` macro builds one per route in a `static`; [`Policy::from_valid`] builds one at
/// start-up from a policy that passed [`crate::rules::validate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub(crate) origins: AllowedOrigins,
    pub(crate) methods: &'static [&'static str],
    pub(crate) headers: AllowedHeaders,
    pub(crate) credentials: bool,
    pub(crate) private_network: bool,
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
    pub origins: AllowedOrigins,
    pub methods: &'static [&'static str],
    pub headers: AllowedHeaders,
    pub credentials: bool,
    pub private_network: bool,
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
            allow_methods: p.allow_methods,
            allow_headers: p.allow_headers,
            expose: p.expose,
            max_age: p.max_age,
        }
    }

    /// Builds a policy at start-up from one that passed [`crate::rules::validate`].
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
            AllowedOrigins::Any
        } else {
            AllowedOrigins::List(leak_patterns(&valid.origins))
        };
        Self {
            origins,
            methods: leak_all(&valid.methods),
            headers: AllowedHeaders {
                any: valid.headers.any,
                names: leak_all(&valid.headers.names),
            },
            credentials: valid.credentials,
            private_network: valid.private_network,
            allow_methods: leak(valid.allow_methods_value()),
            allow_headers: valid.headers.header_value().map(leak),
            expose: valid.expose.header_value().map(leak),
            max_age: valid.max_age.map(|s| leak(s.to_string())),
        }
    }

    /// Which origins are allowed.
    pub fn origins(&self) -> AllowedOrigins {
        self.origins
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
    /// Whether private-network preflights are answered.
    pub fn private_network(&self) -> bool {
        self.private_network
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
        !matches!(self.origins, AllowedOrigins::Any)
    }
}
