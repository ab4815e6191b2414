//! Per-route CORS for actix-web. See the README.
#![forbid(unsafe_code)]

#[doc(inline)]
pub use cors_macros::cors;
pub use cors_runtime::*;

#[doc(hidden)]
pub mod __private {
    pub use ::actix_web;
    pub use ::cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors};
    pub use ::cors_runtime::{AllowedHeaders, AllowedOrigins, OriginPattern, Policy, PolicyParts};
}
