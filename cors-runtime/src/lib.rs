//! The runtime of [`actix-route-cors`](https://docs.rs/actix-route-cors): its policy types,
//! the CORS algorithm and the actix-web glue.
//!
//! **This crate's API is not a public one.** Depend on `actix-route-cors`, which re-exports
//! the items it promises (its crate documentation lists them, and a test checks the list).
//! The items here are `pub` so that the facade, the `#[cors]` macro (which applies [`rules`]
//! at compile time), `cors-check`, the benches and the fuzz targets can reach them; any of them
//! may change in any release, which is why the facade depends on this crate's exact version.
//!
//! - [`rules`]: the validation rules of a policy, shared by the `#[cors]` macro (compile time)
//!   and policies built at start-up.
//! - [`Policy`]: a validated policy in a form that can live in a `static`.
//! - [`decide_actual`], [`decide_preflight`], [`decide_write`] and [`decide_handshake`]: the
//!   Fetch standard's CORS checks, and the refusal of cross-origin writes and WebSocket
//!   handshakes, as pure functions of a policy and request header values.
//! - [`actix`] (feature `actix`, on by default): the actix-web middleware and preflight resource.
//! - [`grammar`] and [`text`]: HTTP tokens and whitespace, and quoting outside values in
//!   messages, for this crate and `cors-check`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod algorithm;
pub mod grammar;
#[cfg(feature = "actix")]
mod log_target;
#[cfg(feature = "actix")]
mod lookup;
#[cfg(feature = "actix")]
pub mod metrics;
#[cfg(feature = "actix")]
mod origin_fn;
mod origin_pattern;
mod origin_set;
mod origin_source;
mod origins;
mod policy;
mod report_only;
pub mod rules;
pub mod text;
mod verdict;

#[cfg(feature = "actix")]
pub mod actix;
#[cfg(feature = "actix")]
pub mod audit;

/// The registry behind [`audit`], for the code `#[cors]` generates.
#[cfg(feature = "actix")]
#[doc(hidden)]
pub use inventory;

pub use algorithm::{
    decide_actual, decide_handshake, decide_preflight, decide_write, is_handshake, Actual,
    AllowOrigin, Asked, Denial, Explained, Field, HandshakeRequest, Kind, Outcome, Preflight,
    PreflightRequest, Reason, RequestOrigin, WriteRequest, MAX_REQUEST_HEADERS_LEN,
};
pub use grammar::is_safe_method;
#[cfg(feature = "actix")]
pub use lookup::{AlreadyInstalled, LookupSettings, LookupStats, OriginLookup};
#[cfg(feature = "actix")]
pub use origin_fn::OriginFn;
pub use origin_pattern::OriginPattern;
pub use origin_source::{OriginSource, OriginSourceError, SourceKind};
pub use origins::{AllowedOrigins, IsOriginSource, Origins};
pub use policy::{AllowedHeaders, Policy, PolicyParts};
pub use report_only::{report_only_everywhere, ReportOnly};
pub use verdict::{askable_origin, Verdict, MAX_ASKED_ORIGIN_LEN};
