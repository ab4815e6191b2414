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
