//! How a request's CORS header fields are read: as raw bytes, counted, never trusted.

use std::fmt;

use crate::grammar::trim_ows;
use crate::text::{Quoted, REQUEST_VALUE_LIMIT};

/// A request header that must appear at most once (`Origin`, `Access-Control-Request-Method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Not sent.
    Absent,
    /// Sent once, with this value.
    One(&'a [u8]),
    /// Sent in several fields: this matches nothing.
    Several,
}

impl<'a> Field<'a> {
    /// Reads every field of one header name; looks at two at the most.
    pub fn from_values<I: IntoIterator<Item = &'a [u8]>>(values: I) -> Self {
        let mut values = values.into_iter();
        match (values.next(), values.next()) {
            (None, _) => Field::Absent,
            (Some(one), None) => Field::One(one),
            (Some(_), Some(_)) => Field::Several,
        }
    }
}

/// In messages: the value in backticks (quoted, see [`Quoted::bytes`]), `(none)` or
/// `(several fields)`.
impl fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Field::Absent => write!(f, "(none)"),
            Field::One(v) => write!(f, "`{}`", Quoted::bytes(v, REQUEST_VALUE_LIMIT)),
            Field::Several => write!(f, "(several fields)"),
        }
    }
}

/// The longest `Access-Control-Request-Headers` accepted, all fields together, in bytes.
/// Longer lists are denied without being parsed. Browsers send one lowercase, sorted,
/// comma-separated list of the headers a script set; 4 KiB is over a hundred names.
pub const MAX_REQUEST_HEADERS_LEN: usize = 4096;

/// The names in `Access-Control-Request-Headers`, read leniently (items are trimmed of spaces
/// and tabs, empty items are skipped) and without allocation.
pub(crate) fn request_header_names<'a, I>(fields: I) -> impl Iterator<Item = &'a [u8]>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    fields
        .into_iter()
        .flat_map(|field| field.split(|&b| b == b','))
        .map(trim_ows)
        .filter(|name| !name.is_empty())
}
