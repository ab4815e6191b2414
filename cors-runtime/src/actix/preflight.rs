//! The resource that answers a route's preflight requests.

use std::fmt::{self, Write as _};
use std::future::{ready, Ready};
use std::sync::atomic::{AtomicBool, Ordering};

use actix_web::dev::{
    fn_service, AppService, RequestHead, ResourceDef, ServiceRequest, ServiceResponse,
};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, ORIGIN, VARY,
};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use super::headers::{
    echo, origin_field, ALLOW_PRIVATE_NETWORK, REQUEST_PRIVATE_NETWORK, STAR, TRUE,
};
use super::judge::{judge, Judged, Judgement, MaybeLater, View};
use super::route_cors::RouteCors;
use super::{first, mounted};
use crate::algorithm::{
    decide_preflight_judged, AllowOrigin, Asked, Field, Preflight, PreflightRequest,
};
use crate::policy::AllowedOrigins;
use crate::text::{Quoted, REQUEST_VALUE_LIMIT};

const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

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
/// `Access-Control-Request-Method`. The one definition both guards use: [`PreflightGuard`]
/// takes such requests (for the route's methods), `MethodGuard` refuses them.
pub(crate) fn is_preflight(head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head.headers().contains_key(ORIGIN)
        && head.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// A route whose origins come from an [`OriginSource`](crate::OriginSource) that was never
/// filled, or an [`OriginLookup`](crate::OriginLookup) without a function, would refuse every
/// origin, silently: building the `App` stops there instead, with a message naming the route
/// and the source (as actix-web does for a route it cannot build).
fn require_loaded(cors: &RouteCors) {
    match cors.policy.origins() {
        AllowedOrigins::Configured(source) => assert!(
            source.is_loaded(),
            "#[cors] route `{}` takes its origins from {}, which was not loaded: call `.load()` \
             (or `.set(..)`) on its `OriginSource` before the `App` is built",
            cors.route,
            source.kind(),
        ),
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

/// Registers the preflight resource of a route on `path`, for the methods the route serves
/// there. Called by the code `#[cors]` generates, after the route's own resource
/// (whose `MethodGuard` refuses preflights).
///
/// The resource carries a probe (see `mounted`), through which a [`CorsFirst`](super::CorsFirst)
/// middleware finds the route's full path once the app is built.
///
/// # Panics
/// The route's origins come from an [`OriginSource`](crate::OriginSource) that was not loaded,
/// or an [`OriginLookup`](crate::OriginLookup) that has no function.
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
    let guard: Box<dyn Guard> = Box::new(PreflightGuard(route_methods));
    config.register_service(
        rdef,
        Some(vec![guard]),
        fn_service(move |req: ServiceRequest| {
            hint_once(&req, cors);
            answer(req, cors)
        }),
        Some(probe),
    );
}

/// The `log` target of advice about how the app is put together: under [`LOG_TARGET`]
/// (a filter such as `RUST_LOG=actix_route_cors=info` shows it), apart from the records of
/// refused requests.
///
/// [`LOG_TARGET`]: super::LOG_TARGET
const SETUP_TARGET: &str = "actix_route_cors::setup";

/// Whether [`hint_once`] has spoken.
static HINTED: AtomicBool = AtomicBool::new(false);

/// Once per process, when a preflight reached a route through the app's routing and no app
/// has a [`CorsFirst`](super::CorsFirst): says that App- and scope-level middleware saw this
/// preflight first, and what to add if they refuse preflights (`401`, `429`). The preflights
/// such middleware refuses never get here, so the record is written on the first that does.
fn hint_once(req: &ServiceRequest, cors: &RouteCors) {
    if first::INSTALLED.load(Ordering::Relaxed) || HINTED.swap(true, Ordering::Relaxed) {
        return;
    }
    log::info!(
        target: SETUP_TARGET,
        "the preflight for {} reached #[cors] route `{}` through the app's routing: App- and scope-level middleware and scope guards see preflights before the route does. If some of them refuse requests without credentials (authentication, rate limiting) or without a header (guards), browsers see those refusals as CORS errors: add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap` (logged once)",
        req.path(),
        cors.route,
    );
}

/// The body of a refused preflight, `CORS preflight refused: <reason>\n`, in one allocation of
/// exactly its size: written on the stack, then copied (`format!` would grow a `String` on the
/// heap, and turning it into `Bytes` would allocate again unless it happened to be full).
/// A reason too long for the stack buffer is formatted on the heap.
fn refusal_body(reason: &impl fmt::Display) -> Bytes {
    let mut buf = [0u8; 512];
    let mut out = SliceWriter {
        buf: &mut buf,
        len: 0,
    };
    if writeln!(out, "CORS preflight refused: {reason}").is_ok() {
        let len = out.len;
        return Bytes::copy_from_slice(&buf[..len]);
    }
    Bytes::from(format!("CORS preflight refused: {reason}\n"))
}

/// Writes into a byte buffer; fails when it is full.
struct SliceWriter<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dest = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn bytes(v: &HeaderValue) -> &[u8] {
    v.as_bytes()
}

/// What a preflight's `Origin` and `Access-Control-Request-Method` say, read once by whoever
/// first looks at them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Asking<'h> {
    /// The first `Origin` value (the one echoed).
    pub(crate) first_origin: Option<&'h HeaderValue>,
    pub(crate) origin: Field<'h>,
    pub(crate) method: Field<'h>,
}

impl<'h> Asking<'h> {
    /// Reads the two fields of `headers`.
    pub(crate) fn read(headers: &'h HeaderMap) -> Self {
        let (first_origin, origin) = origin_field(headers);
        Asking {
            first_origin,
            origin,
            method: method_field(headers),
        }
    }
}

/// The answer to a preflight for `cors`'s route, once its origin is judged (at once, unless
/// the route's lookup has to be asked).
pub(crate) fn answer(
    req: ServiceRequest,
    cors: &'static RouteCors,
) -> MaybeLater<Ready<Result<ServiceResponse, Error>>, Result<ServiceResponse, Error>> {
    let asking = Asking::read(req.headers());
    match judge(cors, asking.origin, req.head()) {
        None => {
            let res = respond(&req, cors, &View::route(cors), asking);
            MaybeLater::now(ready(Ok(req.into_response(res))))
        }
        Some(Judgement::Now(judged)) => {
            let res = respond(&req, cors, &judged.view(), asking);
            MaybeLater::now(ready(Ok(req.into_response(res))))
        }
        Some(Judgement::Later(pending)) => MaybeLater::later(async move {
            let judged = Judged::new(cors, pending.await);
            let res = respond(&req, cors, &judged.view(), Asking::read(req.headers()));
            Ok(req.into_response(res))
        }),
    }
}

/// The `Access-Control-Request-Method` field(s).
pub(crate) fn method_field(headers: &HeaderMap) -> Field<'_> {
    Field::from_values(headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).map(bytes))
}

