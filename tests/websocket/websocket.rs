//! WebSocket handshakes to `#[cors]` routes over real TCP connections, to handlers that upgrade
//! with actix-ws and echo (`app.rs`): a handshake from an origin the route does not allow is
//! refused with `403` before the handler runs (so nothing is upgraded), and logged; an allowed
//! origin, the server's own, or no `Origin` at all (not a browser) get `101` and their echo.
//!
//! The handshake is written by hand, so that each header is the test's choice (`Origin`,
//! `Sec-Fetch-Site`, the spelling of `Upgrade`); after a `101`, tungstenite reads and writes the
//! frames. Each test marks its requests with `t=<test>` in the query, and the handlers count
//! their runs and upgrades per mark, so tests run in parallel.

#[path = "app.rs"]
mod app;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{mpsc, Mutex, Once, OnceLock};
use std::time::Duration;

use actix_route_cors::CorsFirst;
use actix_web::middleware::{from_fn, Condition, Next};
use actix_web::{App, HttpServer};
use app::{Counts, APP};
use tungstenite::protocol::Role;

/// How long a server may take to start, and a connection to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The port of the app, served without `CorsFirst` or behind it (with a middleware on the
/// `App` in front of the routes), each started once.
fn port(cors_first: bool) -> u16 {
    static PLAIN: OnceLock<u16> = OnceLock::new();
    static FIRST: OnceLock<u16> = OnceLock::new();
    let cell = if cors_first { &FIRST } else { &PLAIN };
    *cell.get_or_init(|| serve(cors_first))
}

fn serve(cors_first: bool) -> u16 {
    install_logger();
    let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            let server = HttpServer::new(move || {
                App::new()
                    .configure(app::routes)
                    .wrap(from_fn(pass))
                    .wrap(Condition::new(cors_first, CorsFirst::new()))
            })
            .workers(1)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)
            .expect("listen")
            .run();
            tx.send(()).expect("the test waits");
            server.await
        })
    });
    rx.recv_timeout(TIMEOUT).expect("the server started");
    port
}

/// A middleware on the `App` that lets everything through (what `CorsFirst` goes ahead of).
async fn pass(
    req: actix_web::dev::ServiceRequest,
    next: Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    next.call(req).await
}

// ---- log records -------------------------------------------------------------------------------

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == actix_route_cors::LOG_TARGET
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            let mut records = RECORDS.lock().unwrap_or_else(|e| e.into_inner());
            records.push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}

fn install_logger() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&Capture).expect("the only logger");
        log::set_max_level(log::LevelFilter::Info);
    });
}

/// The records that mention `needle` (each test refuses an origin of its own).
fn records_with(needle: &str) -> Vec<String> {
    let records = RECORDS.lock().unwrap_or_else(|e| e.into_inner());
    records
        .iter()
        .filter(|r| r.contains(needle))
        .cloned()
        .collect()
}

// ---- the client ------------------------------------------------------------------------------

/// A handshake's answer: the status, the header fields, the body (of a refusal), and the
/// connection (after a `101`, the socket).
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    stream: TcpStream,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let value = values.next().map(|(_, v)| v.as_str());
        assert!(
            values.next().is_none(),
            "several {name}: {:?}",
            self.headers
        );
        value
    }

    /// Sends a text message over the upgraded connection and returns the one it gets back.
    fn echo(self, text: &str) -> String {
        assert_eq!(self.status, 101, "{:?} {}", self.headers, self.body);
        let mut socket = tungstenite::WebSocket::from_raw_socket(self.stream, Role::Client, None);
        socket.send(tungstenite::Message::text(text)).expect("send");
        let answer = loop {
            match socket.read().expect("read") {
                tungstenite::Message::Text(answer) => break answer.as_str().to_owned(),
                tungstenite::Message::Ping(_) | tungstenite::Message::Pong(_) => continue,
                other => panic!("expected a text message, got {other:?}"),
            }
        };
        let _ = socket.close(None);
        answer
    }
}

