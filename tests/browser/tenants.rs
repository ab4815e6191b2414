//! `examples/tenants` in each engine: its `#[cors(origins = TENANTS)]` routes allow the origins
//! its SQLite database has. A page whose origin it does not have is blocked; the test registers
//! that origin through the admin endpoint (plain HTTP from the test, as an operator would);
//! the same page in the same tab is then allowed, by the same server, which was not restarted.
//!
//! The world serves the example's `app.rs` on a database file of this process ([`TempDb`]),
//! with the example's own lookup settings.

use crate::api::{PAGE_A_LOCALHOST, PAGE_B, PAGE_B_LOCALHOST};
use crate::case::CorsError;
use crate::case::{Case, Req};
use crate::db::Db;
use crate::engine::Engine;
use crate::harness;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

/// The admin token of the tenants server the world starts.
pub const TOKEN: &str = "browser-admin-token";

/// Removes the database file and its `-wal` and `-shm` when `$2` is closed: the test process
/// holds our stdin, so however it ends, `read` returns (the servers are kept in a `static`,
/// which is never dropped).
const REMOVER: &str = r#"read -r _ignored || true; rm -f "$1" "$1-wal" "$1-shm""#;

/// The tenants server's database: a new file in the temporary directory, removed when the test
/// process ends.
pub struct TempDb {
    db: Db,
    _lifeline: ChildStdin,
    _remover: Child,
}

impl TempDb {
    pub fn create() -> Result<TempDb, String> {
        let path = std::env::temp_dir().join(format!(
            "actix-route-cors-browser-tenants-{}.sqlite3",
            std::process::id()
        ));
        let db = Db::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let mut remover = Command::new("sh")
            .arg("-c")
            .arg(REMOVER)
            .arg("tenants-db-remover")
            .arg(db.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start sh to remove {} later: {e}", path.display()))?;
        let lifeline = remover.stdin.take().expect("stdin is piped");
        Ok(TempDb {
            db,
            _lifeline: lifeline,
            _remover: remover,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// `POST /admin/origins` on the tenants server at `port`, over HTTP/1.1 from the test: the
/// status and the body.
fn register(port: u16, tenant: &str, origin: &str) -> (u16, String) {
    let body = format!(r#"{{"tenant":"{tenant}","origin":"{origin}"}}"#);
    let request = format!(
        "POST /admin/origins HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the tenants server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    stream.write_all(request.as_bytes()).expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("an answer");
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_owned())
}

pub fn a_page_origin_registered_while_the_server_runs_is_allowed_without_a_restart() {
    // The engines share the server, and the case changes what it allows: each registers a page
    // origin of its own.
    let page = match harness::engine() {
        Engine::Chromium => PAGE_B,
        Engine::Firefox => PAGE_B_LOCALHOST,
        Engine::Webkit => PAGE_A_LOCALHOST,
    };
    let mut c = case!(
        a_page_origin_registered_while_the_server_runs_is_allowed_without_a_restart,
        page
    );
    let port = c.servers().tenants_port;
    let items = Req::get("/api/items").include_credentials();

    let blocked = c.fetch_on(port, &items).blocked();
    blocked.because(CorsError::MissingAllowOriginHeader);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 200));
    assert_eq!(seen[0].origin.as_deref(), Some(page));
    assert_eq!(seen[0].allow_origin, None);

    let tenant = format!("acme-{}", c.engine().id());
    let (status, body) = register(port, &tenant, page);
    assert_eq!(status, 201, "{body}");

    // The same page, the same tab, the same server: allowed now.
    let res = c.fetch_on(port, &items).read();
    // The seeded items first (the other engines' runs of this case may have added theirs).
    assert_eq!(res.status, 200);
    assert!(
        res.body
            .starts_with(r#"[{"id":1,"name":"tea"},{"id":2,"name":"cake"}"#),
        "{}",
        res.body
    );
    // And a preflighted JSON write, with credentials.
    let write = Req::new("POST", "/api/items")
        .json(r#"{"name":"scones"}"#)
        .include_credentials();
    let res = c.fetch_on(port, &write).read();
    assert_eq!(res.status, 201);
    assert!(res.body.ends_with(r#""name":"scones"}"#), "{}", res.body);

    let seen = c.server_saw();
    assert_eq!(seen.len(), 4, "{seen:#?}");
    assert_eq!((seen[1].method.as_str(), seen[1].status), ("GET", 200));
    assert_eq!(seen[1].allow_origin.as_deref(), Some(page));
    assert_eq!(seen[1].allow_credentials.as_deref(), Some("true"));
    assert_eq!((seen[2].method.as_str(), seen[2].status), ("OPTIONS", 204));
    assert_eq!(seen[2].allow_origin.as_deref(), Some(page));
    assert_eq!(seen[2].allow_headers.as_deref(), Some("content-type"));
    assert_eq!((seen[3].method.as_str(), seen[3].status), ("POST", 201));
    assert_eq!(seen[3].allow_origin.as_deref(), Some(page));
}
