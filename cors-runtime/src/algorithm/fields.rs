//! How a request's CORS header fields are read: as raw bytes, counted, never trusted.

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

/// Trims HTTP optional whitespace (spaces and horizontal tabs) at both ends.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}
