//! The Fetch standard's rules on what a script asks for: forbidden methods and request
//! headers (which `fetch()` refuses or drops), the methods it normalizes, and the
//! CORS-safelisted methods and request-headers (with their value rules), which need no
//! preflight.

use cors_runtime::grammar::is_token;
use cors_runtime::rules::FORBIDDEN_REQUEST_HEADERS;

/// The CORS-safelisted methods: a request with another method needs a preflight.
pub const SAFELISTED_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// The MIME types whose `Content-Type` needs no preflight.
const SAFELISTED_CONTENT_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// `fetch()` uppercases these methods when written in any case; any other method is sent as
/// written (so `patch` stays `patch`).
pub fn normalize_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    NORMALIZED
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .map_or_else(|| method.to_owned(), |m| (*m).to_owned())
}

/// A forbidden method: `fetch()` refuses it.
pub fn is_forbidden_method(method: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// A forbidden request-header: the browser sets it itself, and `Headers` silently drops it.
pub fn is_forbidden_header(lower: &str, value: &[u8]) -> bool {
    if FORBIDDEN_REQUEST_HEADERS.contains(&lower)
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-")
    {
        return true;
    }
    matches!(
        lower,
        "x-http-method" | "x-http-method-override" | "x-method-override"
    ) && value
        .split(|&b| b == b',')
        .any(|m| is_forbidden_method(String::from_utf8_lossy(trim(m)).as_ref()))
}

fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

/// `v` without HTTP whitespace (space, tab, CR, LF) at either end.
pub fn trim(mut v: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = v {
        if !is_http_whitespace(*first) {
            break;
        }
        v = rest;
    }
    while let [rest @ .., last] = v {
        if !is_http_whitespace(*last) {
            break;
        }
        v = rest;
    }
    v
}

/// A byte named in a message: `"` for a printable one, `0x7F` for any other.
fn byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else if b == b' ' {
        "` ` (a space)".to_owned()
    } else {
        format!("0x{b:02X}")
    }
}

/// A CORS-unsafe request-header byte.
fn is_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b"\"():<>?@[\\]{}\x7f".contains(&b)
}

/// The essence (`type/subtype`, lowercase) of a MIME type, or `None` if it does not parse.
fn mime_essence(value: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(value).ok()?;
    let essence = text.split(';').next().unwrap_or_default();
    let essence = std::str::from_utf8(trim(essence.as_bytes())).ok()?;
    let (ty, sub) = essence.split_once('/')?;
    let sub = std::str::from_utf8(trim(sub.as_bytes())).ok()?;
    (is_token(ty) && is_token(sub)).then(|| format!("{ty}/{sub}").to_ascii_lowercase())
}

/// A simple range header value whose first part is present: `bytes=N-` or `bytes=N-M`.
fn is_simple_range(value: &[u8]) -> bool {
    let Some(rest) = value
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case(b"bytes="))
        .map(|_| &value[6..])
    else {
        return false;
    };
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let Some(dash) = rest.iter().position(|&b| b == b'-') else {
        return false;
    };
    let (start, end) = (&rest[..dash], &rest[dash + 1..]);
    if start.is_empty() || !digits(start) || !digits(end) {
        return false;
    }
    if end.is_empty() {
        return true;
    }
    let num = |s: &[u8]| -> Option<u128> { std::str::from_utf8(s).ok()?.parse().ok() };
    match (num(start), num(end)) {
        (Some(s), Some(e)) => s <= e,
        _ => false,
    }
}

/// Whether `(name, value)` is a CORS-safelisted request-header; the reason when it is not.
pub fn safelisted(lower: &str, value: &[u8]) -> Result<(), String> {
    if !matches!(
        lower,
        "accept" | "accept-language" | "content-language" | "content-type" | "range"
    ) {
        return Err(
            "only accept, accept-language, content-language, content-type and range can be".into(),
        );
    }
    if value.len() > 128 {
        return Err(format!("its value is {} bytes long, over 128", value.len()));
    }
    match lower {
        "accept" | "content-type" => {
            if let Some(b) = value.iter().find(|&&b| is_unsafe_byte(b)) {
                return Err(format!(
                    "its value contains the byte {}, which only a preflighted request may carry",
                    byte(*b)
                ));
            }
            if lower == "content-type" {
                match mime_essence(value) {
                    Some(essence) if SAFELISTED_CONTENT_TYPES.contains(&essence.as_str()) => {}
                    Some(essence) => {
                        return Err(format!("its MIME type is {essence}, not one of application/x-www-form-urlencoded, multipart/form-data, text/plain"))
                    }
                    None => return Err("its value is not a MIME type".into()),
                }
            }
        }
        "accept-language" | "content-language" => {
            if let Some(b) = value
                .iter()
                .find(|&&b| !(b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)))
            {
                return Err(format!(
                    "its value contains {}; only letters, digits, space and *,-.;= can be there",
                    byte(*b)
                ));
            }
        }
        _ => {
            if !is_simple_range(value) {
                return Err(
                    "its value is not a single range with a start (bytes=N- or bytes=N-M)".into(),
                );
            }
        }
    }
    Ok(())
}
