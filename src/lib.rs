//! Per-route CORS for actix-web: the policy is written on the handler, checked when the crate
//! compiles, and enforced at run time exactly as the Fetch standard's CORS protocol requires.
//!
//! ```
//! use actix_route_cors::cors;
//! use actix_web::{get, put, App, HttpResponse, Responder};
//!
//! #[cors(origins = ["https://app.example.com"], credentials, expose = ["x-total"], max_age = 600)]
//! #[get("/items")]
//! async fn list_items() -> impl Responder {
//!     HttpResponse::Ok().insert_header(("x-total", "42")).body("[]")
//! }
//!
//! #[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-request-id"], credentials)]
//! #[put("/items/{id}")]
//! async fn put_item() -> impl Responder {
//!     HttpResponse::NoContent()
//! }
//!
//! // Registration is unchanged: `.service(list_items)` also answers the preflights of GET /items.
//! let app = App::new().service(list_items).service(put_item);
//! ```
//!
//! - [`cors`]: the attribute (every key is documented there).
//! - [`cors_policy!`]: a named policy, shared by many handlers (`#[cors(policy = NAME)]`).
//! - [`OriginSource`], [`OriginLookup`] and functions: origins from configuration, or decided
//!   at run time ([`guide::origins`]).
//! - [`CorsFirst`]: one `wrap` on the `App` when it has middleware (authentication, rate
//!   limiting) or scope guards: the `#[cors]` routes then answer their preflights before it,
//!   and its early answers (`401`, `429`) stay readable by allowed origins.
//! - [`audit`]: every `#[cors]` route of the program, with its [`Policy`], for review.
//! - [`rules`]: the origin rules `#[cors]` applies, for origins an application stores itself.
//! - [`guide`]: each topic on a page of its own.
//!
//! That is the whole public API, and every item of it is a semver promise: a test compares it
//! with a snapshot (`tests/public_api.txt`). The CORS decisions, the middleware and the
//! constructors the generated code calls live in the internal crate `cors-runtime` (pinned
//! to this crate's exact version), reached through a hidden module; ARCHITECTURE.md in the
//! repository says how the crates fit together.
//!
//! Denials are logged with the [`log`](https://docs.rs/log) crate, target [`LOG_TARGET`]
//! (`actix_route_cors`), level `info`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc = include_str!("../docs/attribute.md")]
#[doc(inline)]
pub use cors_macros::cors;

#[doc = include_str!("../docs/named_policies.md")]
#[doc(inline)]
pub use cors_macros::cors_policy;

pub use cors_runtime::{
    AlreadyInstalled, LookupSettings, LookupStats, OriginFn, OriginLookup, Verdict,
    MAX_ASKED_ORIGIN_LEN,
};
pub use cors_runtime::{OriginSource, OriginSourceError, SourceKind};

pub use cors_runtime::{AllowedHeaders, AllowedOrigins, OriginPattern, Policy};

pub use cors_runtime::actix::LOG_TARGET;
pub use cors_runtime::MAX_REQUEST_HEADERS_LEN;

pub use cors_runtime::actix::CorsFirst;

pub use cors_runtime::{report_only_everywhere, ReportOnly};

#[doc = include_str!("../docs/audit.md")]
pub mod audit {
    pub use cors_runtime::actix::{Mounted, RouteCors, RouteInfo};
    pub use cors_runtime::audit::{routes, Json, Table, JSON_VERSION};
}

/// The rules an origin must follow, for an application that checks origins it receives (an
/// admin form, a tenant table) by the rules `#[cors]` and [`OriginSource`] apply.
///
/// ```
/// use actix_route_cors::rules::{check_origin, OriginSpec};
///
/// assert_eq!(
///     check_origin("https://*.example.com"),
///     Ok(OriginSpec::Subdomains { prefix: "https://".into(), suffix: ".example.com".into() }),
/// );
/// let refused = check_origin("https://app.example.com/").unwrap_err();
/// assert_eq!(refused.help, "write \"https://app.example.com\"");
/// ```
pub mod rules {
    pub use cors_runtime::rules::{
        check_configured_origins, check_origin, split_origins, Item, OriginSpec, RuleError,
    };
}

/// What the code `#[cors]` and `cors_policy!` generate uses: not a public API.
#[doc(hidden)]
pub mod __private {
    pub use ::actix_web;
    pub use ::cors_macros::__cors_with_policy;
    pub use ::cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors, RouteInfo};
    pub use ::cors_runtime::audit::Registered;
    pub use ::cors_runtime::inventory;
    pub use ::cors_runtime::{
        AllowedHeaders, IsOriginSource, OriginPattern, Origins, Policy, PolicyParts, ReportOnly,
    };
}

/// The README's examples compile.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[doc = include_str!("../docs/guide.md")]
pub mod guide {
    #[doc = include_str!("../docs/origins.md")]
    pub mod origins {}
    #[doc = include_str!("../docs/runtime.md")]
    pub mod runtime {}
    #[doc = include_str!("../docs/cors_first.md")]
    pub mod cors_first {}
    #[doc = include_str!("../docs/writes.md")]
    pub mod writes {}
    #[doc = include_str!("../docs/websocket.md")]
    pub mod websocket {}
    #[doc = include_str!("../docs/report_only.md")]
    pub mod report_only {}
    #[doc = include_str!("../docs/metrics.md")]
    pub mod metrics {}
    #[doc = include_str!("../docs/migration.md")]
    pub mod migration {}
    #[doc = include_str!("../docs/debugging.md")]
    pub mod debugging {}
    #[doc = include_str!("../docs/browsers.md")]
    pub mod browsers {}
    #[doc = include_str!("../docs/robustness.md")]
    pub mod robustness {}
    #[doc = include_str!("../docs/limits.md")]
    pub mod limits {}
}
