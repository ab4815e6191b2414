//! The guards of a `#[cors]` route's two resources: the route's own ([`MethodGuard`]) and its
//! preflight resource's ([`PreflightGuard`]).

use actix_web::dev::RequestHead;
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;

use super::preflight;
use super::route_cors::RouteCors;

/// Matches requests whose method is one of these (compared byte for byte), except CORS
/// preflights (`OPTIONS` with `Origin` and `Access-Control-Request-Method`), which belong to the
/// route's preflight resource even when the route serves `OPTIONS` itself.
///
/// The `#[cors]` macro puts it on the route's resource, in place of the method guards that
/// `#[get]` and friends would add, with the route's [`RouteCors`] on that path. Because it never
/// takes a preflight, the macro can register the preflight resource *after* the route's
/// resource, so that actual requests, the common case, are routed without first matching the
/// preflight resource's path.
///
/// One exception: when the route's whole policy is only reported
/// ([`report_only`](crate::ReportOnly)) and the route serves `OPTIONS` itself, it takes the
/// preflight, records it, and the route answers it as it would without `#[cors]`.
#[derive(Debug, Clone, Copy)]
pub struct MethodGuard(pub &'static [&'static str], pub &'static RouteCors);

impl Guard for MethodGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if !self.0.contains(&head.method.as_str()) {
            return false;
        }
        if !is_preflight(head) {
            return true;
        }
        // A preflight, and the route serves `OPTIONS`.
        if self.1.reports_only() {
            preflight::report_from_guard(ctx, self.1);
            return true;
        }
        false
    }
}

/// Selects the preflights meant for one route: `OPTIONS` with an `Origin` and an
/// `Access-Control-Request-Method` naming a method the route serves (byte for byte).
///
/// Because the requested method selects the resource, two handlers on one path with different
/// policies each answer their own preflight, in whatever order they are registered. An
/// `OPTIONS` request without `Access-Control-Request-Method` is not a preflight and goes on to
/// the app's own routes.
#[derive(Debug, Clone, Copy)]
pub struct PreflightGuard(pub &'static [&'static str]);

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        is_preflight(head)
            && head
                .headers()
                .get_all(ACCESS_CONTROL_REQUEST_METHOD)
                .any(|m| self.0.iter().any(|route| route.as_bytes() == m.as_bytes()))
    }
}

/// Whether a request is a CORS preflight: `OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`. The one definition both guards use.
fn is_preflight(head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head.headers().contains_key(ORIGIN)
        && head.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}
