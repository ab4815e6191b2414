//! Shared helpers of the `cors-check` tests: run the binary, and serve on 127.0.0.1 (an
//! ephemeral port) either a real actix-web app or a raw TCP server that answers exactly the
//! bytes a test wants (for what actix-web would not send); and, for `https://`, a CA and a
//! server certificate made in the test and a TLS server in front of an actix-web app.
//!
//! Every server stops when its handle is dropped, and a raw or TLS server stops by itself after
//! [`RAW_SERVER_LIFETIME`] in any case.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpServer};

/// The longest a raw server accepts connections.
pub const RAW_SERVER_LIFETIME: Duration = Duration::from_secs(60);

/// What one run of `cors-check` did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Asserts the exit code, showing the whole output when it differs.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; the run was:\n{self}");
        self
    }

    /// Asserts that standard output has `line` as one whole line (leading spaces ignored).
    pub fn assert_line(&self, line: &str) -> &Self {
        assert!(
            self.stdout.lines().any(|l| l.trim_start() == line),
            "no line `{line}` in:\n{self}"
        );
        self
    }

    /// Asserts that no line of standard output starts with `prefix` (leading spaces ignored).
    pub fn assert_no_line_starting(&self, prefix: &str) -> &Self {
        assert!(
            !self
                .stdout
                .lines()
                .any(|l| l.trim_start().starts_with(prefix)),
            "a line starts with `{prefix}` in:\n{self}"
        );
        self
    }

    /// Asserts the verdict line and, when blocked, the console message's reason (the text after
    /// "has been blocked by CORS policy: ") for a request to `url` from `origin`.
    pub fn assert_blocked(&self, url: &str, origin: &str, reason: &str) -> &Self {
        self.assert_code(1);
        self.assert_line("Verdict: BLOCKED — a browser blocks this request: the page's fetch() rejects with \"TypeError: Failed to fetch\".");
        self.assert_line(&format!(
            "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {reason}"
        ))
    }

    /// Asserts the allowed verdict for `origin`, and that no console message is printed.
    pub fn assert_allowed(&self, origin: &str) -> &Self {
        self.assert_code(0);
        self.assert_line(&format!(
            "Verdict: ALLOWED — a browser lets a page on {origin} read this response."
        ));
        self.assert_no_line_starting("Chromium console:")
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- exit {} ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `cors-check` with `args` (its own timeouts bound the run).
pub fn cors_check(args: &[&str]) -> Run {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cors-check"))
        .args(args)
        .output()
        .expect("run cors-check");
    Run {
        code: out.status.code().expect("cors-check exited by a signal"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 output"),
    }
}

/// An actix-web app served on 127.0.0.1 by one worker; stopped when dropped.
pub struct ActixServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl ActixServer {
    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("a socket address")
    }
}

/// Serves `App::new().configure(config)`.
pub fn actix(config: fn(&mut web::ServiceConfig)) -> ActixServer {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(move || App::new().configure(config))
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .bind(("127.0.0.1", 0))
                .expect("bind 127.0.0.1:0");
            let addr = server.addrs()[0];
            let server = server.run();
            tx.send((addr, server.handle())).expect("send the address");
            server.await.expect("serve");
        });
    });
    let (addr, handle) = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the server started");
    ActixServer {
        base: format!("http://{addr}"),
        handle,
        thread: Some(thread),
    }
}

