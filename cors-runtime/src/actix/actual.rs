//! Actual (non-preflight) requests to a `#[cors]` route: what their response gets, and which
//! writes are refused before the route runs. Shared by the route's middleware and `CorsFirst`.

use std::fmt;

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderValue, CONTENT_TYPE, VARY};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse, ResponseError};

use super::headers::{allow_origin_value, Action};
use super::request::{fetch_site, own_authority, Fields};
use super::route_cors::RouteCors;
use crate::algorithm::{
    decide_actual, decide_write, Actual, Denial, Explained, RequestOrigin, WriteRequest,
};
use crate::grammar::is_safe_method;
use crate::log_target::LOG_TARGET;
use crate::lookup::Answer;

/// What the response of an actual request to `cors`'s route gets, decided with the verdict
/// about its origin, and why when the origin is refused.
#[inline]
pub(crate) fn decide<'h>(
    cors: &RouteCors,
    fields: Fields<'h>,
    (verdict, echo): Answer,
) -> (Action, RequestOrigin<'h>, Option<Denial<'h>>) {
    let origin = RequestOrigin::judged(fields.origin, verdict);
    let action = match decide_actual(&cors.policy, origin) {
        Actual::NotCors { vary } => Action::NotCors { vary },
        Actual::Allowed(allow) => {
            allow_origin_value(allow, echo, fields.first_origin).map_or(Action::Deny, Action::Allow)
        }
        Actual::Denied(denial) => return (Action::Deny, origin, Some(denial)),
    };
    (action, origin, None)
}

/// The log record of a refused request: what was refused, by which route, why, and what
/// becomes of the response (`then`).
pub(crate) struct Refusal<'a> {
    pub(crate) req: &'a ServiceRequest,
    pub(crate) cors: &'a RouteCors,
    pub(crate) reason: Explained<'a, 'a>,
    pub(crate) then: &'static str,
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CORS refused {} {} (route `{}`): {}; {}",
            self.req.method(),
            self.req.path(),
            self.cors.route,
            self.reason,
            self.then,
        )
    }
}

/// The refusal of a write (a request with an unsafe method) that [`decide_write`] refuses,
/// logged: an error whose response is `403` with the reason (see [`WriteRefused`]). `None`
/// lets the request through. An allowed origin may always write, so only a request whose
/// origin was not allowed is checked; a safe method or a policy that does not protect writes
/// costs these three tests.
#[inline]
pub(crate) fn refuse_write(
    req: &ServiceRequest,
    cors: &RouteCors,
    origin: RequestOrigin<'_>,
) -> Option<Error> {
    let method = req.method().as_str().as_bytes();
    if !cors.policy.protect_writes || origin.allowed().is_some() || is_safe_method(method) {
        return None;
    }
    check_write(req, cors, origin, method)
}

/// [`refuse_write`] for a write from an origin that is not allowed.
#[cold]
fn check_write(
    req: &ServiceRequest,
    cors: &RouteCors,
    origin: RequestOrigin<'_>,
    method: &[u8],
) -> Option<Error> {
    let request = WriteRequest {
        method,
        fetch_site: fetch_site(req.headers()),
        origin,
        host: own_authority(req.head()),
    };
    let denial = decide_write(&cors.policy, request)?;
    let reason = denial.explain(&cors.policy);
    log::info!(
        target: LOG_TARGET,
        "{}",
        Refusal {
            req,
            cors,
            reason,
            then: "the handler did not run",
        },
    );
    Some(Error::from(WriteRefused(reason.to_string())))
}

/// A cross-origin write refused before the handler: `403`, `text/plain`, the reason on one
/// line, and `Vary: Origin` (the answer depends on the origin). Returned as an `Err`, so that
/// it needs no response body type of its own; the middleware in front of the route sees it as
/// any other error.
#[derive(Debug)]
struct WriteRefused(String);

impl fmt::Display for WriteRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cross-origin write refused: {}", self.0)
    }
}

impl ResponseError for WriteRefused {
    fn status_code(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, format!("{self}\n"));
        res.headers_mut().append(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res.headers_mut()
            .append(VARY, HeaderValue::from_static("Origin"));
        res.map_into_boxed_body()
    }
}
