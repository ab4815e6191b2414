//! Preflight requests to a `#[cors]` route: the `204` with the policy's headers, or the `403`
//! with the reason. Shared by the route's preflight resource and `CorsFirst`.

use std::fmt::{self, Write as _};
use std::future::{ready, Ready};

use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::guard::GuardContext;
use actix_web::http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    CONTENT_TYPE, VARY,
};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use super::headers::{allow_origin_value, ALLOW_PRIVATE_NETWORK, STAR, TRUE};
use super::request::{asks_private_network, requested_headers, Fields};
use super::resolve::{resolve, Decided, MaybeLater};
use super::route_cors::RouteCors;
use crate::algorithm::{
    decide_preflight, Asked, Explained, Field, Kind, Outcome, Preflight, PreflightRequest, Reason,
    RequestOrigin,
};
use crate::log_target::LOG_TARGET;
use crate::lookup::{Answer, Resolution};
use crate::text::{Quoted, REQUEST_VALUE_LIMIT};
use crate::verdict::Verdict;

const PREFLIGHT_VARY: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
);
/// With `private_network`, the answer also depends on `Access-Control-Request-Private-Network`
/// (`Access-Control-Allow-Private-Network` is sent only when it is asked for).
const PREFLIGHT_VARY_PRIVATE_NETWORK: HeaderValue = HeaderValue::from_static(
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
     Access-Control-Request-Private-Network",
);

/// The `Vary` of every answer to a preflight for `cors`'s route: each request header the
/// answer depends on.
fn preflight_vary(cors: &RouteCors) -> HeaderValue {
    if cors.policy.private_network {
        PREFLIGHT_VARY_PRIVATE_NETWORK
    } else {
        PREFLIGHT_VARY
    }
}
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// The answer to a preflight, once its origin is resolved (at once, unless the route's lookup
/// has to be asked).
pub type Answering =
    MaybeLater<Ready<Result<ServiceResponse, Error>>, Result<ServiceResponse, Error>>;

/// Decides the preflight `req` (whose `fields` were read) for `cors`'s route, unless its
/// origin waits for a lookup: then [`answer`] decides once it has landed.
pub(crate) fn decide(
    req: &ServiceRequest,
    cors: &'static RouteCors,
    fields: Fields<'_>,
) -> Decided<HttpResponse> {
    Decided::new(req, cors, fields, respond)
}

/// The answer to the preflight `req`, as [`decide`] decided it.
pub(crate) fn answer(
    req: ServiceRequest,
    cors: &'static RouteCors,
    decided: Decided<HttpResponse>,
) -> Answering {
    decided.run(req, cors, respond, |req, res| {
        ready(Ok(req.into_response(res)))
    })
}

/// The decision about a preflight for `cors`'s route whose origin got `verdict`.
fn judge<'h>(
    headers: &'h HeaderMap,
    cors: &RouteCors,
    fields: Fields<'h>,
    verdict: Verdict,
) -> Preflight<'h> {
    let request = PreflightRequest {
        origin: RequestOrigin::judged(fields.origin, verdict),
        method: fields.method,
        headers: requested_headers(headers),
        private_network: asks_private_network(headers),
    };
    decide_preflight(&cors.policy, request)
}

/// The answer to a preflight for `cors`'s route: 204 with the policy's headers, or 403 with the
/// reason (also logged); counted.
fn respond(
    req: &ServiceRequest,
    cors: &'static RouteCors,
    fields: Fields<'_>,
    (verdict, echo): Answer,
) -> HttpResponse {
    let headers = req.headers();
    match judge(headers, cors, fields, verdict) {
        Preflight::Allowed {
            origin,
            private_network,
        } => {
            cors.count(Kind::Preflight, Outcome::Allowed, Reason::None);
            let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
            let out = res.headers_mut();
            let allow_origin =
                allow_origin_value(origin, echo, fields.first_origin).unwrap_or(STAR);
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
            out.append(VARY, preflight_vary(cors));
            res
        }
        Preflight::Denied(denial) => {
            cors.count(Kind::Preflight, Outcome::Refused, denial.reason());
            let reason = denial.explain(&cors.policy);
            log_denial(req.path(), headers, cors, fields, reason, "refused");
            refused(&reason, preflight_vary(cors))
        }
    }
}

