//! Rules for the `headers` (request) and `expose` (response) lists.

use super::RuleError;
use crate::grammar::is_token;

/// Request headers that no script can set (Fetch standard, "forbidden request-header"), so
/// allowing them in a preflight has no effect. Names starting with `proxy-` or `sec-` are
/// forbidden too.
pub const FORBIDDEN_REQUEST_HEADERS: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

fn check_token(name: &str, what: &str) -> Result<(), RuleError> {
    if name.is_empty() {
        return Err(RuleError::new(
            format!("empty {what} name"),
            "remove the empty string",
        ));
    }
    if !is_token(name) {
        return Err(RuleError::new(
            format!("`{name}` is not a valid {what} name: a header name is a token (letters, digits and !#$%&'*+-.^_`|~, no spaces, colons or commas)"),
            "write one header name per string, for example \"x-request-id\"",
        ));
    }
    Ok(())
}

/// Checks one name of the `headers` list (request headers a preflight may ask for).
pub fn check_request_header(name: &str) -> Result<(), RuleError> {
    check_token(name, "request header")?;
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
    {
        return Err(RuleError::new(
            format!("`{name}` is a forbidden request header: browsers set it themselves and no script can send it, so allowing it has no effect"),
            if lower == "cookie" {
                "remove it; to let cookies through, add the `credentials` flag"
            } else {
                "remove it from `headers`"
            },
        ));
    }
    Ok(())
}

/// Checks one name of the `expose` list (response headers scripts may read).
pub fn check_exposed_header(name: &str) -> Result<(), RuleError> {
    check_token(name, "response header")?;
    let lower = name.to_ascii_lowercase();
    if lower == "set-cookie" || lower == "set-cookie2" {
        return Err(RuleError::new(
            format!("`{name}` can never be exposed: browsers hide it from scripts whatever the server says"),
            "remove it from `expose`; cookies reach the browser with the `credentials` flag",
        ));
    }
    Ok(())
}
