//! Registering a `#[cors]` route's preflight resource, next to the route's own.

use actix_web::dev::{fn_service, AppService, ResourceDef, ServiceRequest};
use actix_web::guard::{Guard, GuardContext};

use super::guards::PreflightGuard;
use super::preflight;
use super::request::Fields;
use super::route_cors::RouteCors;
use super::{mounted, setup};
use crate::origins::AllowedOrigins;

/// Registers the preflight resource of a route on `path`, for the methods the route serves
/// there. Called by the code `#[cors]` generates, after the route's own resource
/// (whose `MethodGuard` refuses preflights).
///
/// The resource carries a probe (see `mounted`), through which a [`CorsFirst`](super::CorsFirst)
/// middleware finds the route's full path once the app is built.
///
/// # Panics
/// The route's origins come from an [`OriginSource`](crate::OriginSource) that was not loaded
/// (or, with `credentials`, holds a plain-`http://` origin other than loopback), or an
/// [`OriginLookup`](crate::OriginLookup) that has no function.
pub fn register_preflight(
    config: &mut AppService,
    path: &'static str,
    route_methods: &'static [&'static str],
    cors: &'static RouteCors,
) {
    require_loaded(cors);
    // What `Resource::register` would make of `path`.
    let rdef = if !path.is_empty() && !path.starts_with('/') {
        ResourceDef::new(format!("/{path}"))
    } else {
        ResourceDef::new(path)
    };
    let probe = mounted::probe(&rdef, route_methods, cors);
    let guard: Box<dyn Guard> = Box::new(Preflights {
        guard: PreflightGuard(route_methods),
        cors,
    });
    config.register_service(
        rdef,
        Some(vec![guard]),
        fn_service(move |req: ServiceRequest| {
            setup::hint_once(&req, cors);
            let decided = preflight::decide(&req, cors, Fields::read(req.head()));
            preflight::answer(req, cors, decided)
        }),
        Some(probe),
    );
}

/// The preflight resource's guard: the route's preflights ([`PreflightGuard`]), unless the
/// route is in report-only mode. Then none is taken (a preflight goes on to whatever would
/// answer it without `#[cors]`), and each is recorded here, unless the app's
/// [`CorsFirst`](super::CorsFirst) recorded it (it sees preflights first, before another CORS
/// middleware answers them).
struct Preflights {
    guard: PreflightGuard,
    cors: &'static RouteCors,
}

impl Guard for Preflights {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        if !self.guard.check(ctx) {
            return false;
        }
        if !self.cors.reports_only() {
            return true;
        }
        preflight::report_from_guard(ctx, self.cors);
        false
    }
}

/// A route whose origins come from an [`OriginSource`](crate::OriginSource) that was never
/// filled, or an [`OriginLookup`](crate::OriginLookup) without a function, would refuse every
/// origin, silently: building the `App` stops there instead, with a message naming the route
/// and the source (as actix-web does for a route it cannot build).
fn require_loaded(cors: &RouteCors) {
    match cors.policy.origins() {
        AllowedOrigins::Configured(source) => {
            assert!(
                source.is_loaded(),
                "#[cors] route `{}` takes its origins from {}, which was not loaded: call \
                 `.load()` (or `.set(..)`) on its `OriginSource` before the `App` is built",
                cors.route,
                source.kind(),
            );
            if cors.policy.refuse_http_origins {
                if let Err(error) = source.refuse_http_origins() {
                    let cookies = if cors.info().is_websocket() {
                        "takes WebSocket handshakes, which carry the user's cookies"
                    } else {
                        "allows credentials"
                    };
                    panic!("#[cors] route `{}` {cookies}: {error}", cors.route);
                }
            }
        }
        AllowedOrigins::Lookup(lookup) => assert!(
            lookup.is_installed(),
            "#[cors] route `{}` takes its origins from lookup `{}`, which has no function: call \
             `.install(..)` on its `OriginLookup` before the `App` is built",
            cors.route,
            lookup.description(),
        ),
        _ => {}
    }
}
