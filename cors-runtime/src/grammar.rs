//! The bits of HTTP grammar (RFC 9110) that the rules, the decisions and `cors-check` read
//! with: tokens and optional whitespace.

/// `tchar` of RFC 9110 §5.6.2: the bytes a header name or a method may be made of.
pub fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' |
        b'^' | b'_' | b'`' | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// `token` of RFC 9110 §5.6.2: one or more `tchar`.
///
/// ```
/// use cors_runtime::grammar::is_token;
///
/// assert!(is_token("x-request-id"));
/// assert!(!is_token("x request"));
/// assert!(!is_token(""));
/// ```
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// Trims HTTP optional whitespace (`OWS`: spaces and horizontal tabs) at both ends.
///
/// ```
/// use cors_runtime::grammar::trim_ows;
///
/// assert_eq!(trim_ows(b" \tcontent-type\t "), b"content-type");
/// ```
pub fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// Whether a method is safe: `GET`, `HEAD` and `OPTIONS` (compared byte for byte) never write.
pub fn is_safe_method(method: &[u8]) -> bool {
    matches!(method, b"GET" | b"HEAD" | b"OPTIONS")
}