/// Opens a connection to the app and sends a WebSocket handshake for `path` (with `t=<token>`)
/// with `Upgrade: <upgrade>` and `headers`; reads the answer's head, and the body of anything
/// but a `101`.
fn handshake(
    cors_first: bool,
    token: &str,
    path: &str,
    upgrade: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let port = port(cors_first);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
    let mut request = format!(
        "GET {path}?t={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: {upgrade}\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");

    // The head, byte by byte: after a `101` the next bytes are the socket's.
    let mut reader = BufReader::with_capacity(1, stream.try_clone().expect("clone"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line: {line:?}"));
    let mut fields = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("header line");
        let field = line.trim_end();
        if field.is_empty() {
            break;
        }
        let (name, value) = field.split_once(':').expect("a header field");
        fields.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut answer = Answer {
        status,
        headers: fields,
        body: String::new(),
        stream,
    };
    if status != 101 {
        let len: usize = answer
            .header("content-length")
            .map_or(0, |l| l.parse().expect("a length"));
        let mut body = vec![0; len];
        reader.read_exact(&mut body).expect("body");
        answer.body = String::from_utf8(body).expect("text");
    }
    answer
}

/// Asserts that `answer` refuses the handshake before the upgrade, with `reason`; returns the
/// log record of the refusal.
fn assert_refused(answer: &Answer, token: &str, origin: &str, reason: &str) -> String {
    assert_eq!(answer.status, 403, "{:?} {}", answer.headers, answer.body);
    assert_eq!(
        answer.body,
        format!("cross-origin WebSocket handshake refused: {reason}\n")
    );
    assert_eq!(
        answer.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(answer.header("vary"), Some("Origin"));
    assert_eq!(answer.header("upgrade"), None);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    assert_eq!(app::counts(token), Counts::default(), "the handler ran");
    let records = records_with(origin);
    assert_eq!(records.len(), 1, "{records:#?}");
    assert!(
        records[0].ends_with(&format!(
            "{reason}; the connection was not upgraded and the handler did not run"
        )),
        "{}",
        records[0]
    );
    records[0].clone()
}

const ALLOWED: &str = "https://app.example.com, http://127.0.0.1:28461";

// ---- the cases -------------------------------------------------------------------------------

#[test]
fn a_handshake_from_an_origin_not_allowed_is_refused_before_the_upgrade() {
    let token = "refused";
    let evil = "https://refused.evil.example";
    let answer = handshake(
        false,
        token,
        "/ws",
        "websocket",
        &[("Origin", evil), ("Sec-Fetch-Site", "cross-site")],
    );
    let record = assert_refused(
        &answer,
        token,
        evil,
        &format!(
            "a cross-origin WebSocket handshake: the browser marks it `Sec-Fetch-Site: \
             cross-site` and origin `{evil}` is not allowed (allowed origins: {ALLOWED})"
        ),
    );
    assert!(
        record.starts_with("CORS refused GET /ws (route `written`): "),
        "{record}"
    );
}

#[test]
fn without_fetch_metadata_a_foreign_origin_is_refused() {
    let token = "foreign";
    let evil = "https://foreign.evil.example";
    let answer = handshake(false, token, "/ws", "websocket", &[("Origin", evil)]);
    let port = port(false);
    assert_refused(
        &answer,
        token,
        evil,
        &format!(
            "a cross-origin WebSocket handshake: origin `{evil}` is neither this server's own \
             (`Host: 127.0.0.1:{port}`) nor allowed (allowed origins: {ALLOWED})"
        ),
    );
}

#[test]
fn the_upgrade_token_is_compared_case_insensitively() {
    let token = "case";
    let evil = "https://case.evil.example";
    let answer = handshake(
        false,
        token,
        "/ws",
        "WebSocket",
        &[("Origin", evil), ("Sec-Fetch-Site", "same-site")],
    );
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(app::counts(token), Counts::default());
    // actix-ws upgrades this spelling too.
    let answer = handshake(false, token, "/ws", "WebSocket", &[("Origin", APP)]);
    assert_eq!(answer.echo("hi"), "hi");
}

#[test]
fn a_handshake_from_an_allowed_origin_is_upgraded_and_echoes() {
    let token = "allowed";
    for site in ["cross-site", "same-site"] {
        let answer = handshake(
            false,
            token,
            "/ws",
            "websocket",
            &[("Origin", APP), ("Sec-Fetch-Site", site)],
        );
        assert_eq!(answer.header("upgrade"), Some("websocket"));
        assert_eq!(answer.echo("hello"), "hello");
    }
    assert_eq!(
        app::counts(token),
        Counts {
            runs: 2,
            upgrades: 2
        }
    );
}

#[test]
fn a_handshake_without_origin_is_upgraded() {
    // Browsers always send `Origin` with a handshake: this is another program.
    let token = "no-origin";
    let answer = handshake(false, token, "/ws", "websocket", &[]);
    assert_eq!(answer.echo("no origin"), "no origin");
    assert_eq!(app::counts(token).upgrades, 1);
}

#[test]
fn a_handshake_from_the_servers_own_origin_is_upgraded() {
    let token = "own";
    let own = format!("http://127.0.0.1:{}", port(false));
    // A browser without Fetch Metadata: the origin names the server (its `Host`).
    let answer = handshake(false, token, "/ws", "websocket", &[("Origin", &own)]);
    assert_eq!(answer.echo("own"), "own");
    // A browser that says so.
    let answer = handshake(
        false,
        token,
        "/ws",
        "websocket",
        &[
            ("Origin", "http://localhost:1"),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    );
    assert_eq!(answer.echo("same-origin"), "same-origin");
    assert_eq!(app::counts(token).upgrades, 2);
}

#[test]
fn behind_cors_first_the_route_refuses_and_upgrades_alike() {
    let token = "cors-first";
    let evil = "https://first.evil.example";
    let answer = handshake(
        true,
        token,
        "/ws",
        "websocket",
        &[("Origin", evil), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_refused(
        &answer,
        token,
        evil,
        &format!(
            "a cross-origin WebSocket handshake: the browser marks it `Sec-Fetch-Site: \
             cross-site` and origin `{evil}` is not allowed (allowed origins: {ALLOWED})"
        ),
    );
    let answer = handshake(true, token, "/ws", "websocket", &[("Origin", APP)]);
    assert_eq!(answer.echo("first"), "first");
    let answer = handshake(true, token, "/ws", "websocket", &[]);
    assert_eq!(answer.echo("no origin"), "no origin");
    assert_eq!(app::counts(token).upgrades, 2);
}

#[test]
fn origins_decided_by_a_function_refuse_and_upgrade_alike() {
    let token = "function";
    let evil = "https://function.evil.example";
    let answer = handshake(
        false,
        token,
        "/ws/fn",
        "websocket",
        &[("Origin", evil), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_refused(
        &answer,
        token,
        evil,
        &format!(
            "a cross-origin WebSocket handshake: the browser marks it `Sec-Fetch-Site: \
             cross-site` and origin `{evil}` is not allowed (allowed origins: those function \
             `websocket::app::allows` allows; it refused the origin)"
        ),
    );
    let answer = handshake(false, token, "/ws/fn", "websocket", &[("Origin", APP)]);
    assert_eq!(answer.echo("fn"), "fn");
    assert_eq!(app::counts(token).upgrades, 1);
}

#[test]
fn a_get_that_is_no_handshake_reaches_the_handler() {
    // No `Upgrade: websocket`: CORS rules apply (the response carries no CORS header for this
    // origin), the handler runs, and actix-ws refuses to upgrade.
    let token = "not-a-handshake";
    let evil = "https://plain.evil.example";
    let answer = handshake(
        false,
        token,
        "/ws",
        "h2c",
        &[("Origin", evil), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.header("access-control-allow-origin"), None);
    assert_eq!(
        app::counts(token),
        Counts {
            runs: 1,
            upgrades: 0
        }
    );
}
