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

/// `origin` as a function or a lookup sees it: printable ASCII (`' '` to `'~'`, so valid
/// UTF-8 with no control character) of at most [`MAX_ASKED_ORIGIN_LEN`] bytes; `None` for
/// anything else.
///
/// ```
/// use cors_runtime::askable_origin;
///
/// assert_eq!(askable_origin(b"https://acme.example"), Some("https://acme.example"));
/// assert_eq!(askable_origin(b"null"), Some("null"));
/// assert_eq!(askable_origin(b"https://\xff.example"), None);
/// assert_eq!(askable_origin(b"https://\x00.example"), None);
/// assert_eq!(askable_origin(b"https://a\tb.example"), None);
/// assert_eq!(askable_origin(&[b'a'; 301]), None);
/// ```
pub fn askable_origin(origin: &[u8]) -> Option<&str> {
    if origin.len() > MAX_ASKED_ORIGIN_LEN || !printable(origin) {
        return None;
    }
    std::str::from_utf8(origin).ok()
}

/// Every byte is in `0x20..=0x7e`: eight bytes at a time (each test is exact: a byte's carry
/// only reaches its neighbour when that byte is already out of range), then the rest.
fn printable(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let above_tilde = (x.wrapping_add(ONES) | x) & HIGH;
        if below_space | above_tilde != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|b| (b' '..=b'~').contains(b))
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

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn printable_agrees_with_a_byte_by_byte_check_for_every_byte_at_every_position() {
        for len in 1..=17 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let expected = bytes.iter().all(|b| (b' '..=b'~').contains(b));
                    assert_eq!(printable(&bytes), expected, "{bytes:?}");
                }
            }
        }
        // Pairs of neighbours, for carries between bytes.
        for a in 0..=255u8 {
            for b in [0x00, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xff] {
                let bytes = [b'a', b'a', b'a', a, b, b'a', b'a', b'a'];
                let expected = bytes.iter().all(|b| (b' '..=b'~').contains(b));
                assert_eq!(printable(&bytes), expected, "{bytes:?}");
            }
        }
    }
}
