//! The method guard of a `#[cors]` route.

use actix_web::guard::{Guard, GuardContext};

use super::preflight::is_preflight;

/// Matches requests whose method is one of these (compared byte for byte), except CORS
/// preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), which belong to the
/// route's preflight resource even when the route serves `OPTIONS` itself.
///
/// The `#[cors]` macro puts it on the route's resource, in place of the method guards that
/// `#[get]` and friends would add. Because it never takes a preflight, the macro can register
/// the preflight resource *after* the route's resource, so that actual requests, the common
/// case, are routed without first matching the preflight resource's path.
#[derive(Debug, Clone, Copy)]
pub struct MethodGuard(pub &'static [&'static str]);

impl Guard for MethodGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        let method = head.method.as_str();
        self.0.contains(&method) && !is_preflight(head)
    }
}
