//! The actix-web glue: a middleware that applies [`crate::decide_actual`] to every response of a
//! route, and a resource that answers the route's preflights with [`crate::decide_preflight`].

mod first;
mod headers;
mod judge;
mod method_guard;
mod middleware;
mod mounted;
mod preflight;
mod route_cors;
mod route_table;

pub use first::{CorsFirst, CorsFirstFuture, CorsFirstService};
pub use judge::MaybeLater;
pub use method_guard::MethodGuard;
pub use middleware::{Cors, CorsFuture, CorsService};
pub use preflight::{register_preflight, PreflightGuard};
pub use route_cors::{RouteCors, RouteInfo};

/// The `log` target of every record this crate emits.
pub const LOG_TARGET: &str = "actix_route_cors";
