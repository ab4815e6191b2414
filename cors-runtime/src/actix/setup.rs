//! Advice about how the app is put together, logged once: whether some app has a
//! [`CorsFirst`](super::CorsFirst), and what to add when preflights reach routes through the
//! app's middleware.

use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::dev::ServiceRequest;

use super::route_cors::RouteCors;

/// The `log` target of advice about how the app is put together: under
/// [`LOG_TARGET`](crate::log_target::LOG_TARGET) (a filter such as
/// `RUST_LOG=actix_route_cors=info` shows it), apart from the records of refused requests.
const SETUP_TARGET: &str = "actix_route_cors::setup";

/// Set once some app has a [`CorsFirst`](super::CorsFirst).
static CORS_FIRST: AtomicBool = AtomicBool::new(false);

/// Whether [`hint_once`] has spoken.
static HINTED: AtomicBool = AtomicBool::new(false);

/// Records that an app has a [`CorsFirst`](super::CorsFirst): no hint is needed.
pub(crate) fn cors_first_installed() {
    CORS_FIRST.store(true, Ordering::Relaxed);
}

/// Once per process, when a preflight reached a route through the app's routing and no app
/// has a [`CorsFirst`](super::CorsFirst): says that App- and scope-level middleware saw this
/// preflight first, and what to add if they refuse preflights (`401`, `429`). The preflights
/// such middleware refuses never get here, so the record is written on the first that does.
pub(crate) fn hint_once(req: &ServiceRequest, cors: &RouteCors) {
    if CORS_FIRST.load(Ordering::Relaxed) || HINTED.swap(true, Ordering::Relaxed) {
        return;
    }
    log::info!(
        target: SETUP_TARGET,
        "the preflight for {} reached #[cors] route `{}` through the app's routing: App- and scope-level middleware and scope guards see preflights before the route does. If some of them refuse requests without credentials (authentication, rate limiting) or without a header (guards), browsers see those refusals as CORS errors: add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap` (logged once)",
        req.path(),
        cors.route,
    );
}
