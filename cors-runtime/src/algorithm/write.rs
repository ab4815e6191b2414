//! Cross-origin writes: which requests with an unsafe method a route refuses before its
//! handler runs, from what the browser says about where they come from.
//!
//! See [`decide_write`].

use super::decision::Denial;
use super::fields::Field;
use super::origin::RequestOrigin;
use crate::grammar::is_safe_method;
use crate::policy::Policy;

/// What a request with an unsafe method says about where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct WriteRequest<'a> {
    /// The method, as sent.
    pub method: &'a [u8],
    /// The `Sec-Fetch-Site` field(s).
    pub fetch_site: Field<'a>,
    /// The `Origin` field(s), resolved.
    pub origin: RequestOrigin<'a>,
    /// The request's own authority: its `Host` field, or the URI's authority (HTTP/2).
    pub host: Option<&'a [u8]>,
}

/// Decides whether a route with `policy` refuses `request` as a cross-origin write: `None`
/// lets it through, `Some(denial)` refuses it. A policy whose writes are not protected
/// ([`Policy::protects_writes`]) refuses nothing, and nor does a safe method.
///
/// CORS decides what a page may *read*; a page can still *send* a simple request (a form post,
/// a `fetch()` with a form or `text/plain` body) to any origin, with the user's cookies where
/// they are sent, and the handler runs. A `#[cors]` route already names the origins it trusts,
/// so it refuses writes from the others, before the handler runs:
///
/// | `Sec-Fetch-Site` | `Origin` | unsafe method (not GET, HEAD, OPTIONS) |
/// |---|---|---|
/// | `same-origin`, `none` | any | passes |
/// | `same-site`, `cross-site` | allowed by the policy | passes |
/// | `same-site`, `cross-site` | refused, `null` (unless listed), absent, several | **refused** |
/// | absent (or another value) | absent | passes (not a browser) |
/// | absent (or another value) | the request's own origin (its `Host`) or allowed | passes |
/// | absent (or another value) | any other, or several | **refused** |
///
/// Browsers send `Sec-Fetch-Site` (Chrome 76, Firefox 90, Safari 16.4 and later) and the
/// `Origin` of every request with an unsafe method. The own-origin comparison is only needed
/// for older browsers; it compares the origin's host and port with the request's `Host` (or
/// its HTTP/2 `:authority`), not its scheme, which a TLS-terminating proxy changes.
///
/// ```
/// use cors_runtime::{decide_write, rules::{validate, PolicyInput}, Field, Policy, RequestOrigin, WriteRequest};
///
/// let policy = Policy::from_valid(&validate(&PolicyInput {
///     origins: &["https://app.example.com"],
///     route_methods: &["POST"],
///     ..PolicyInput::default()
/// }).unwrap());
/// let form = |origin: &'static [u8], site: &'static [u8]| WriteRequest {
///     method: b"POST",
///     fetch_site: Field::One(site),
///     origin: RequestOrigin::of(&policy, Field::One(origin)),
///     host: Some(b"api.example.com"),
/// };
/// assert!(decide_write(&policy, form(b"https://app.example.com", b"same-site")).is_none());
/// assert!(decide_write(&policy, form(b"https://evil.example", b"cross-site")).is_some());
/// assert!(decide_write(&policy, form(b"https://api.example.com", b"same-origin")).is_none());
/// ```
pub fn decide_write<'a>(policy: &Policy, request: WriteRequest<'a>) -> Option<Denial<'a>> {
    if !policy.protect_writes || is_safe_method(request.method) {
        return None;
    }
    let origin = request.origin;
    match request.fetch_site {
        Field::One(b"same-origin" | b"none") => None,
        Field::One(site @ (b"same-site" | b"cross-site")) => match origin.allowed() {
            Some(_) => None,
            None => Some(Denial::CrossSiteWrite { site, origin }),
        },
        // No Fetch Metadata (an older browser, or not a browser), or a value this crate does
        // not know: the `Origin` decides.
        _ => match origin.field() {
            Field::Absent => None,
            Field::One(o) if origin.allowed().is_some() || is_own(o, request.host) => None,
            _ => Some(Denial::ForeignWrite {
                origin,
                host: request.host,
            }),
        },
    }
}

/// Whether `origin` (`scheme://host[:port]`) names the server the request was sent to: its host
/// and port equal `host` (case-insensitively), a default port (`:80` for `http`, `:443` for
/// `https`) written or not.
pub(super) fn is_own(origin: &[u8], host: Option<&[u8]>) -> bool {
    let Some(host) = host else { return false };
    let (default_port, authority): (&[u8], &[u8]) =
        if let Some(rest) = origin.strip_prefix(b"https://") {
            (b":443", rest)
        } else if let Some(rest) = origin.strip_prefix(b"http://") {
            (b":80", rest)
        } else {
            return false;
        };
    let bare = |a: &'_ [u8]| -> usize {
        if a.ends_with(default_port) {
            a.len() - default_port.len()
        } else {
            a.len()
        }
    };
    let (authority, host) = (&authority[..bare(authority)], &host[..bare(host)]);
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::is_own;

    #[test]
    fn own_origin_compares_host_and_port_not_scheme() {
        assert!(is_own(b"https://api.example.com", Some(b"api.example.com")));
        assert!(is_own(b"http://api.example.com", Some(b"API.example.com")));
        assert!(is_own(
            b"https://api.example.com",
            Some(b"api.example.com:443")
        ));
        assert!(is_own(
            b"https://api.example.com:443",
            Some(b"api.example.com")
        ));
        assert!(is_own(b"http://127.0.0.1:8080", Some(b"127.0.0.1:8080")));
        assert!(!is_own(b"http://127.0.0.1:8081", Some(b"127.0.0.1:8080")));
        assert!(!is_own(
            b"https://api.example.com.evil",
            Some(b"api.example.com")
        ));
        assert!(!is_own(b"null", Some(b"null")));
        assert!(!is_own(b"https://", Some(b"")));
        assert!(!is_own(b"https://api.example.com", None));
    }
}
