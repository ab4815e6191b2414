//! A small HTTP/1.1 client on [`std::net::TcpStream`]: one request per connection, every
//! response header field kept as its own entry, in the order received, byte for byte.
//!
//! A general-purpose client merges or normalizes fields; a CORS check must not, since two
//! `Access-Control-Allow-Origin` fields are exactly the bug it has to report.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use cors_runtime::grammar::{is_token, trim_ows};
use cors_runtime::text::Quoted;

use crate::url::Target;

/// How long connecting to one address may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one read or write may wait.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response head (status line and header fields) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// The largest part of a body kept (the rest is not read: the connection is closed).
const MAX_BODY: usize = 64 * 1024;

/// A request to send: the method, the header fields in order (`Host` included), the body.
#[derive(Debug, Clone)]
pub struct Request {
    /// The method, sent as written.
    pub method: String,
    /// The header fields, in the order they are sent.
    pub fields: Vec<(String, Vec<u8>)>,
    /// The body (its `Content-Length` is one of the fields).
    pub body: Vec<u8>,
}

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
    /// A redirect status, which a browser follows for an actual request and never for a
    /// preflight.
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// Every value of the fields named `name` (compared case-insensitively), in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
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

/// A failure to exchange a request and a response: the server could not be reached, or what it
/// sent is not HTTP/1.x. (A browser reports these as network errors, not as CORS errors.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError(pub String);

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(message: impl Into<String>) -> NetError {
    NetError(message.into())
}

/// The bytes of a request: the request line, the fields, the empty line and the body.
pub fn serialize(request: &Request, target: &Target) -> Vec<u8> {
    let mut out = format!("{} {} HTTP/1.1\r\n", request.method, target.path_and_query).into_bytes();
    for (name, value) in &request.fields {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&request.body);
    out
}

