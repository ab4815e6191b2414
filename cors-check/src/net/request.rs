//! A request to send, framed the one way cors-check sends every request.

use crate::url::Target;

/// A request to send: the method, the header fields in order (`Host` included), the body.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, sent as written.
    pub method: String,
    /// The header fields, in the order they are sent.
    pub fields: Vec<(String, Vec<u8>)>,
    /// The body (its `Content-Length`, when sent, is one of the fields).
    pub body: Vec<u8>,
}

impl Request {
    /// A request to `target`: `Host` first, then `fields` in order, then `Connection: close`
    /// (one request per connection).
    pub fn new(
        target: &Target,
        method: impl Into<String>,
        fields: impl IntoIterator<Item = (String, Vec<u8>)>,
        body: Vec<u8>,
    ) -> Request {
        let mut all = vec![("Host".to_owned(), target.host_header().into_bytes())];
        all.extend(fields);
        all.push(("Connection".to_owned(), b"close".to_vec()));
        Request {
            method: method.into(),
            fields: all,
            body,
        }
    }

    /// Puts one field named `name` per value in `values`, in order, where the first field of
    /// that name was (at the end when there was none), and removes the other fields of that
    /// name (names compared case-insensitively). Each value is sent byte for byte, a CR, LF or
    /// NUL included: what `--probe` needs to send what no browser sends (several `Origin`
    /// fields, control bytes in one).
    pub fn set_values(&mut self, name: &str, values: impl IntoIterator<Item = Vec<u8>>) {
        let at = self
            .fields
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap_or(self.fields.len());
        let spelled = self
            .fields
            .get(at)
            .map_or_else(|| name.to_owned(), |(n, _)| n.clone());
        self.fields.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        let new: Vec<_> = values.into_iter().map(|v| (spelled.clone(), v)).collect();
        let at = at.min(self.fields.len());
        self.fields.splice(at..at, new);
    }

    /// The bytes sent for `target`: the request line, the fields, the empty line and the body.
    pub fn bytes(&self, target: &Target) -> Vec<u8> {
        let mut out =
            format!("{} {} HTTP/1.1\r\n", self.method, target.path_and_query).into_bytes();
        for (name, value) in &self.fields {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_values_replaces_a_field_in_place_with_raw_values() {
        let target = Target::parse("http://a.example/p").unwrap();
        let mut request = Request::new(
            &target,
            "GET",
            [
                ("Accept".to_owned(), b"*/*".to_vec()),
                ("Origin".to_owned(), b"https://b.example".to_vec()),
                ("User-Agent".to_owned(), b"x".to_vec()),
            ],
            Vec::new(),
        );
        request.set_values(
            "origin",
            [
                b"https://c.example\0x".to_vec(),
                b"https://d.example".to_vec(),
            ],
        );
        assert_eq!(
            String::from_utf8(request.bytes(&target)).unwrap(),
            "GET /p HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\nOrigin: https://c.example\0x\r\nOrigin: https://d.example\r\nUser-Agent: x\r\nConnection: close\r\n\r\n"
        );
        // A name that is not there yet is added at the end.
        request.set_values("x-new", [b"1".to_vec()]);
        assert_eq!(request.fields.last().unwrap().0, "x-new");
    }
}
