//! Where this crate's log records go.

/// The `log` target of every record this crate emits (a filter such as
/// `RUST_LOG=actix_route_cors=info` shows them).
pub const LOG_TARGET: &str = "actix_route_cors";
