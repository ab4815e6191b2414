//! `cors-check --deployment`: the quickstart's API checked against its own audit, directly and
//! behind two deliberately broken reverse proxies, one that drops
//! `Access-Control-Allow-Credentials` and one that adds a second `Access-Control-Allow-Origin`.
//!
//! A test binary of its own, not a module of `tests/it`: the audit is `audit::routes()`, every
//! `#[cors]` route linked into the program, as the quickstart's own `--audit-json` prints it.
//! Only here is that exactly the quickstart's API (`tests/it` links `#[cors]` routes of its own).

mod support;

#[path = "../../examples/quickstart/api.rs"]
mod api;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::time::Duration;

use support::{actix, cors_check};

/// The audit of the routes compiled into this test: exactly the quickstart's API.
fn audit_file() -> tempfile_path::Path {
    let json = actix_route_cors::audit::Json::new(&actix_route_cors::audit::routes()).to_string();
    tempfile_path::write("quickstart-audit.json", &json)
}

/// A temporary file under the target directory's tmp dir, removed when dropped.
mod tempfile_path {
    pub struct Path(pub std::path::PathBuf);

    impl Drop for Path {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// Tests run in parallel: each file gets a name of its own.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    pub fn write(name: &str, text: &str) -> Path {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("write the audit");
        Path(path)
    }
}

/// How a broken proxy rewrites the upstream's response head (one line per field).
type Rewrite = fn(Vec<String>) -> Vec<String>;

/// A reverse proxy on 127.0.0.1: each connection carries one request, which it forwards to
/// `upstream` with `Connection: close`, and answers with the upstream's response, its header
/// lines passed through `rewrite`.
fn proxy(upstream: String, rewrite: Rewrite) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                let _ = forward(client, &upstream, rewrite);
            });
        }
    });
    format!("http://{addr}")
}

fn read_head(stream: &mut TcpStream) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Ok((buf, rest));
        }
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok((buf, Vec::new()));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn forward(mut client: TcpStream, upstream: &str, rewrite: Rewrite) -> std::io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(10)))?;
    let (head, mut body) = read_head(&mut client)?;
    let head = String::from_utf8_lossy(&head).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = client.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let request: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let mut server = TcpStream::connect(upstream.trim_start_matches("http://"))?;
    server.set_read_timeout(Some(Duration::from_secs(10)))?;
    server
        .write_all(format!("{}\r\nConnection: close\r\n\r\n", request.join("\r\n")).as_bytes())?;
    server.write_all(&body)?;
    let (head, mut rest) = read_head(&mut server)?;
    server.read_to_end(&mut rest)?;
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines: Vec<String> = head.trim_end().lines().map(str::to_owned).collect();
    let status = lines.remove(0);
    let fields = rewrite(lines);
    client.write_all(format!("{status}\r\n{}\r\n\r\n", fields.join("\r\n")).as_bytes())?;
    client.write_all(&rest)?;
    client.shutdown(Shutdown::Both)
}

fn drop_credentials(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .filter(|l| {
            !l.to_ascii_lowercase()
                .starts_with("access-control-allow-credentials:")
        })
        .collect()
}

fn add_star(mut lines: Vec<String>) -> Vec<String> {
    if lines.iter().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("access-control-allow-origin:")
    }) {
        lines.push("Access-Control-Allow-Origin: *".to_owned());
    }
    lines
}

fn untouched(lines: Vec<String>) -> Vec<String> {
    lines
}

#[test]
fn the_quickstart_as_deployed_keeps_every_promise_of_its_audit() {
    let server = actix(api::configure);
    let audit = audit_file();
    let audit = audit.0.to_str().unwrap();
    cors_check(&["--deployment", audit, &server.url("")])
        .assert_code(0)
        .assert_line("5 routes, 0 differ");
    // A proxy that changes nothing changes nothing.
    let through = proxy(server.url(""), untouched);
    cors_check(&["--deployment", audit, &through])
        .assert_code(0)
        .assert_line("5 routes, 0 differ");
}

#[test]
fn a_proxy_that_drops_allow_credentials_is_reported() {
    let server = actix(api::configure);
    let audit = audit_file();
    let audit = audit.0.to_str().unwrap();
    let broken = proxy(server.url(""), drop_credentials);
    cors_check(&["--deployment", audit, &broken])
        .assert_code(1)
        // `me` is the quickstart's one credentialed route.
        .assert_line("DIFFERS  me  GET /me")
        .assert_line("preflight for GET from http://127.0.0.1:8081: access-control-allow-credentials missing (the policy sends `true`): stripped on the way?")
        .assert_line("GET from http://127.0.0.1:8081: access-control-allow-credentials missing (the policy sends `true`): stripped on the way?")
        .assert_line("5 routes, 1 differ");
}

#[test]
fn a_proxy_that_adds_a_second_allow_origin_is_reported() {
    let server = actix(api::configure);
    let audit = audit_file();
    let audit = audit.0.to_str().unwrap();
    let broken = proxy(server.url(""), add_star);
    cors_check(&["--deployment", audit, &broken])
        .assert_code(1)
        .assert_line("DIFFERS  list_items  GET /items")
        .assert_line("GET from http://127.0.0.1:8081: access-control-allow-origin sent 2 times (`http://127.0.0.1:8081`, `*`): browsers refuse the response")
        // `public` (`*`) already sends `*`: a second `*` is still a duplicate.
        .assert_line("DIFFERS  public  GET /public")
        .assert_line("5 routes, 5 differ");
}

#[test]
fn a_bad_audit_file_is_a_usage_error() {
    let server = actix(api::configure);
    let bad = tempfile_path::write("not-an-audit.json", r#"{"routes": []}"#);
    cors_check(&["--deployment", bad.0.to_str().unwrap(), &server.url("")]).assert_code(2);
}
