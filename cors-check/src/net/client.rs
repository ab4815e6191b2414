//! The exchange: connect (with TLS for `https://`), send one request, read its response.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};

use super::error::{err, NetError};
use super::limits::{CONNECT_TIMEOUT, IO_TIMEOUT};
use super::read::read_response;
use super::request::Request;
use super::response::Response;
use super::tls::{Session, Tls};
use crate::url::{Scheme, Target};

/// Connects to the target (with TLS for `https://`, through `tls`), sends the request, and
/// reads the response (the whole head and at most 64 KiB of the body; 1xx interim responses are
/// skipped). Returns what the TLS handshake agreed on too, for `https://`.
pub fn exchange(
    target: &Target,
    request: &Request,
    tls: Option<&Tls>,
) -> Result<(Response, Option<Session>), NetError> {
    let stream = connect(target)?;
    match (target.scheme, tls) {
        (Scheme::Http, _) => Ok((send(stream, target, request)?, None)),
        (Scheme::Https, Some(tls)) => {
            let (stream, session) = tls.connect(stream, target)?;
            Ok((send(stream, target, request)?, Some(session)))
        }
        (Scheme::Https, None) => Err(err("an https:// URL needs a TLS configuration")),
    }
}

/// A TCP connection to the target's host and port, with read and write timeouts.
fn connect(target: &Target) -> Result<TcpStream, NetError> {
    let host = target.connect_host();
    let addrs: Vec<SocketAddr> = (host, target.port)
        .to_socket_addrs()
        .map_err(|e| err(format!("cannot resolve {host}: {e}")))?
        .collect();
    let mut last = err(format!("{host} resolves to no address"));
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
            Ok(stream) => {
                stream
                    .set_read_timeout(Some(IO_TIMEOUT))
                    .and_then(|()| stream.set_write_timeout(Some(IO_TIMEOUT)))
                    .map_err(|e| err(format!("cannot set a timeout: {e}")))?;
                return Ok(stream);
            }
            Err(e) => last = err(format!("cannot connect to {addr}: {e}")),
        }
    }
    Err(last)
}

/// Sends the request over `stream` (a TCP connection, or a TLS session on one) and reads the
/// response.
fn send<S: Read + Write>(
    mut stream: S,
    target: &Target,
    request: &Request,
) -> Result<Response, NetError> {
    stream
        .write_all(&request.bytes(target))
        .and_then(|()| stream.flush())
        .map_err(|e| err(format!("cannot send the request: {e}")))?;
    read_response(stream, request.method == "HEAD")
}
