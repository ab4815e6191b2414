//! Writing CORS headers into a response.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    self, HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, VARY,
};
use actix_web::Error;

use super::route_cors::RouteCors;
use crate::algorithm::AllowOrigin;
use crate::grammar::trim_ows;

pub(crate) const ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");
pub(crate) const TRUE: HeaderValue = HeaderValue::from_static("true");
pub(crate) const STAR: HeaderValue = HeaderValue::from_static("*");
const ORIGIN: HeaderValue = HeaderValue::from_static("Origin");

/// The `Access-Control-Allow-Origin` value of an allowed request: `*`, or the echo of its
/// origin: the ready-made value the resolver found (`echo`), else the request's own first
/// `Origin` value. `None` only for an echo without an `Origin`, which no decision allows.
pub(crate) fn allow_origin_value(
    allow: AllowOrigin,
    echo: Option<HeaderValue>,
    first_origin: Option<&HeaderValue>,
) -> Option<HeaderValue> {
    match allow {
        AllowOrigin::Any => Some(STAR),
        AllowOrigin::Echo => echo.or_else(|| first_origin.cloned()),
    }
}

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

/// Applies `action` to a response's headers.
///
/// Headers known to be absent are added with `HeaderMap::append`, which writes the one new
/// entry; `insert` would also move out and drop the (absent) previous values, and a header
/// value list is large (room for four values inline), so that is most of a header's cost.
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
            // After this, no `Access-Control-*` header is left: `append` adds each one alone.
            let set = HandlerSet::scan(headers);
            if set.cors {
                remove_cors_headers(headers);
            }
            headers.append(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if policy.credentials {
                headers.append(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
            }
            if let Some(expose) = &cors.expose {
                headers.append(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
            }
            if policy.varies_by_origin() {
                set.add_vary_origin(headers);
            }
        }
        Action::Deny => {
            let set = HandlerSet::scan(headers);
            if set.cors {
                remove_cors_headers(headers);
            }
            set.add_vary_origin(headers);
        }
    }
}

/// What the handler's response already has, found in one pass over its header names (which
/// costs less than looking `Vary` up by itself, on top of the pass that looks for
/// `Access-Control-*` names).
struct HandlerSet {
    /// Some `Access-Control-*` header.
    cors: bool,
    /// `Vary`.
    vary: bool,
}

impl HandlerSet {
    fn scan(headers: &HeaderMap) -> Self {
        let mut set = HandlerSet {
            cors: false,
            vary: false,
        };
        for name in headers.keys() {
            if *name == VARY {
                set.vary = true;
            } else if is_cors(name) {
                set.cors = true;
            }
        }
        set
    }

    /// [`add_vary_origin`], knowing whether `Vary` is there.
    fn add_vary_origin(&self, headers: &mut HeaderMap) {
        if self.vary {
            add_vary_origin(headers);
        } else {
            headers.append(VARY, ORIGIN);
        }
    }
}

fn is_cors(name: &HeaderName) -> bool {
    name.as_str().starts_with("access-control-")
}

/// Removes every `Access-Control-*` header (collecting their names allocates: it is called
/// only when the handler set some).
fn remove_cors_headers(headers: &mut HeaderMap) {
    let set_by_handler: Vec<HeaderName> = headers
        .keys()
        .filter(|name| is_cors(name))
        .cloned()
        .collect();
    for name in set_by_handler {
        headers.remove(name);
    }
}

/// Whether `Vary` names `Origin` or is `*`.
fn vary_covers_origin(headers: &HeaderMap) -> bool {
    headers.get_all(VARY).any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|item| {
            let item = trim_ows(item);
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
    })
}

/// Whether a response to a request with `Origin` already went through a route's CORS headers:
/// the route's middleware always leaves `Access-Control-Allow-Origin` (allowed) or
/// `Vary: Origin` (refused) on such a response. An answer made before the route (a `401` of
/// an authentication middleware) has neither, unless whatever made it said something about
/// CORS itself, which is then left as it is.
pub(crate) fn carries_cors(headers: &HeaderMap) -> bool {
    headers.contains_key(ACCESS_CONTROL_ALLOW_ORIGIN) || vary_covers_origin(headers)
}

/// Adds `Origin` to `Vary`, keeping what is there: nothing to do when `Vary` already names
/// `Origin` or is `*`; one combined value when the handler set `Vary` itself.
pub(crate) fn add_vary_origin(headers: &mut HeaderMap) {
    if !headers.contains_key(VARY) {
        headers.append(VARY, ORIGIN);
        return;
    }
    if vary_covers_origin(headers) {
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

/// Calls `f` with `state` on the headers of the response `result` is, or will become: at once
/// for a response; for an error (an inner middleware failed), which becomes a response later,
/// on its way out, through a response mapper (which clones `state`, so that a response pays no
/// clone).
#[inline]
pub(crate) fn on_response<B, T: Clone + 'static>(
    result: Result<ServiceResponse<B>, Error>,
    state: T,
    f: fn(&mut HeaderMap, T),
) -> Result<ServiceResponse<B>, Error> {
    match result {
        Ok(mut res) => {
            f(res.headers_mut(), state);
            Ok(res)
        }
        Err(mut err) => {
            err.add_response_mapper(move |mut res| {
                f(res.headers_mut(), state.clone());
                res
            });
            Err(err)
        }
    }
}
