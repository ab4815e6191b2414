//! What a function or a lookup answered about one request's origin.

use std::fmt;

/// The answer about one request's origin from the function or the lookup a policy names
/// (`origins = FUNCTION` or `origins = LOOKUP`). Only [`Verdict::Allowed`] allows the origin;
/// every other verdict refuses it, and says why in the refusal's log record and `403` body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The function (or lookup) allowed the origin.
    Allowed,
    /// The function (or lookup) refused the origin.
    Refused,
    /// The `Origin` value is not printable ASCII, or is longer than [`MAX_ASKED_ORIGIN_LEN`]
    /// bytes (no origin a browser sends is): refused without asking.
    Unreadable,
    /// The lookup returned an error (logged when it happened).
    Failed,
    /// The lookup did not answer within its time limit.
    TimedOut,
    /// So many lookups were in flight that this one was not started.
    Overloaded,
    /// The lookup's function was never installed.
    NotInstalled,
}

/// The longest `Origin` value a function or a lookup is asked about: a scheme, `://`, a host
/// name of at most 253 bytes and a port fit in it with room to spare.
pub const MAX_ASKED_ORIGIN_LEN: usize = 300;

/// `origin` as a function or a lookup sees it: printable ASCII (as `HeaderValue::to_str`
/// reads a header: visible characters, space and tab; so valid UTF-8, with no control
/// character) and at most [`MAX_ASKED_ORIGIN_LEN`] bytes; `None` for anything else.
///
/// ```
/// use cors_runtime::askable_origin;
///
/// assert_eq!(askable_origin(b"https://acme.example"), Some("https://acme.example"));
/// assert_eq!(askable_origin(b"null"), Some("null"));
/// assert_eq!(askable_origin(b"https://\xff.example"), None);
/// assert_eq!(askable_origin(b"https://\x00.example"), None);
/// assert_eq!(askable_origin(&[b'a'; 301]), None);
/// ```
pub fn askable_origin(origin: &[u8]) -> Option<&str> {
    if origin.len() > MAX_ASKED_ORIGIN_LEN
        || !origin
            .iter()
            .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    std::str::from_utf8(origin).ok()
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Allowed => "it allowed the origin",
            Verdict::Refused => "it refused the origin",
            Verdict::Unreadable => {
                "the origin was not asked about: it is not visible ASCII or is over 300 bytes"
            }
            Verdict::Failed => {
                "the lookup failed (its error was logged), and a failed lookup refuses"
            }
            Verdict::TimedOut => {
                "the lookup did not answer within its time limit, and a late lookup refuses"
            }
            Verdict::Overloaded => "too many lookups were in flight, so this one was not started",
            Verdict::NotInstalled => "the lookup's function was never installed",
        })
    }
}
