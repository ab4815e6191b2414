//! `examples/tenants`: tenant origins in SQLite, changed while the server runs. Its `App`
//! (`app.rs`) and database (`db.rs`) are served here as they are, through actix-web's test
//! service, and, for the multi-instance test, by two child processes on one database file.
//!
//! The example's lookup (`app::TENANTS`) is a `static`: its function is installed once per
//! process, and these tests run in parallel, each on a database file of its own. So the
//! function installed here is the example's query (`app::is_registered`) on the database of
//! the test whose request asks: the lookup calls its function on the thread of the request
//! that needs the answer, and `#[actix_web::test]` serves a test's requests on its own thread,
//! which names its database in [`THIS_TESTS_DB`]. The answers are cached process-wide, keyed
//! by origin: each test uses origins of its own. The child processes install the lookup as
//! `main.rs` does (`app::install`).

// The root package's request helpers and log capture, which this test shares.
#[path = "../../../tests/support/mod.rs"]
mod support;

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier, Mutex, Once};
use std::time::{Duration, Instant};

use actix_route_cors::rules::check_origin;
use actix_route_cors::{LookupSettings, MAX_ASKED_ORIGIN_LEN};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use serde_json::json;
use tenants_example::app;
use tenants_example::db::{self, Db};

use support::{get, preflight, send, send_fallible};

/// The admin token of the apps served here.
const TOKEN: &str = "test-admin-token";
/// How long an allowed origin is reused, in this process and in the child processes.
const TTL: Duration = Duration::from_millis(2_000);
/// How long a refused origin is reused, in this process and in the child processes.
const REFUSAL_TTL: Duration = Duration::from_millis(1_000);
/// What the polls below allow on top of a cached answer's lifetime (a busy 2-core machine).
const MARGIN: Duration = Duration::from_millis(1_500);
/// How often a poll asks.
const POLL: Duration = Duration::from_millis(20);

fn settings() -> LookupSettings {
    app::settings().ttl(TTL).refusal_ttl(REFUSAL_TTL)
}

// ---- one database file per test ---------------------------------------------------------------

/// A database file of its own in the temporary directory, removed (with its `-wal` and `-shm`
/// files) when dropped.
struct TempDb {
    path: PathBuf,
}

impl TempDb {
    fn new(test: &str) -> TempDb {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "actix-route-cors-tenants-{}-{}-{test}.sqlite3",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let db = TempDb { path };
        db.remove();
        db
    }

    fn files(&self) -> [PathBuf; 3] {
        let with = |suffix: &str| {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        };
        [self.path.clone(), with("-wal"), with("-shm")]
    }

    fn remove(&self) {
        for file in self.files() {
            let _ = std::fs::remove_file(file);
        }
    }

    fn open(&self) -> Db {
        Db::open(&self.path).expect("the test database opens")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

thread_local! {
    /// The database of the test running on this thread, for the lookup's function.
    static THIS_TESTS_DB: RefCell<Option<Db>> = const { RefCell::new(None) };
}

/// Installs the lookup (once per process) and makes `db` the database it asks for the
/// requests of this thread's test.
fn lookup_asks(db: &Db) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        app::TENANTS
            .install(settings(), |origin: String| {
                let db = THIS_TESTS_DB.with(|d| d.borrow().clone());
                async move {
                    match db {
                        Some(db) => app::is_registered(db, origin)
                            .await
                            .map_err(|e| e.to_string()),
                        None => Err("no test database on this thread".to_owned()),
                    }
                }
            })
            .expect("installed once");
    });
    THIS_TESTS_DB.with(|d| *d.borrow_mut() = Some(db.clone()));
}

/// The example's app on `db` (the lookup asks `db` for this thread's requests).
macro_rules! tenants_app {
    ($db:expr) => {{
        lookup_asks(&$db);
        init_service(app::app($db.clone(), app::AdminToken(TOKEN.to_owned()))).await
    }};
}

/// `method /admin/origins` with `{tenant, origin}` and, if given, the bearer token.
fn admin(method: Method, token: Option<&str>, tenant: &str, origin: &str) -> TestRequest {
    let req = TestRequest::default()
        .method(method)
        .uri("/admin/origins")
        .set_json(json!({ "tenant": tenant, "origin": origin }));
    match token {
        Some(token) => req.insert_header(("authorization", format!("Bearer {token}"))),
        None => req,
    }
}

