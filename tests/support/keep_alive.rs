//! A CORS `GET` on a kept-alive HTTP/1.1 connection, for the load generators that measure a
//! server from outside (`benches/origin_flood.rs`, `cors-postgres/tests/fleet.rs`): one write
//! per request (several small ones would meet Nagle's algorithm), the head read line by line,
//! the body read to its `Content-Length`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Sends `GET path` with `origin` and reads the whole response; whether it was allowed (it
/// carries `Access-Control-Allow-Origin`).
pub fn allowed(stream: &mut BufReader<TcpStream>, path: &str, origin: &str) -> bool {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\n\r\n");
    stream
        .get_mut()
        .write_all(request.as_bytes())
        .expect("send");
    let mut allowed = false;
    let mut length = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        stream.read_line(&mut line).expect("read a header line");
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("access-control-allow-origin:") {
            allowed = true;
        }
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().expect("a length");
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("the body");
    allowed
}
