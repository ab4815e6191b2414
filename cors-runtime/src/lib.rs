//! The runtime of [`actix-route-cors`](https://docs.rs/actix-route-cors): use that crate, which
//! re-exports what is public here.
//!
//! - [`rules`]: the validation rules of a policy, shared by the `#[cors]` macro (compile time)
//!   and policies built at start-up.
//! - [`Policy`]: a validated policy in a form that can live in a `static`.
//! - [`decide_actual`] and [`decide_preflight`]: the Fetch standard's CORS checks as pure
//!   functions of a policy and request header values.
//! - [`actix`] (feature `actix`, on by default): the actix-web middleware and preflight resource.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod algorithm;
mod origin_source;
mod policy;
pub mod rules;

#[cfg(feature = "actix")]
pub mod actix;
#[cfg(feature = "actix")]
pub mod audit;

/// The registry behind [`audit`], for the code `#[cors]` generates.
#[cfg(feature = "actix")]
#[doc(hidden)]
pub use inventory;

pub use algorithm::{
    decide_actual, decide_preflight, Actual, AllowOrigin, Asked, Denial, Explained, Field,
    Preflight, PreflightRequest, MAX_REQUEST_HEADERS_LEN,
};
pub use origin_source::{OriginSource, OriginSourceError, SourceKind};
pub use policy::{AllowedHeaders, AllowedOrigins, OriginPattern, Policy, PolicyParts};
