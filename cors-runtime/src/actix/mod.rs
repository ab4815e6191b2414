//! The actix-web glue: one pipeline for every request to a `#[cors]` route. Read the request's
//! fields once (`request`), resolve its origin (`resolve`), decide with the pure algorithm
//! ([`crate::decide_actual`], [`crate::decide_preflight`], [`crate::decide_write`]) in the
//! shared `actual` and `preflight` modules, and write the headers (`headers`). Two thin entry
//! points call it: [`Cors`] on each route, and [`CorsFirst`] on the app; the route's preflight
//! resource ([`register_preflight`]) is a third.

mod actual;
mod first;
mod guards;
mod headers;
mod middleware;
mod mounted;
mod preflight;
mod register;
mod request;
mod resolve;
mod route_cors;
mod route_table;
mod setup;

pub use crate::log_target::LOG_TARGET;
pub use first::{CorsFirst, CorsFirstFuture, CorsFirstService};
pub use guards::{MethodGuard, PreflightGuard};
pub use middleware::{Cors, CorsFuture, CorsService};
pub use mounted::Mounted;
pub use preflight::Answering;
pub use register::register_preflight;
pub use resolve::MaybeLater;
pub use route_cors::{RouteCors, RouteInfo};