/// Logs a refused preflight (`what`: "refused", or "would be refused" in report-only mode),
/// with what it asked for. The request-headers field is looked up again only when the record
/// is logged.
fn log_denial(
    path: &str,
    headers: &HeaderMap,
    cors: &RouteCors,
    fields: Fields<'_>,
    reason: Explained<'_, '_>,
    what: &str,
) {
    if log::log_enabled!(target: LOG_TARGET, log::Level::Info) {
        let asked = Asked {
            origin: fields.origin,
            method: fields.method,
            headers: Field::from_values(requested_headers(headers)),
        };
        log::info!(
            target: LOG_TARGET,
            "CORS preflight {what} for {path} (route `{}`): {asked}; {reason}",
            cors.route,
        );
    }
}

/// Marks a preflight already reported (by `CorsFirst`, which sees it first, or by one of the
/// route's guards), so that no other guard reports it again.
pub(crate) struct Reported;

/// Report-only mode: records the preflight `ctx` for `cors`'s route from a route guard (which
/// cannot wait), unless it was recorded already, and marks it recorded. At once, or, when the
/// route's lookup has to be asked, once it has answered (the lookup still asks and caches; the
/// head is copied for that wait).
pub(crate) fn report_from_guard(ctx: &GuardContext<'_>, cors: &'static RouteCors) {
    if ctx.req_data().contains::<Reported>() {
        return;
    }
    ctx.req_data_mut().insert(Reported);
    let head = ctx.head();
    let fields = Fields::read(head);
    match resolve(cors, fields.origin, head) {
        Resolution::Now(answer) => report_head(head, cors, fields, answer),
        Resolution::Later(pending) => {
            let head = head.clone();
            actix_web::rt::spawn(async move {
                let answer = (*pending).await;
                report_head(&head, cors, Fields::read(&head), answer);
            });
        }
    }
}

/// Report-only mode: what the preflight `req` for `cors`'s route would get, counted and
/// logged; nothing is answered (the request goes on as if the route had no `#[cors]`).
pub(crate) fn report(
    req: &ServiceRequest,
    cors: &'static RouteCors,
    fields: Fields<'_>,
    answer: Answer,
) {
    report_head(req.head(), cors, fields, answer);
}

/// [`report`], from the request's head.
pub(crate) fn report_head(
    head: &RequestHead,
    cors: &RouteCors,
    fields: Fields<'_>,
    (verdict, _): Answer,
) {
    match judge(head.headers(), cors, fields, verdict) {
        Preflight::Allowed { .. } => cors.count(Kind::Preflight, Outcome::Allowed, Reason::None),
        Preflight::Denied(denial) => {
            cors.count(Kind::Preflight, Outcome::WouldRefuse, denial.reason());
            let reason = denial.explain(&cors.policy);
            let what = "would be refused (report-only: not answered)";
            log_denial(head.uri.path(), head.headers(), cors, fields, reason, what);
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
        target: LOG_TARGET,
        "CORS preflight refused for {}: {}",
        req.path(),
        reason,
    );
    refused(&reason, PREFLIGHT_VARY)
}

/// A refused preflight: `403`, the reason as a `text/plain` body, the preflight's `vary`, and
/// no `Access-Control-*` header.
fn refused(reason: &impl fmt::Display, vary: HeaderValue) -> HttpResponse {
    let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, refusal_body(reason));
    res.headers_mut().append(CONTENT_TYPE, TEXT_PLAIN);
    res.headers_mut().append(VARY, vary);
    res.map_into_boxed_body()
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