fn add(tenant: &str, origin: &str) -> TestRequest {
    admin(Method::POST, Some(TOKEN), tenant, origin)
}

fn remove(tenant: &str, origin: &str) -> TestRequest {
    admin(Method::DELETE, Some(TOKEN), tenant, origin)
}

/// Asserts `res` allows `origin` with credentials.
fn assert_allowed(res: &support::Response, origin: &str) {
    assert_eq!(res.one("access-control-allow-origin"), origin, "{res:?}");
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.one("vary"), "Origin");
}

/// Asserts `res` is an answer the browser hides from `origin`'s scripts.
fn assert_refused(res: &support::Response) {
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
}

// ---- in one process, through the test service --------------------------------------------------

#[actix_web::test]
async fn an_origin_added_through_the_admin_endpoint_is_allowed_at_once() {
    let file = TempDb::new("added");
    let db = file.open();
    let app = tenants_app!(db);
    let origin = "https://added.acme.example";

    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_refused(&res);
    res.assert_one_log_containing(&[
        &format!("origin `{origin}` is not allowed"),
        "those lookup `tenant origins in SQLite` allows; it refused the origin",
    ]);
    let res = send(
        &app,
        preflight("/api/items", origin, "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The admin endpoint wants its token.
    for token in [None, Some("wrong-token"), Some("test-admin-token-")] {
        let res = send_fallible(
            &app,
            admin(Method::POST, token, "acme", origin).to_request(),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "token {token:?}");
        if token.is_none() {
            assert_eq!(res.one("www-authenticate"), "Bearer");
        }
    }

    // Origins the crate's rules refuse, with the rule's message; and origins no tenant may
    // register.
    let bad = "https://a.example/";
    let res = send(&app, add("acme", bad).to_request()).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let rule = check_origin(bad).unwrap_err();
    assert_eq!(res.text(), format!("{rule}\n"));
    assert!(
        res.text()
            .starts_with("`https://a.example/` ends with `/`, but browsers send origins without a trailing slash"),
        "{}",
        res.text()
    );
    assert!(res.text().contains(r#"(help: write "https://a.example")"#));
    for (bad, says) in [
        ("*", "`*` is not a tenant origin"),
        ("null", "`null` is not a tenant origin"),
        (
            "https://*.acme.example",
            "is a pattern, but the lookup compares the `Origin` exactly",
        ),
        ("http://localhost:*", "is a pattern"),
        // The rules of written origins, applied to what an admin stores.
        ("https://*.github.io", "`github.io` is a public suffix"),
        (
            "http://acme.example",
            "is a plain-HTTP origin, and the tenants' routes allow credentials",
        ),
        ("HTTPS://acme.example", "has an uppercase scheme"),
        ("acme.example", "has no scheme"),
        ("", "empty origin"),
    ] {
        let res = send(&app, add("acme", bad).to_request()).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(res.text().contains(says), "{bad:?}: {}", res.text());
    }
    let res = send(&app, add("acme", &longest_origin("aa")).to_request()).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.text().contains("is longer than 253 characters"),
        "{}",
        res.text()
    );
    let res = send(&app, add("Acme Corp", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.text().contains("a tenant's name has 1 to 64"),
        "{}",
        res.text()
    );
    assert_eq!(
        db.origins().unwrap(),
        [("acme".to_owned(), db::SEED_ORIGIN.to_owned())],
        "nothing refused was written"
    );

    // Added: allowed at once, although the refusal was cached for REFUSAL_TTL.
    let res = send(&app, add("acme", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        res.text(),
        format!("tenant `acme` may now call the API from `{origin}`\n")
    );
    assert!(db
        .origins()
        .unwrap()
        .contains(&("acme".to_owned(), origin.to_owned())));
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_allowed(&res, origin);
    assert_eq!(res.one("cache-control"), "no-store");
    assert_eq!(
        res.text(),
        r#"[{"id":1,"name":"tea"},{"id":2,"name":"cake"}]"#
    );
    res.assert_no_cors_log();

    // Its preflight for a JSON write, and the write.
    let res = send(
        &app,
        preflight("/api/items", origin, "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one("access-control-allow-origin"), origin);
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.one("access-control-allow-methods"), "POST");
    assert_eq!(res.one("access-control-allow-headers"), "content-type");
    let res = send_fallible(
        &app,
        TestRequest::post()
            .uri("/api/items")
            .insert_header(("origin", origin))
            .insert_header(("sec-fetch-site", "cross-site"))
            .set_json(json!({ "name": "scones" }))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_allowed(&res, origin);
    assert_eq!(res.text(), r#"{"id":3,"name":"scones"}"#);
    assert_eq!(db.items().unwrap().len(), 3);

    // Twice: a conflict.
    let res = send(&app, add("acme", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(
        res.text(),
        format!("tenant `acme` has the origin `{origin}` already\n")
    );
}

#[actix_web::test]
async fn a_removed_origin_is_refused_at_once_by_the_process_that_removed_it() {
    let file = TempDb::new("removed");
    let db = file.open();
    let app = tenants_app!(db);
    let origin = "https://shared.front.example";
    for tenant in ["acme", "globex"] {
        let res = send(&app, add(tenant, origin).to_request()).await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_allowed(&res, origin);

    let res = send_fallible(
        &app,
        admin(Method::DELETE, None, "acme", origin).to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // Another tenant still has it: still allowed.
    let res = send(&app, remove("acme", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_allowed(&res, origin);
    // The last one: refused at once, although the answer was cached for TTL.
    let res = send(&app, remove("globex", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_refused(&res);

    let res = send(&app, remove("globex", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        res.text(),
        format!("tenant `globex` has no origin `{origin}`\n")
    );

    let res = send(
        &app,
        TestRequest::get()
            .uri("/admin/origins")
            .insert_header(("authorization", format!("Bearer {TOKEN}")))
            .to_request(),
    )
    .await;
    assert_eq!(res.text(), format!("acme {}\n", db::SEED_ORIGIN));
}

#[actix_web::test]
async fn a_change_made_by_another_process_is_seen_when_the_cached_answer_expires() {
    let file = TempDb::new("elsewhere");
    let db = file.open();
    let app = tenants_app!(db);
    // Another process: its own connection to the file, and no `forget` in this one.
    let elsewhere = file.open();
    let origin = "https://elsewhere.acme.example";

    let refused_at = Instant::now();
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_refused(&res);
    elsewhere.add_origin("acme", origin).unwrap();
    // The refusal is cached from after `refused_at` for REFUSAL_TTL.
    let asked = Instant::now();
    assert!(
        asked < refused_at + REFUSAL_TTL,
        "the machine took {:?} between two requests: too slow to see the cache",
        asked - refused_at
    );
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_refused(&res);

    let allowed = poll(refused_at + REFUSAL_TTL + MARGIN, || async {
        let res = send(&app, get("/api/items", origin).to_request()).await;
        res.headers.contains_key("access-control-allow-origin")
    })
    .await;
    assert!(
        allowed.done,
        "still refused {:?} after it was added",
        allowed.asked - asked
    );
    assert!(
        allowed.answered >= refused_at + REFUSAL_TTL,
        "allowed after {:?}, before its refusal expired",
        allowed.answered - refused_at
    );

    // Removed elsewhere: allowed until the answer cached at the last poll expires.
    elsewhere.remove_origin("acme", origin).unwrap();
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_allowed(&res, origin);
    let refused = poll(allowed.asked + TTL + MARGIN, || async {
        let res = send(&app, get("/api/items", origin).to_request()).await;
        !res.headers.contains_key("access-control-allow-origin")
    })
    .await;
    assert!(
        refused.done,
        "still allowed {:?} after it was removed",
        refused.asked - allowed.asked
    );
    // Cached by the lookup that the allowing poll started, so after `allowed.asked`.
    assert!(
        refused.answered >= allowed.asked + TTL,
        "refused after {:?}, before its allowance expired",
        refused.answered - allowed.asked
    );
}

/// The last question a poll asked.
#[derive(Clone, Copy)]
struct Polled {
    /// When it was asked: the server answered it after this.
    asked: Instant,
    /// When its answer came back: the server answered it before this.
    answered: Instant,
    /// The answer.
    done: bool,
}

/// Asks `done` every [`POLL`] until it says yes or `deadline` passed.
///
/// A server's cache entry is made after the question that made it was *asked*, and a later
/// answer that shows it expired was given before that answer was *received*: a lower bound
/// on how long an entry lived compares `answered` with an earlier `asked`, never two `asked`
/// (the request's trip to the server is not part of the entry's life).
async fn poll<F, Fut>(deadline: Instant, mut done: F) -> Polled
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    loop {
        let asked = Instant::now();
        let done = done().await;
        let polled = Polled {
            asked,
            answered: Instant::now(),
            done,
        };
        if done || asked > deadline {
            return polled;
        }
        actix_web::rt::time::sleep(POLL).await;
    }
}

#[actix_web::test]
async fn the_seeded_tenant_is_allowed_and_unknown_writes_do_not_run() {
    let file = TempDb::new("seeded");
    let db = file.open();
    let app = tenants_app!(db);
    let res = send(&app, get("/api/items", db::SEED_ORIGIN).to_request()).await;
    assert_allowed(&res, db::SEED_ORIGIN);

    let stranger = "https://stranger.example";
    let res = send_fallible(
        &app,
        TestRequest::post()
            .uri("/api/items")
            .insert_header(("origin", stranger))
            .insert_header(("sec-fetch-site", "cross-site"))
            .set_json(json!({ "name": "stolen" }))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
    assert!(
        res.text().contains("tenant origins in SQLite"),
        "{}",
        res.text()
    );
    assert_eq!(db.items().unwrap().len(), 2, "the handler did not run");
}

#[actix_web::test]
async fn a_failing_database_refuses_and_is_logged() {
    let file = TempDb::new("failing");
    let db = file.open();
    let app = tenants_app!(db);
    rusqlite::Connection::open(&file.path)
        .unwrap()
        .execute_batch("DROP TABLE tenant_origins")
        .unwrap();
    let origin = "https://failing.acme.example";
    let res = send(&app, get("/api/items", origin).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_refused(&res);
    let warning = res
        .logs
        .iter()
        .find(|r| r.level == log::Level::Warn)
        .unwrap_or_else(|| panic!("the failure is logged: {:?}", res.logs));
    assert!(
        warning.message.contains(&format!(
            "CORS lookup `tenant origins in SQLite` failed for origin `{origin}`, which is refused: SQLite: no such table: tenant_origins"
        )),
        "{}",
        warning.message
    );
}

/// `https://` and a 253-byte host (the longest the rules accept) with its first label
/// starting with `first` instead of `a` (one more byte: too long), and `:65535`.
fn longest_origin(first: &str) -> String {
    let label = "a".repeat(63);
    format!(
        "https://{first}{}.{label}.{label}.{}:65535",
        "a".repeat(62),
        "a".repeat(61)
    )
}

#[test]
fn every_origin_the_rules_accept_can_be_looked_up() {
    let longest = longest_origin("a");
    assert_eq!(app::check_tenant_origin(&longest), Ok(()));
    assert!(longest.len() <= MAX_ASKED_ORIGIN_LEN, "{}", longest.len());
    let refused = app::check_tenant_origin(&longest_origin("aa")).unwrap_err();
    assert!(
        refused.contains("is longer than 253 characters"),
        "{refused}"
    );
}

// ---- the database file -------------------------------------------------------------------------

#[test]
fn a_new_database_is_created_once_in_wal_mode_and_keeps_its_changes() {
    let file = TempDb::new("schema");
    // Two processes starting at once on a new file: one creates the schema and the seed.
    let barrier = Arc::new(Barrier::new(2));
    let opened: Vec<Db> = (0..2)
        .map(|_| {
            let (barrier, path) = (Arc::clone(&barrier), file.path.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Db::open(&path).expect("opens")
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().expect("no panic"))
        .collect();
    let seed = vec![("acme".to_owned(), db::SEED_ORIGIN.to_owned())];
    for db in &opened {
        assert_eq!(db.origins().unwrap(), seed);
        assert_eq!(db.path(), file.path);
    }
    let conn = rusqlite::Connection::open(&file.path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);

    // Reopened: not seeded again.
    assert!(opened[0].remove_origin("acme", db::SEED_ORIGIN).unwrap());
    drop(opened);
    let db = file.open();
    assert_eq!(db.origins().unwrap(), []);
    assert_eq!(db.items().unwrap().len(), 2);

    // A file of another program's schema is refused, not changed.
    let other = TempDb::new("other-schema");
    rusqlite::Connection::open(&other.path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 7")
        .unwrap();
    let error = Db::open(&other.path).unwrap_err().to_string();
    assert!(
        error.ends_with("has schema version 7; this program knows version 1"),
        "{error}"
    );
}

// ---- two processes, one database ---------------------------------------------------------------

/// The environment of a child server: its database file.
const CHILD_DB: &str = "TENANTS_TEST_CHILD_DB";
/// What a child server prints on stdout once it listens: this, then its port.
const PORT_LINE: &str = "TENANTS_TEST_CHILD_PORT=";
/// How long a child server lives at most, should nobody stop it.
const CHILD_LIFETIME: Duration = Duration::from_secs(60);
/// How long a child server may take to start.
const CHILD_START: Duration = Duration::from_secs(30);

/// Not a test of its own: the server that [`two_processes_on_one_database_see_each_others_changes`]
/// starts twice, by running this test binary again with `--ignored --exact` and the database
/// in `$TENANTS_TEST_CHILD_DB`. It serves the example's app as `main.rs` does (with this
/// file's TTLs) on an ephemeral port, which it prints, until its stdin closes (the parent
/// ended or killed it) or [`CHILD_LIFETIME`] passed.
#[test]
#[ignore = "a server for two_processes_on_one_database_see_each_others_changes, in a child process"]
fn serve_for_another_test_process() {
    let Some(path) = std::env::var_os(CHILD_DB) else {
        println!("{CHILD_DB} is not set: nothing to serve");
        return;
    };
    // Ends the process when the parent closes our stdin, or after CHILD_LIFETIME.
    let (closed, stop) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        let _ = closed.send(());
    });
    std::thread::spawn(move || {
        if stop.recv_timeout(CHILD_LIFETIME).is_err() {
            eprintln!("tenants child server: {CHILD_LIFETIME:?} passed, stopping");
        }
        std::process::exit(0);
    });

    let db = Db::open(Path::new(&path)).expect("the child opens the database");
    app::install(&db, settings()).expect("installed once");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("an address").port();
    actix_web::rt::System::new().block_on(async move {
        let server = actix_web::HttpServer::new(move || {
            app::app(db.clone(), app::AdminToken(TOKEN.to_owned()))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .expect("listens")
        .run();
        println!("{PORT_LINE}{port}");
        std::io::stdout().flush().expect("stdout");
        server.await.expect("serves");
    });
}

/// A child server, killed when dropped.
struct ChildServer {
    name: &'static str,
    child: Child,
    port: u16,
    stderr: Arc<Mutex<String>>,
}

impl ChildServer {
    fn start(name: &'static str, db: &Path) -> ChildServer {
        let exe = std::env::current_exe().expect("the test binary");
        let mut child = Command::new(exe)
            .args([
                "--exact",
                "serve_for_another_test_process",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DB, db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the test binary runs again");
        let stderr = Arc::new(Mutex::new(String::new()));
        let err = child.stderr.take().expect("piped");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut all = sink.lock().unwrap_or_else(|e| e.into_inner());
                all.push_str(&line);
                all.push('\n');
            }
        });
        let out = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel::<u16>();
        // Reads the port, then keeps draining stdout so the child never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                // libtest wrote `test serve_for_another_test_process ... ` before it.
                if let Some((_, port)) = line.split_once(PORT_LINE) {
                    let _ = tx.send(port.trim().parse().expect("a port number"));
                }
            }
        });
        let mut server = ChildServer {
            name,
            child,
            port: 0,
            stderr,
        };
        server.port = rx.recv_timeout(CHILD_START).unwrap_or_else(|_| {
            panic!(
                "child server {name} did not print its port within {CHILD_START:?}; stderr:\n{}",
                server.stderr.lock().unwrap_or_else(|e| e.into_inner())
            )
        });
        server
    }

    /// `method path` over HTTP/1.1: see [`http`].
    fn call(&self, method: &str, path: &str, origin: Option<&str>, admin: Option<&str>) -> Answer {
        http(self.port, method, path, origin, admin).unwrap_or_else(|e| {
            panic!(
                "child server {}: {method} {path}: {e}; its stderr:\n{}",
                self.name,
                self.stderr.lock().unwrap_or_else(|e| e.into_inner())
            )
        })
    }

    fn items(&self, origin: &str) -> Answer {
        let answer = self.call("GET", "/api/items", Some(origin), None);
        assert_eq!(answer.status, 200, "{answer:?}");
        assert_eq!(answer.header("vary"), Some("Origin"));
        answer
    }

    fn allows(&self, origin: &str) -> bool {
        match self.items(origin).header("access-control-allow-origin") {
            Some(allowed) => {
                assert_eq!(allowed, origin);
                true
            }
            None => false,
        }
    }

    fn admin(&self, method: &str, origin: &str) -> Answer {
        let body = json!({ "tenant": "acme", "origin": origin }).to_string();
        self.call(method, "/admin/origins", None, Some(&body))
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        // By its id, the process this test started.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status, headers (names lowercased), body.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`), read to its end: with
/// `Origin: origin` if given, and, for `admin` calls, the bearer token and `admin` as a JSON
/// body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    origin: Option<&str>,
    admin: Option<&str>,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    if let Some(origin) = origin {
        request.push_str(&format!("Origin: {origin}\r\n"));
    }
    if let Some(json) = admin {
        request.push_str(&format!(
            "Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{json}",
            json.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    stream.write_all(request.as_bytes())?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let bad = || std::io::Error::other(format!("not an HTTP answer: {raw:?}"));
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(bad)?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// [`poll`] for a server in another process, asked by blocking calls.
fn poll_blocking(deadline: Instant, mut done: impl FnMut() -> bool) -> Polled {
    actix_web::rt::System::new().block_on(poll(deadline, || std::future::ready(done())))
}

#[test]
fn two_processes_on_one_database_see_each_others_changes() {
    let file = TempDb::new("two-processes");
    let a = ChildServer::start("A", &file.path);
    let b = ChildServer::start("B", &file.path);
    let origin = "https://new-front.acme.example";

    // Both refuse it, and B caches its refusal for REFUSAL_TTL.
    assert!(!a.allows(origin));
    let b_refused = Instant::now();
    assert!(!b.allows(origin));

    // Added through A: A allows it at once.
    let answer = a.admin("POST", origin);
    assert_eq!(answer.status, 201, "{answer:?}");
    let added = Instant::now();
    assert!(a.allows(origin), "A allows the origin it added at once");

    // B reuses its refusal until it expires, then asks the database again.
    let asked = Instant::now();
    assert!(
        asked < b_refused + REFUSAL_TTL,
        "the machine took {:?}: too slow to see B's cache",
        asked - b_refused
    );
    assert!(!b.allows(origin), "B still has its cached refusal");
    let b_allowed = poll_blocking(added + REFUSAL_TTL + MARGIN, || b.allows(origin));
    let delay = b_allowed.answered - added;
    assert!(
        b_allowed.done,
        "B still refuses {delay:?} after the origin was added"
    );
    assert!(
        b_allowed.answered >= b_refused + REFUSAL_TTL,
        "B allowed it {:?} after caching its refusal, less than REFUSAL_TTL",
        b_allowed.answered - b_refused
    );
    assert!(delay <= REFUSAL_TTL + MARGIN, "{delay:?}");
    println!(
        "an origin added through A was allowed by B {delay:?} later (REFUSAL_TTL {REFUSAL_TTL:?})"
    );

    // Removed through B: B refuses it at once; A allows it until its allowance expires.
    assert!(a.allows(origin));
    let answer = b.admin("DELETE", origin);
    assert_eq!(answer.status, 204, "{answer:?}");
    let removed = Instant::now();
    assert!(!b.allows(origin), "B refuses the origin it removed at once");
    let a_refused = poll_blocking(removed + TTL + MARGIN, || !a.allows(origin));
    let delay = a_refused.answered - removed;
    assert!(
        a_refused.done,
        "A still allows {delay:?} after the origin was removed"
    );
    // A looked it up once, after `added`, and reused that answer since.
    assert!(
        a_refused.answered >= added + TTL,
        "A refused it {:?} after it looked it up, less than TTL",
        a_refused.answered - added
    );
    println!("an origin removed through B was refused by A {delay:?} later (TTL {TTL:?})");

    // One database: what one writes, the other reads.
    let answer = b.call("POST", "/api/items", None, Some(r#"{"name":"scones"}"#));
    assert_eq!(answer.status, 201, "{answer:?}");
    let answer = a.call("GET", "/api/items", None, None);
    assert_eq!(
        answer.body,
        r#"[{"id":1,"name":"tea"},{"id":2,"name":"cake"},{"id":3,"name":"scones"}]"#
    );
}