/// Connects to the target, sends the request, and reads the response (the whole head and at
/// most 64 KiB of the body; 1xx interim responses are skipped).
pub fn exchange(target: &Target, request: &Request) -> Result<Response, NetError> {
    let host = target.connect_host();
    let addrs: Vec<SocketAddr> = (host, target.port)
        .to_socket_addrs()
        .map_err(|e| err(format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = err(format!("{host} resolves to no address"));
    let mut stream = None;
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = err(format!("cannot connect to {addr}: {e}")),
        }
    }
    let mut stream = stream.ok_or(last)?;
    stream
        .set_read_timeout(Some(IO_TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
        .map_err(|e| err(format!("cannot set a timeout: {e}")))?;
    stream
        .write_all(&serialize(request, target))
        .and_then(|()| stream.flush())
        .map_err(|e| err(format!("cannot send the request: {e}")))?;
    let mut reader = Reader {
        stream,
        buf: Vec::new(),
        pos: 0,
        eof: false,
    };
    read_response(&mut reader, request.method == "HEAD")
}

/// A buffered reader over any byte stream (a [`TcpStream`] here).
struct Reader<R> {
    stream: R,
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Reader<R> {
    /// Reads more bytes into the buffer; `false` at the end of the stream.
    fn fill(&mut self) -> Result<bool, NetError> {
        if self.eof {
            return Ok(false);
        }
        let mut chunk = [0; 8192];
        let n = self.stream.read(&mut chunk).map_err(|e| {
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) {
                err(format!(
                    "the server sent nothing for {} s",
                    IO_TIMEOUT.as_secs()
                ))
            } else {
                err(format!("cannot read the response: {e}"))
            }
        })?;
        self.eof = n == 0;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    /// One line, without its `\n` or `\r\n`. `limit` bounds its length.
    fn line(&mut self, limit: usize, what: &str) -> Result<Vec<u8>, NetError> {
        loop {
            if let Some(i) = self.buf[self.pos..].iter().position(|&b| b == b'\n') {
                let mut line = self.buf[self.pos..self.pos + i].to_vec();
                self.pos += i + 1;
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(line);
            }
            if self.buf.len() - self.pos > limit {
                return Err(err(format!("{what} is longer than {limit} bytes")));
            }
            if !self.fill()? {
                return Err(err(format!(
                    "the connection was closed in the middle of {what}"
                )));
            }
        }
    }

    /// Up to `n` bytes (fewer only at the end of the stream).
    fn take(&mut self, n: usize) -> Result<Vec<u8>, NetError> {
        while self.buf.len() - self.pos < n && self.fill()? {}
        let end = (self.pos + n).min(self.buf.len());
        let out = self.buf[self.pos..end].to_vec();
        self.pos = end;
        Ok(out)
    }
}

fn read_response<R: Read>(
    reader: &mut Reader<R>,
    head_request: bool,
) -> Result<Response, NetError> {
    loop {
        let (status_line, status, fields) = read_head(reader)?;
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let body = if head_request || status == 204 || status == 304 || status == 101 {
            Vec::new()
        } else {
            read_body(reader, &fields)?
        };
        return Ok(Response {
            status_line,
            status,
            fields,
            body,
        });
    }
}

type Head = (String, u16, Vec<(String, Vec<u8>)>);

fn read_head<R: Read>(reader: &mut Reader<R>) -> Result<Head, NetError> {
    let start = reader.pos;
    let line = reader.line(MAX_HEAD, "the status line")?;
    let status_line = String::from_utf8_lossy(&line).into_owned();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    let code = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.")
        || code.len() != 3
        || !code.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err(format!(
            "the server did not answer with HTTP/1.x: its first line is {:?}",
            Quoted::all(&line).to_string()
        )));
    }
    let status = code.parse().unwrap_or_default();
    let mut fields: Vec<(String, Vec<u8>)> = Vec::new();
    loop {
        let line = reader.line(MAX_HEAD, "the response head")?;
        if reader.pos - start > MAX_HEAD {
            return Err(err(format!(
                "the response head is longer than {MAX_HEAD} bytes"
            )));
        }
        if line.is_empty() {
            return Ok((status_line, status, fields));
        }
        if matches!(line[0], b' ' | b'\t') {
            // An obsolete line folding: the value goes on.
            let Some((_, value)) = fields.last_mut() else {
                return Err(err("the response head starts with a folded line"));
            };
            value.push(b' ');
            value.extend_from_slice(trim_ows(&line));
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(err(format!(
                "a response header line has no colon: {:?}",
                Quoted::all(&line).to_string()
            )));
        };
        let name = String::from_utf8_lossy(&line[..colon]).into_owned();
        if !is_token(&name) {
            return Err(err(format!("{name:?} is not a header field name")));
        }
        fields.push((name, trim_ows(&line[colon + 1..]).to_vec()));
    }
}

fn read_body<R: Read>(
    reader: &mut Reader<R>,
    fields: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, NetError> {
    fn field<'a>(
        fields: &'a [(String, Vec<u8>)],
        name: &'a str,
    ) -> impl Iterator<Item = &'a [u8]> + 'a {
        fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
    let chunked = field(fields, "transfer-encoding")
        .flat_map(|v| v.split(|&b| b == b','))
        .last()
        .is_some_and(|coding| trim_ows(coding).eq_ignore_ascii_case(b"chunked"));
    if chunked {
        let mut body = Vec::new();
        loop {
            let line = reader.line(1024, "a chunk size")?;
            let size = line.split(|&b| b == b';').next().unwrap_or_default();
            let size = std::str::from_utf8(trim_ows(size))
                .ok()
                .and_then(|s| usize::from_str_radix(s, 16).ok())
                .ok_or_else(|| {
                    err(format!(
                        "bad chunk size {:?}",
                        Quoted::all(&line).to_string()
                    ))
                })?;
            if size == 0 || body.len() >= MAX_BODY {
                return Ok(body);
            }
            let want = size.min(MAX_BODY - body.len());
            body.extend(reader.take(want)?);
            if want < size {
                return Ok(body);
            }
            reader.line(2, "the end of a chunk")?;
        }
    }
    let lengths: Vec<&[u8]> = field(fields, "content-length").collect();
    if let Some(first) = lengths.first() {
        if lengths.iter().any(|l| l != first) {
            return Err(err(
                "the response has several different Content-Length fields",
            ));
        }
        let n: usize = std::str::from_utf8(first)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                err(format!(
                    "bad Content-Length {:?}",
                    Quoted::all(first).to_string()
                ))
            })?;
        return reader.take(n.min(MAX_BODY));
    }
    // Neither: the body ends when the server closes the connection.
    reader.take(MAX_BODY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8], head: bool) -> Result<Response, NetError> {
        let mut reader = Reader {
            stream: raw,
            buf: Vec::new(),
            pos: 0,
            eof: false,
        };
        read_response(&mut reader, head)
    }

    #[test]
    fn repeated_fields_stay_apart() {
        let res = parse(
            b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a.example\r\naccess-control-allow-origin:*  \r\nContent-Length: 2\r\n\r\nokEXTRA",
            false,
        )
        .unwrap();
        assert_eq!(res.status, 200);
        assert_eq!(res.status_line, "HTTP/1.1 200 OK");
        let all: Vec<&[u8]> = res.get_all("ACCESS-CONTROL-ALLOW-ORIGIN").collect();
        assert_eq!(all, [b"https://a.example".as_slice(), b"*"]);
        assert_eq!(
            res.get("access-control-allow-origin").unwrap(),
            b"https://a.example, *"
        );
        assert_eq!(res.get("vary"), None);
        assert_eq!(res.body, b"ok");
    }

    #[test]
    fn bodies() {
        let res = parse(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", false).unwrap();
        assert_eq!(res.body, b"abcde");
        let res = parse(b"HTTP/1.0 403 Forbidden\n\nuntil close", false).unwrap();
        assert_eq!(
            (res.status, res.body.as_slice()),
            (403, b"until close".as_slice())
        );
        let res = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true).unwrap();
        assert!(res.body.is_empty());
        let res = parse(b"HTTP/1.1 204 No Content\r\nX: a\r\n  b\r\n\r\n", false).unwrap();
        assert_eq!(res.fields, [("X".to_owned(), b"a b".to_vec())]);
    }

    #[test]
    fn malformed() {
        assert!(parse(b"SSH-2.0-OpenSSH\r\n", false).is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", false).is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false).is_err());
        assert!(parse(b"HTTP/1.1 200 OK\r\nX: y\r\n", false).is_err());
        assert!(parse(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            false
        )
        .is_err());
    }
}
