//! Reading a response off a byte stream (a TCP connection or a TLS session on one): the head
//! by `httparse` (actix-web's own parser), which keeps each field and the order; the body by its
//! `Content-Length`, its chunks or the end of the connection; and, for a head `httparse`
//! refuses, the line at fault.

use std::io::Read;

use cors_runtime::grammar::{is_token, trim_ows};
use cors_runtime::text::Quoted;

use super::error::{err, NetError};
use super::limits::{FIELDS, IO_TIMEOUT, MAX_BODY, MAX_FIELDS, MAX_HEAD};
use super::response::{values, Response};

/// Reads one response from `stream` (1xx interim responses are skipped); `head_request` says
/// the request was a `HEAD`, whose response has no body.
pub fn read_response<R: Read>(stream: R, head_request: bool) -> Result<Response, NetError> {
    let mut reader = Reader {
        stream,
        buf: Vec::new(),
        pos: 0,
        eof: false,
    };
    loop {
        let (status_line, status, fields) = read_head(&mut reader)?;
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        let body = if head_request || status == 204 || status == 304 || status == 101 {
            Vec::new()
        } else {
            read_body(&mut reader, &fields)?
        };
        return Ok(Response {
            status_line,
            status,
            fields,
            body,
        });
    }
}

/// A buffered reader over any byte stream (a TCP connection or a TLS session on one).
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
        let n = match self.stream.read(&mut chunk) {
            // A TLS session that the server ends without a close_notify alert: the end of the
            // response all the same (browsers accept it, and many servers do it).
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(0),
            other => other,
        }
        .map_err(|e| {
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

type Head = (String, u16, Vec<(String, Vec<u8>)>);

/// Reads a response head with `httparse`, which keeps every field, in order.
fn read_head<R: Read>(reader: &mut Reader<R>) -> Result<Head, NetError> {
    let mut config = httparse::ParserConfig::default();
    // A field value continued on the next line (obsolete, and still accepted by browsers).
    config.allow_obsolete_multiline_headers_in_responses(true);
    let mut room = FIELDS;
    loop {
        let available = &reader.buf[reader.pos..];
        let mut headers = vec![httparse::EMPTY_HEADER; room];
        let mut response = httparse::Response::new(&mut headers);
        match config.parse_response(&mut response, available) {
            Ok(httparse::Status::Complete(len)) => {
                if len > MAX_HEAD {
                    return Err(err(format!(
                        "the response head is longer than {MAX_HEAD} bytes"
                    )));
                }
                let head = (
                    String::from_utf8_lossy(&first_line(available)).into_owned(),
                    response.code.unwrap_or_default(),
                    response
                        .headers
                        .iter()
                        .map(|h| (h.name.to_owned(), unfold(h.value)))
                        .collect(),
                );
                reader.pos += len;
                return Ok(head);
            }
            Ok(httparse::Status::Partial) => {
                if available.len() > MAX_HEAD {
                    return Err(err(format!(
                        "the response head is longer than {MAX_HEAD} bytes"
                    )));
                }
                let empty = available.is_empty();
                if !reader.fill()? {
                    return Err(err(if empty {
                        "the server closed the connection without answering"
                    } else {
                        "the connection was closed in the middle of the response head"
                    }));
                }
            }
            Err(httparse::Error::TooManyHeaders) if room < MAX_FIELDS => room *= 4,
            Err(e) => return Err(malformed(reader, e)),
        }
    }
}

/// The first line of a response head (after any empty lines, as `httparse` skips them),
/// without its line end.
fn first_line(head: &[u8]) -> Vec<u8> {
    let start = head
        .iter()
        .position(|&b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(head.len());
    let line = head[start..]
        .split(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    line.strip_suffix(b"\r").unwrap_or(line).to_vec()
}

/// A field value as received, without surrounding spaces; a value folded over several lines
/// is joined with single spaces.
fn unfold(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    for (i, part) in value.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(trim_ows(part.strip_suffix(b"\r").unwrap_or(part)));
    }
    out
}

/// What is wrong with a response head that `httparse` refused. `httparse` says what is wrong
/// but not where: the message quotes the line at fault, found here.
fn malformed<R: Read>(reader: &mut Reader<R>, e: httparse::Error) -> NetError {
    // The whole first line, to quote it (within limits).
    while !reader.buf[reader.pos..].contains(&b'\n')
        && reader.buf.len() - reader.pos < 1024
        && reader.fill().unwrap_or(false)
    {}
    let head = &reader.buf[reader.pos..];
    let quoted = |line: &[u8]| format!("`{}`", Quoted::all(line));
    let status_line = first_line(head);
    match e {
        httparse::Error::Version | httparse::Error::Status | httparse::Error::Token => {
            if matches!(head.first(), Some(0x15 | 0x16)) {
                err("the server answered with TLS, not plain HTTP: write https:// instead of http://")
            } else if !status_line.starts_with(b"HTTP/1.") {
                err(format!(
                    "the server did not answer with HTTP/1.x: its first line is {}",
                    quoted(&status_line)
                ))
            } else {
                err(format!(
                    "the status line {} is not `HTTP/1.0` or `HTTP/1.1`, a 3-digit code and a reason",
                    quoted(&status_line)
                ))
            }
        }
        httparse::Error::TooManyHeaders => err(format!(
            "the response head has more than {MAX_FIELDS} header fields"
        )),
        _ => {
            let start = head.len() - head.trim_ascii_start().len();
            let lines = head[start..]
                .split(|&b| b == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .skip(1)
                .take_while(|l| !l.is_empty());
            for line in lines {
                if matches!(line.first(), Some(b' ' | b'\t')) {
                    continue;
                }
                let Some(colon) = line.iter().position(|&b| b == b':') else {
                    return err(format!(
                        "a response header line has no colon: {}",
                        quoted(line)
                    ));
                };
                let name = String::from_utf8_lossy(&line[..colon]);
                if !is_token(&name) {
                    return err(format!(
                        "`{}` is not a header field name",
                        Quoted::all(&line[..colon])
                    ));
                }
                if line.iter().any(|&b| b.is_ascii_control() && b != b'\t') {
                    return err(format!(
                        "the value of the response header line {} contains a control character",
                        quoted(line)
                    ));
                }
            }
            err(format!("the response head is malformed: {e}"))
        }
    }
}

fn read_body<R: Read>(
    reader: &mut Reader<R>,
    fields: &[(String, Vec<u8>)],
) -> Result<Vec<u8>, NetError> {
    let chunked = values(fields, "transfer-encoding")
        .flat_map(|v| v.split(|&b| b == b','))
        .last()
        .is_some_and(|coding| trim_ows(coding).eq_ignore_ascii_case(b"chunked"));
    if chunked {
        let mut body = Vec::new();
        loop {
            let size = chunk_size(reader)?;
            if size == 0 || body.len() >= MAX_BODY {
                return Ok(body);
            }
            let want = size.min((MAX_BODY - body.len()) as u64) as usize;
            body.extend(reader.take(want)?);
            if (want as u64) < size {
                return Ok(body);
            }
            reader.line(2, "the end of a chunk")?;
        }
    }
    let lengths: Vec<&[u8]> = values(fields, "content-length").collect();
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
                    "the Content-Length `{}` is not a number",
                    Quoted::all(first)
                ))
            })?;
        return reader.take(n.min(MAX_BODY));
    }
    // Neither: the body ends when the server closes the connection.
    reader.take(MAX_BODY)
}

