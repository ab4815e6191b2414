//! Values from outside (request header fields, configured origins) quoted in messages and log
//! records: cut to a limit and escaped, so that hostile input can neither forge lines nor grow
//! them without bound. The one quoting helper of the workspace: the runtime's explanations and
//! start-up errors and `cors-check`'s report all use it.

use std::fmt;

/// At most this many bytes of a request's header value are quoted in an explanation.
pub const REQUEST_VALUE_LIMIT: usize = 128;

/// A value quoted for a message: see the constructors for each form.
///
/// ```
/// use cors_runtime::text::Quoted;
///
/// assert_eq!(Quoted::bytes(b"caf\xc3\xa9\n", 64).to_string(), "caf\\xc3\\xa9\\x0a");
/// assert_eq!(Quoted::bytes(b"abcdef", 3).to_string(), "abc…");
/// assert_eq!(Quoted::debug("a\"b", 64).to_string(), "\"a\\\"b\"");
/// assert_eq!(Quoted::debug("abcdef", 3).to_string(), "\"abc\" (first 3 of 6 bytes)");
/// assert_eq!(Quoted::plain("abcdef", 3).to_string(), "abc… (cut: 6 bytes)");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a> {
    text: &'a [u8],
    limit: usize,
    style: Style,
}

#[derive(Debug, Clone, Copy)]
enum Style {
    Bytes,
    Debug,
    Plain,
}

impl<'a> Quoted<'a> {
    /// Bytes from the wire: printable ASCII as is, every other byte as `\xNN`; `…` after a cut.
    pub fn bytes(text: &'a [u8], limit: usize) -> Self {
        Self {
            text,
            limit,
            style: Style::Bytes,
        }
    }

    /// All of `text`, as [`bytes`](Self::bytes) shows it: for a tool's report, whose input
    /// is bounded elsewhere.
    pub fn all(text: &'a [u8]) -> Self {
        Self::bytes(text, usize::MAX)
    }

    /// Text from configuration: in double quotes, escaped as Rust's `{:?}` escapes a string;
    /// `(first N of M bytes)` after a cut.
    pub fn debug(text: &'a str, limit: usize) -> Self {
        Self {
            text: text.as_bytes(),
            limit,
            style: Style::Debug,
        }
    }

    /// A message of this crate's own that may quote a long value: as is; `… (cut: M bytes)`
    /// after a cut.
    pub fn plain(text: &'a str, limit: usize) -> Self {
        Self {
            text: text.as_bytes(),
            limit,
            style: Style::Plain,
        }
    }

    /// Where the text is cut: at `limit`, moved back to a character boundary for text.
    fn end(&self) -> usize {
        let mut end = self.text.len().min(self.limit);
        if !matches!(self.style, Style::Bytes) {
            while end > 0 && end < self.text.len() && (self.text[end] & 0xC0) == 0x80 {
                end -= 1;
            }
        }
        end
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = self.end();
        let cut = end < self.text.len();
        let shown = &self.text[..end];
        match self.style {
            Style::Bytes => {
                write_escaped_bytes(f, shown)?;
                if cut {
                    f.write_str("…")?;
                }
            }
            Style::Debug => {
                let text = std::str::from_utf8(shown).unwrap_or_default();
                write!(f, "\"{}\"", text.escape_debug())?;
                if cut {
                    write!(f, " (first {end} of {} bytes)", self.text.len())?;
                }
            }
            Style::Plain => {
                f.write_str(std::str::from_utf8(shown).unwrap_or_default())?;
                if cut {
                    write!(f, "… (cut: {} bytes)", self.text.len())?;
                }
            }
        }
        Ok(())
    }
}

/// Printable ASCII as is (runs of it in one call, not one per byte), anything else as `\xNN`.
fn write_escaped_bytes(f: &mut fmt::Formatter<'_>, mut rest: &[u8]) -> fmt::Result {
    while !rest.is_empty() {
        let printable = rest
            .iter()
            .take_while(|&&b| b.is_ascii_graphic() || b == b' ')
            .count();
        let (run, after) = rest.split_at(printable);
        if let Ok(text) = std::str::from_utf8(run) {
            f.write_str(text)?;
        }
        rest = match after.split_first() {
            Some((b, after)) => {
                write!(f, "\\x{b:02x}")?;
                after
            }
            None => after,
        };
    }
    Ok(())
}

/// A header value holding `value`'s bytes in a shared allocation, so that cloning it counts a
/// reference and allocates nothing; `None` if `value` is not a valid header value.
#[cfg(feature = "actix")]
pub(crate) fn shared_header_value(value: &str) -> Option<actix_web::http::header::HeaderValue> {
    use actix_web::http::header::HeaderValue;
    let value =
        HeaderValue::from_maybe_shared(actix_web::web::Bytes::copy_from_slice(value.as_bytes()))
            .ok()?;
    // The first clone of bytes copied from a slice moves them to a shared allocation; later
    // clones only count references. Done here, once, rather than on a request.
    let shared = value.clone();
    drop(value);
    Some(shared)
}