/// The answer to a preflight for `cors`'s route: 204 with the policy's headers, or 403 with the
/// reason (also logged).
pub(crate) fn respond(
    req: &ServiceRequest,
    cors: &RouteCors,
    view: &View<'_>,
    asked: Asking<'_>,
) -> HttpResponse {
    let headers = req.headers();
    let Asking {
        first_origin,
        origin,
        method,
    } = asked;
    let request = PreflightRequest {
        origin,
        method,
        headers: headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).map(bytes),
        private_network: headers
            .get(REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true"),
    };
    match decide_preflight_judged(view.policy, view.verdict, request) {
        Preflight::Allowed {
            origin,
            private_network,
        } => {
            let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
            let out = res.headers_mut();
            let allow_origin = match origin {
                AllowOrigin::Any => STAR,
                AllowOrigin::Echo => match (view.echo, first_origin) {
                    (Some(value), _) => value.clone(),
                    (None, Some(o)) => echo(cors, o),
                    (None, None) => STAR,
                },
            };
            // A new response has no header: `append` adds each one alone (see `headers::apply`).
            out.append(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
            if cors.policy.credentials {
                out.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            out.append(ACCESS_CONTROL_ALLOW_METHODS, cors.allow_methods.clone());
            if let Some(h) = &cors.allow_headers {
                out.append(ACCESS_CONTROL_ALLOW_HEADERS, h.clone());
            }
            if let Some(age) = &cors.max_age {
                out.append(ACCESS_CONTROL_MAX_AGE, age.clone());
            }
            if private_network {
                out.append(ALLOW_PRIVATE_NETWORK, TRUE);
            }
            out.append(VARY, PREFLIGHT_VARY);
            res
        }
        Preflight::Denied(denial) => {
            let policy = view.explaining();
            let reason = denial.explain(&policy);
            // The request's fields are looked up again only when the record is logged.
            if log::log_enabled!(target: super::LOG_TARGET, log::Level::Info) {
                let asked = Asked {
                    origin: Field::from_values(headers.get_all(ORIGIN).map(bytes)),
                    method: Field::from_values(
                        headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).map(bytes),
                    ),
                    headers: Field::from_values(
                        headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS).map(bytes),
                    ),
                };
                log::info!(
                    target: super::LOG_TARGET,
                    "CORS preflight refused for {} (route `{}`): {}; {}",
                    req.path(),
                    cors.route,
                    asked,
                    reason,
                );
            }
            let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, refusal_body(&reason));
            res.headers_mut().append(CONTENT_TYPE, TEXT_PLAIN);
            res.headers_mut().append(VARY, PREFLIGHT_VARY);
            res.map_into_boxed_body()
        }
    }
}

/// The reason for refusing a preflight on a path whose `#[cors]` handlers serve `served`, none
/// of them the requested `method`.
struct Unserved<'a> {
    method: &'a [u8],
    served: &'a [&'static str],
}

impl fmt::Display for Unserved<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no handler on this path serves method `{}` (served here: {}",
            Quoted::bytes(self.method, REQUEST_VALUE_LIMIT),
            self.served.join(", "),
        )?;
        if self
            .served
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(self.method))
        {
            write!(f, "; methods are case-sensitive")?;
        }
        write!(f, ")")
    }
}

/// The answer to a preflight on a path where `#[cors]` routes are mounted, none for the
/// requested method: 403, the reason in the body and in a log record, as for any other
/// refused preflight.
pub(crate) fn refuse_unserved(
    req: &ServiceRequest,
    method: &[u8],
    served: &[&'static str],
) -> HttpResponse {
    let reason = Unserved { method, served };
    log::info!(
        target: super::LOG_TARGET,
        "CORS preflight refused for {}: {}",
        req.path(),
        reason,
    );
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, refusal_body(&reason));
    res.headers_mut().append(CONTENT_TYPE, TEXT_PLAIN);
    res.headers_mut().append(VARY, PREFLIGHT_VARY);
    res.map_into_boxed_body()
}