/// The size line of a chunk, parsed by `httparse` (extensions allowed).
fn chunk_size<R: Read>(reader: &mut Reader<R>) -> Result<u64, NetError> {
    loop {
        let available = &reader.buf[reader.pos..];
        match httparse::parse_chunk_size(available) {
            Ok(httparse::Status::Complete((len, size))) => {
                reader.pos += len;
                return Ok(size);
            }
            Ok(httparse::Status::Partial) if available.len() > 1024 => {
                return Err(err("a chunk size is longer than 1024 bytes"))
            }
            Ok(httparse::Status::Partial) => {
                if !reader.fill()? {
                    return Err(err(
                        "the connection was closed in the middle of a chunk size",
                    ));
                }
            }
            Err(_) => {
                return Err(err(format!(
                    "the chunk size `{}` is not a hexadecimal number",
                    Quoted::all(&first_line(available))
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8], head: bool) -> Result<Response, NetError> {
        read_response(raw, head)
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
        let message = |raw: &[u8]| parse(raw, false).unwrap_err().0;
        assert_eq!(
            message(b"SSH-2.0-OpenSSH\r\n"),
            "the server did not answer with HTTP/1.x: its first line is `SSH-2.0-OpenSSH`"
        );
        assert_eq!(
            message(b"\x15\x03\x03\x00\x02\x02\x32"),
            "the server answered with TLS, not plain HTTP: write https:// instead of http://"
        );
        assert_eq!(
            message(b"HTTP/1.1 20 OK\r\n\r\n"),
            "the status line `HTTP/1.1 20 OK` is not `HTTP/1.0` or `HTTP/1.1`, a 3-digit code and a reason"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nX: 1\r\nno colon\r\n\r\n"),
            "a response header line has no colon: `no colon`"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"),
            "`Bad Name` is not a header field name"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n"),
            "the value of the response header line `X: a\\x01b` contains a control character"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nX: y\r\n"),
            "the connection was closed in the middle of the response head"
        );
        assert_eq!(
            message(b""),
            "the server closed the connection without answering"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            "the response has several different Content-Length fields"
        );
        assert_eq!(
            message(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            "the chunk size `zz` is not a hexadecimal number"
        );
    }

    #[test]
    fn limits() {
        // A long head is refused at 64 KiB, however many fields it has.
        let mut raw = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..5000 {
            raw.extend_from_slice(format!("X-{i}: {}\r\n", "v".repeat(10)).as_bytes());
        }
        raw.extend_from_slice(b"\r\n");
        assert_eq!(
            parse(&raw, false).unwrap_err().0,
            "the response head is longer than 65536 bytes"
        );
        // Many short fields fit, in order.
        let mut raw = b"HTTP/1.1 204 No Content\r\n".to_vec();
        for i in 0..1000 {
            raw.extend_from_slice(format!("X-{i}: {i}\r\n").as_bytes());
        }
        raw.extend_from_slice(b"\r\n");
        let res = parse(&raw, false).unwrap();
        assert_eq!(res.fields.len(), 1000);
        assert_eq!(res.fields[999], ("X-999".to_owned(), b"999".to_vec()));
    }
}
