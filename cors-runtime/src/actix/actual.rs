//! Actual (non-preflight) requests to a `#[cors]` route: what their response gets, and which
//! writes and WebSocket handshakes are refused before the route runs. Shared by the route's middleware and `CorsFirst`.

use std::fmt;

use actix_web::dev::ServiceRequest;
use actix_web::http::header::{HeaderValue, CONTENT_TYPE, VARY};
use actix_web::http::{Method, StatusCode};
use actix_web::{Error, HttpResponse, ResponseError};

use super::headers::{allow_origin_value, Action};
use super::request::{fetch_site, own_authority, upgrade, Fields};
use super::route_cors::RouteCors;
use crate::algorithm::{
    decide_actual, decide_handshake, decide_write, is_handshake, Actual, Denial, Explained, Field,
    HandshakeRequest, Kind, Outcome, Reason, RequestOrigin, WriteRequest,
};
use crate::grammar::is_safe_method;
use crate::log_target::LOG_TARGET;
use crate::lookup::Answer;
use crate::report_only::ReportOnly;

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
    /// Report-only mode: the request would have been refused ("CORS would refuse ...").
    pub(crate) spared: bool,
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.spared {
            "would refuse"
        } else {
            "refused"
        };
        write!(
            f,
            "CORS {verb} {} {} (route `{}`): {}; {}",
            self.req.method(),
            self.req.path(),
            self.cors.route,
            self.reason,
            self.then,
        )
    }
}

/// What becomes of a request before its route's handler: see [`refuse`].
pub(crate) enum Before {
    /// It goes on to the handler.
    Pass,
    /// It is refused (counted and logged): the error's response is `403` with the reason.
    Refuse(Error),
    /// It would be refused, but the route reports writes only (counted and logged): it goes on.
    Spared,
}

/// What a route refuses before its handler runs: a write (a request with an unsafe method)
/// that [`decide_write`] refuses, or a WebSocket handshake that [`decide_handshake`] refuses;
/// an error whose response is `403` with the reason (see [`Refused`]), or, when `mode` spares
/// writes, a record that it would have been. An allowed origin is never refused, nor is a
/// `GET` without `Origin`, so an allowed request costs one test here, and only a request whose
/// origin was not allowed reads another header.
#[inline]
pub(crate) fn refuse(
    req: &ServiceRequest,
    cors: &RouteCors,
    origin: RequestOrigin<'_>,
    mode: ReportOnly,
) -> Before {
    if origin.allowed().is_some() {
        return Before::Pass;
    }
    if *req.method() == Method::GET {
        if origin.field() == Field::Absent {
            return Before::Pass;
        }
        return check_handshake(req, cors, origin, mode);
    }
    let method = req.method().as_str().as_bytes();
    if !cors.policy.protect_writes || is_safe_method(method) {
        return Before::Pass;
    }
    check_write(req, cors, origin, method, mode)
}

/// Counts the decision about an actual request to `cors`'s route (not one without `Origin`):
/// allowed, or refused for `denial` (only reported in `mode` [`ReportOnly::Everything`]).
#[inline]
pub(crate) fn count(
    cors: &RouteCors,
    action: &Action,
    denial: Option<Denial<'_>>,
    mode: ReportOnly,
) {
    match (action, denial) {
        (Action::NotCors { .. }, _) => {}
        (Action::Allow(_), _) => cors.count(Kind::Actual, Outcome::Allowed, Reason::None),
        (Action::Deny, denial) => {
            let outcome = if mode.spares_everything() {
                Outcome::WouldRefuse
            } else {
                Outcome::Refused
            };
            cors.count(
                Kind::Actual,
                outcome,
                denial.map_or(Reason::Origin, |d| d.reason()),
            );
        }
    }
}

/// [`refuse`] for a write from an origin that is not allowed.
#[cold]
fn check_write(
    req: &ServiceRequest,
    cors: &RouteCors,
    origin: RequestOrigin<'_>,
    method: &[u8],
    mode: ReportOnly,
) -> Before {
    let request = WriteRequest {
        method,
        fetch_site: fetch_site(req.headers()),
        origin,
        host: own_authority(req.head()),
    };
    let Some(denial) = decide_write(&cors.policy, request) else {
        return Before::Pass;
    };
    refused(
        req,
        cors,
        (Kind::Write, denial),
        "cross-origin write",
        "the handler did not run",
        mode,
    )
}

/// [`refuse`] for a `GET` with an `Origin` that is not allowed: a WebSocket handshake from it
/// is refused before the upgrade.
#[cold]
fn check_handshake(
    req: &ServiceRequest,
    cors: &RouteCors,
    origin: RequestOrigin<'_>,
    mode: ReportOnly,
) -> Before {
    let headers = req.headers();
    // Most such requests are plain `GET`s: the other fields are read only for a handshake.
    if !is_handshake(b"GET", upgrade(headers)) {
        return Before::Pass;
    }
    let request = HandshakeRequest {
        method: b"GET",
        upgrade: upgrade(headers),
        fetch_site: fetch_site(headers),
        origin,
        host: own_authority(req.head()),
    };
    let Some(denial) = decide_handshake(request) else {
        return Before::Pass;
    };
    refused(
        req,
        cors,
        (Kind::Handshake, denial),
        "cross-origin WebSocket handshake",
        "the connection was not upgraded and the handler did not run",
        mode,
    )
}

/// Counts and logs the refusal of `what` (a decision of `kind`) for `denial`, and makes its
/// error; or, when `mode` spares writes, counts and logs that it would have been refused.
fn refused(
    req: &ServiceRequest,
    cors: &RouteCors,
    (kind, denial): (Kind, Denial<'_>),
    what: &'static str,
    then: &'static str,
    mode: ReportOnly,
) -> Before {
    let reason = denial.explain(&cors.policy);
    if mode.spares_writes() {
        cors.count(kind, Outcome::WouldRefuse, denial.reason());
        log::info!(
            target: LOG_TARGET,
            "{}",
            Refusal {
                req,
                cors,
                reason,
                then: SPARED,
                spared: true,
            },
        );
        return Before::Spared;
    }
    cors.count(kind, Outcome::Refused, denial.reason());
    log::info!(
        target: LOG_TARGET,
        "{}",
        Refusal {
            req,
            cors,
            reason,
            then,
            spared: false,
        },
    );
    Before::Refuse(Error::from(Refused {
        what,
        reason: reason.to_string(),
    }))
}

/// The end of the record of a refusal that report-only mode spared.
const SPARED: &str = "report-only: it goes on to the handler";

/// A request refused before the handler (a cross-origin write, a WebSocket handshake): `403`,
/// `text/plain`, what was refused and why on one line, and `Vary: Origin` (the answer depends
/// on the origin). Returned as an `Err`, so that it needs no response body type of its own;
/// the middleware in front of the route sees it as any other error.
#[derive(Debug)]
struct Refused {
    what: &'static str,
    reason: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} refused: {}", self.what, self.reason)
    }
}

impl ResponseError for Refused {
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