impl Drop for ActixServer {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A raw HTTP server: for each request, the request (head and body, as text) goes to
/// `respond`, whose bytes are written back before the connection is closed. Every request is
/// kept.
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RawServer {
    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The heads of the requests received so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Starts a raw server.
pub fn raw(respond: fn(&str) -> String) -> RawServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr: SocketAddr = listener.local_addr().expect("address");
    let requests = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let requests = Arc::clone(&requests);
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + RAW_SERVER_LIFETIME;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let mut conn = match listener.accept() {
                    Ok((conn, _)) => conn,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                let _ = conn.set_nonblocking(false);
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let head = read_request(&mut conn);
                let head = String::from_utf8_lossy(&head).into_owned();
                let response = respond(&head);
                requests.lock().unwrap().push(head);
                let _ = conn.write_all(response.as_bytes());
                let _ = conn.flush();
            }
        })
    };
    RawServer {
        base: format!("http://{addr}"),
        requests,
        stop,
        thread: Some(thread),
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request, head and body (as far as its `Content-Length` says), so that closing the
/// connection afterwards never resets it.
fn read_request(conn: &mut impl Read) -> Vec<u8> {
    let mut head = Vec::new();
    let mut buf = [0; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let length = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let header_end = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(head.len(), |i| i + 4);
    while head.len() < header_end + length.min(65536) {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    head
}

/// A test PKI, made fresh by each test: a CA, and a server certificate it issued for the name
/// `localhost` only (not for `127.0.0.1`).
pub struct Pki {
    /// The CA's certificate, in a PEM file (for `--cacert`).
    pub ca_file: PathBuf,
    /// The TLS server's configuration: the server certificate and its key.
    pub server: Arc<rustls::ServerConfig>,
}

/// Makes a [`Pki`]; `name` tells its files apart from other tests'.
pub fn pki(name: &str) -> Pki {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "cors-check test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate().expect("a server key");
    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()]).expect("parameters");
    leaf.distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = leaf
        .signed_by(&key, &issuer)
        .expect("the server certificate");

    serving(name, ("ca.pem", &ca_cert.pem()), &cert, &key)
}

/// The files and the TLS server of a test PKI: the CA file `file` (its name and PEM text),
/// written under the target's temporary directory (`name` tells the tests' files apart), and a
/// server presenting `cert` with `key`.
fn serving(
    name: &str,
    (file, pem): (&str, &str),
    cert: &rcgen::Certificate,
    key: &rcgen::KeyPair,
) -> Pki {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cors-check-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a directory for the CA file");
    let ca_file = dir.join(file);
    std::fs::write(&ca_file, pem).expect("write the CA file");

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        )
        .expect("the server certificate and key");
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    Pki {
        ca_file,
        server: Arc::new(server),
    }
}

/// What `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext
/// subjectAltName=IP:127.0.0.1` makes, the most common way to serve HTTPS locally: one
/// self-signed certificate whose basic constraints say CA:TRUE, for `127.0.0.1`. `ca_file` is
/// that certificate itself (what `--cacert` is given); `name` tells its files apart.
pub fn self_signed_ca_as_server(name: &str) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let key = KeyPair::generate().expect("a key");
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).expect("parameters");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    let cert = params.self_signed(&key).expect("the certificate");
    serving(name, ("cert.pem", &cert.pem()), &cert, &key)
}

/// A TLS server on 127.0.0.1 in front of a plain HTTP server, as a TLS terminator stands in
/// front of an app: each connection's request goes to `backend` on a new connection, and the
/// answer comes back (one request per connection, as `cors-check` sends `Connection: close`).
pub struct TlsProxy {
    /// The port it listens on.
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TlsProxy {
    /// The URL of `path` on this server, with the host `host` (`localhost` is the name the
    /// certificate names).
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("https://{host}:{}{path}", self.port)
    }
}

/// Starts a TLS server for `backend` with the certificate of `config`.
pub fn tls_proxy(backend: SocketAddr, config: Arc<rustls::ServerConfig>) -> TlsProxy {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + RAW_SERVER_LIFETIME;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                let tcp = match listener.accept() {
                    Ok((tcp, _)) => tcp,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                let _ = tcp.set_nonblocking(false);
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                let conn = rustls::ServerConnection::new(Arc::clone(&config)).expect("a session");
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                // A failed handshake (the client refused the certificate) reads nothing.
                let request = read_request(&mut tls);
                if request.is_empty() {
                    continue;
                }
                let mut response = Vec::new();
                if let Ok(mut app) = TcpStream::connect(backend) {
                    let _ = app.set_read_timeout(Some(Duration::from_secs(5)));
                    if app.write_all(&request).is_ok() {
                        let _ = app.read_to_end(&mut response);
                    }
                }
                let _ = tls.write_all(&response);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        })
    };
    TlsProxy {
        port,
        stop,
        thread: Some(thread),
    }
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The method and path of a request head.
pub fn request_line(head: &str) -> (&str, &str) {
    let mut parts = head.split(' ');
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

/// A complete HTTP/1.1 response with the given status line, header lines and body.
pub fn response(status: &str, headers: &[&str], body: &str) -> String {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    out
}
