//! The CORS fields of a request, read once per decision: as raw bytes, counted, never
//! trusted.

use actix_web::dev::RequestHead;
use actix_web::http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, HOST, ORIGIN, UPGRADE,
};
use actix_web::http::Method;

use crate::algorithm::Field;

/// `Access-Control-Request-Private-Network` (Private Network Access).
const REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
/// `Sec-Fetch-Site` (Fetch Metadata).
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// What every decision reads: the `Origin` field(s) and, for an `OPTIONS` request, the
/// `Access-Control-Request-Method` field(s) (a preflight has both).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'h> {
    /// The first `Origin` value: the one echoed when the origin is allowed.
    pub(crate) first_origin: Option<&'h HeaderValue>,
    /// The `Origin` field(s).
    pub(crate) origin: Field<'h>,
    /// The `Access-Control-Request-Method` field(s) of an `OPTIONS` request; `Absent` for
    /// any other method (it is not looked up).
    pub(crate) method: Field<'h>,
}

impl<'h> Fields<'h> {
    /// Reads the fields of `head`: one look-up for `Origin`, and one more for an `OPTIONS`
    /// request.
    #[inline]
    pub(crate) fn read(head: &'h RequestHead) -> Self {
        let headers = head.headers();
        let mut values = headers.get_all(ORIGIN);
        let first_origin = values.next();
        let origin = match (first_origin, values.next()) {
            (None, _) => Field::Absent,
            (Some(origin), None) => Field::One(origin.as_bytes()),
            (Some(_), Some(_)) => Field::Several,
        };
        let method = match head.method == Method::OPTIONS && origin != Field::Absent {
            true => Field::from_values(
                headers
                    .get_all(ACCESS_CONTROL_REQUEST_METHOD)
                    .map(HeaderValue::as_bytes),
            ),
            false => Field::Absent,
        };
        Fields {
            first_origin,
            origin,
            method,
        }
    }

    /// Whether the request is a CORS preflight: `OPTIONS` with `Origin` and
    /// `Access-Control-Request-Method`.
    pub(crate) fn is_preflight(&self) -> bool {
        self.method != Field::Absent
    }
}

/// Every `Access-Control-Request-Headers` field of a preflight.
pub(crate) fn requested_headers(headers: &HeaderMap) -> impl Iterator<Item = &[u8]> + Clone {
    headers
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .map(HeaderValue::as_bytes)
}

/// Whether a preflight asks for private-network access
/// (`Access-Control-Request-Private-Network: true`).
pub(crate) fn asks_private_network(headers: &HeaderMap) -> bool {
    headers
        .get(REQUEST_PRIVATE_NETWORK)
        .is_some_and(|v| v.as_bytes() == b"true")
}

/// The `Sec-Fetch-Site` field(s).
pub(crate) fn fetch_site(headers: &HeaderMap) -> Field<'_> {
    Field::from_values(headers.get_all(SEC_FETCH_SITE).map(HeaderValue::as_bytes))
}

/// Every `Upgrade` field (a WebSocket handshake names `websocket` there).
pub(crate) fn upgrade(headers: &HeaderMap) -> impl Iterator<Item = &[u8]> {
    headers.get_all(UPGRADE).map(HeaderValue::as_bytes)
}

/// The request's own authority: its `Host` field, or the URI's authority (HTTP/2).
pub(crate) fn own_authority(head: &RequestHead) -> Option<&[u8]> {
    head.headers()
        .get(HOST)
        .map(HeaderValue::as_bytes)
        .or_else(|| head.uri.authority().map(|a| a.as_str().as_bytes()))
}
