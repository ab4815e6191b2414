//! The requests Chromium sends for a [`Plan`]: the preflight and the request itself, their
//! header fields in Chromium's order.

use super::plan::Plan;
use crate::net::request::Request;
use crate::url::Target;

/// The preflight Chromium sends.
pub fn preflight(target: &Target, origin: &str, plan: &Plan) -> Request {
    let mut fields = vec![
        ("Accept".to_owned(), b"*/*".to_vec()),
        (
            "Access-Control-Request-Method".to_owned(),
            plan.method.clone().into_bytes(),
        ),
    ];
    if let Some(names) = plan.request_headers_value() {
        fields.push((
            "Access-Control-Request-Headers".to_owned(),
            names.into_bytes(),
        ));
    }
    fields.extend(fetch_fields(origin));
    Request::new(target, "OPTIONS", fields, Vec::new())
}

/// The actual request: the script's headers, and what the browser adds (no cookies: this is
/// not a browser with a cookie jar).
pub fn actual(target: &Target, origin: &str, plan: &Plan) -> Request {
    let mut fields = plan.headers.clone();
    if !plan
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
    {
        fields.push(("Accept".to_owned(), b"*/*".to_vec()));
    }
    fields.extend(fetch_fields(origin));
    let body = plan.body.clone().unwrap_or_default();
    if !matches!(plan.method.as_str(), "GET" | "HEAD") {
        fields.push((
            "Content-Length".to_owned(),
            body.len().to_string().into_bytes(),
        ));
    }
    Request::new(target, plan.method.clone(), fields, body)
}

/// The fields a browser adds to both: who asks, and in which mode.
fn fetch_fields(origin: &str) -> [(String, Vec<u8>); 3] {
    [
        ("Origin".to_owned(), origin.as_bytes().to_vec()),
        (
            "User-Agent".to_owned(),
            format!("cors-check/{}", env!("CARGO_PKG_VERSION")).into_bytes(),
        ),
        ("Sec-Fetch-Mode".to_owned(), b"cors".to_vec()),
    ]
}
