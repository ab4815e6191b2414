//! A response as received: every header field its own entry, in order, byte for byte.

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status line as received, without the line end.
    pub status_line: String,
    /// The status code.
    pub status: u16,
    /// Every header field, in order, with its name as the server spelled it and its value
    /// without surrounding spaces.
    pub fields: Vec<(String, Vec<u8>)>,
    /// The body (at most 64 KiB of it), chunked coding removed.
    pub body: Vec<u8>,
}

impl Response {
    /// An ok status (200-299), which a preflight's answer must have.
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A redirect status, which a browser follows for an actual request and never for a
    /// preflight.
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// Every value of the fields named `name` (compared case-insensitively), in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        values(&self.fields, name)
    }

    /// The Fetch standard's "get": `None` without such a field, else the values of every field
    /// named `name` joined by `, ` (so two fields `a` and `b` read `a, b`).
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        let mut values = self.get_all(name);
        let first = values.next()?.to_vec();
        Some(values.fold(first, |mut all, v| {
            all.extend_from_slice(b", ");
            all.extend_from_slice(v);
            all
        }))
    }
}

/// Every value of the `fields` named `name` (compared case-insensitively), in order.
pub fn values<'a>(
    fields: &'a [(String, Vec<u8>)],
    name: &'a str,
) -> impl Iterator<Item = &'a [u8]> + 'a {
    fields
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_slice())
}
