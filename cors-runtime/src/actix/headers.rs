//! Writing CORS headers into a response.

use actix_web::http::header::{
    self, HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};

use super::route_cors::RouteCors;
use crate::algorithm::trim_ows;

pub(crate) const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
pub(crate) const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) const STAR: HeaderValue = HeaderValue::from_static("*");
const ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// What to do to the response of an actual request.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// Not a CORS request: add `Vary: Origin` if the answer would have depended on it.
    NotCors { vary: bool },
    /// Allowed: this `Access-Control-Allow-Origin` and the policy's other headers.
    Allow(HeaderValue),
    /// Refused: no `Access-Control-*` header, `Vary: Origin`.
    Deny,
}

pub(crate) fn apply(headers: &mut HeaderMap, action: Action, cors: &RouteCors) {
    let policy = &cors.policy;
    match action {
        Action::NotCors { vary } => {
            if vary {
                add_vary_origin(headers);
            }
        }
        Action::Allow(origin) => {
            // Only the policy speaks: exactly one of each header, none the handler set itself.
            remove_cors_headers(headers);
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if policy.credentials {
                headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &cors.expose {
                headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
            if policy.varies_by_origin() {
                add_vary_origin(headers);
            }
        }
        Action::Deny => {
            remove_cors_headers(headers);
            add_vary_origin(headers);
        }
    }
}

/// Removes every `Access-Control-*` header (collecting the names allocates only when the
/// handler set some).
fn remove_cors_headers(headers: &mut HeaderMap) {
    let set_by_handler: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for name in set_by_handler {
        headers.remove(name);
    }
}

/// Adds `Origin` to `Vary`, keeping what is there: nothing to do when `Vary` already names
/// `Origin` or is `*`; one combined value when the handler set `Vary` itself.
pub(crate) fn add_vary_origin(headers: &mut HeaderMap) {
    let mut existing = headers.get_all(VARY).peekable();
    if existing.peek().is_none() {
        headers.insert(VARY, ORIGIN);
        return;
    }
    let covered = headers.get_all(VARY).any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|item| {
            let item = trim_ows(item);
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    });
    if covered {
        return;
    }
    let mut merged = Vec::new();
    for v in headers.get_all(VARY) {
        merged.extend_from_slice(v.as_bytes());
        merged.extend_from_slice(b", ");
    }
    merged.extend_from_slice(b"Origin");
    if let Ok(value) = HeaderValue::from_bytes(&merged) {
        headers.insert(header::VARY, value);
    }
}
