//! The servers all cases share, started once per test process before any engine: the API
//! server (ephemeral port), the stack app of `tests/stack/app.rs` twice, with and without
//! `CorsFirst` (ephemeral ports), the tenants example's app on a SQLite file of its own
//! (ephemeral port, see `tenants.rs`), the misconfigured servers (`misconfigured.rs`),
//! and the two page servers (fixed ports, see `api::PAGE_PORTS`). All bind 127.0.0.1.
//!
//! The servers run on their own threads with their own actix `System`s and end with the test
//! process. The three engines use them at the same time: each case marks its requests with a
//! token of its own and its engine's (`t=<case>_<engine>`).

use crate::{api, misconfigured, stack_app, tenants, tenants_app};
use actix_web::{web, App, HttpResponse, HttpServer};
use std::io::ErrorKind;
use std::net::TcpListener;
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

/// How long a server may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long to wait for a fixed page port that another run of these tests holds.
const PORT_WAIT: Duration = Duration::from_secs(90);
/// Requests per minute each `client` (query parameter) may make to the stack apps: small, so
/// that a case reaches the rate limiter's 429 in a few requests.
pub const STACK_LIMIT: u64 = 3;

pub struct Servers {
    pub api_port: u16,
    /// The stack app with `CorsFirst` (see [`STACK_LIMIT`]).
    pub stack_port: u16,
    /// The same app without `CorsFirst`: what the middleware fixes.
    pub stack_without_cors_first_port: u16,
    /// `examples/tenants`' app, its origins in a SQLite file of this process.
    pub tenants_port: u16,
    /// The misconfigured servers of `misconfigured.rs`.
    pub misconfigured_port: u16,
    _tenants_db: tenants::TempDb,
}

static SERVERS: OnceLock<Servers> = OnceLock::new();

/// The servers; panics when [`start`] has not run.
pub fn servers() -> &'static Servers {
    SERVERS.get().expect("the servers started before any case")
}

/// Starts the servers (once).
pub fn start() -> Result<(), String> {
    if SERVERS.get().is_some() {
        return Ok(());
    }
    for port in api::PAGE_PORTS {
        serve(port, Site::Page)?;
    }
    let api_port = serve(0, Site::Api)?;
    let stack_port = serve(0, Site::Stack { cors_first: true })?;
    let stack_without_cors_first_port = serve(0, Site::Stack { cors_first: false })?;
    let tenants_db = tenants::TempDb::create()?;
    tenants_app::install(tenants_db.db(), tenants_app::settings()).map_err(|e| e.to_string())?;
    let tenants_port = serve(0, Site::Tenants(tenants_db.db().clone()))?;
    let misconfigured_port = serve(0, Site::Misconfigured)?;
    let _ = SERVERS.set(Servers {
        api_port,
        stack_port,
        stack_without_cors_first_port,
        tenants_port,
        misconfigured_port,
        _tenants_db: tenants_db,
    });
    Ok(())
}

/// The page servers answer every path with the test page.
fn page_app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new().default_service(web::to(|| async {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(include_str!("page.html"))
    }))
}

/// Which server [`serve`] starts.
#[derive(Clone)]
enum Site {
    Page,
    Api,
    /// `stack_app::app`, wrapped in the API's recorder (see `api::record`).
    Stack {
        cors_first: bool,
    },
    /// `tenants_app::app` on this database, wrapped in the API's recorder.
    Tenants(crate::db::Db),
    /// `misconfigured::routes`, wrapped in the API's recorder.
    Misconfigured,
}

/// Binds `127.0.0.1:port`. A fixed port may be held by another run of these tests (another
/// `cargo test` on the same machine): then wait for it, at most [`PORT_WAIT`].
fn bind(port: u16) -> Result<TcpListener, String> {
    let deadline = Instant::now() + PORT_WAIT;
    let mut told = false;
    loop {
        match TcpListener::bind(("127.0.0.1", port)) {
            Ok(listener) => return Ok(listener),
            Err(e)
                if port != 0 && e.kind() == ErrorKind::AddrInUse && Instant::now() < deadline =>
            {
                if !told {
                    eprintln!(
                        "browser tests: 127.0.0.1:{port} is in use (another run of these tests?); \
                         waiting up to {PORT_WAIT:?} for it"
                    );
                    told = true;
                }
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => {
                let hint = if port == 0 {
                    ""
                } else {
                    " (the port is fixed because it is part of the page origins written in the \
                     #[cors] attributes of tests/browser/api.rs)"
                };
                return Err(format!("cannot bind 127.0.0.1:{port}: {e}{hint}"));
            }
        }
    }
}

/// Starts the HTTP server for `site` on `127.0.0.1:port` in its own thread and `System`, and
/// returns the port it listens on.
fn serve(port: u16, site: Site) -> Result<u16, String> {
    let listener = bind(port)?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("no local address for port {port}: {e}"))?
        .port();
    let (tx, rx) = mpsc::channel::<Result<(), String>>();
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            let server = match site {
                Site::Page => HttpServer::new(page_app)
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener)
                    .map(HttpServer::run),
                Site::Api => HttpServer::new(api::app)
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener)
                    .map(HttpServer::run),
                Site::Stack { cors_first } => {
                    let stack = stack_app::Stack {
                        cors_first,
                        limit: STACK_LIMIT,
                    };
                    // One store of counts for the server, whatever its number of workers.
                    let backend = stack_app::backend();
                    HttpServer::new(move || {
                        stack_app::app(stack, backend.clone()).wrap_fn(api::record)
                    })
                    .workers(1)
                    .disable_signals()
                    .shutdown_timeout(1)
                    .listen(listener)
                    .map(HttpServer::run)
                }
                Site::Tenants(db) => HttpServer::new(move || {
                    let token = tenants_app::AdminToken(tenants::TOKEN.to_owned());
                    tenants_app::app(db.clone(), token).wrap_fn(api::record)
                })
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .listen(listener)
                .map(HttpServer::run),
                Site::Misconfigured => HttpServer::new(|| {
                    App::new()
                        .wrap_fn(api::record)
                        .configure(misconfigured::routes)
                })
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .listen(listener)
                .map(HttpServer::run),
            };
            match server {
                Ok(server) => {
                    let _ = tx.send(Ok(()));
                    let _ = server.await;
                }
                Err(e) => {
                    let _ = tx.send(Err(format!("cannot serve on port {port}: {e}")));
                }
            }
        });
    });
    rx.recv_timeout(START_TIMEOUT)
        .map_err(|_| format!("the server for port {port} did not start"))??;
    Ok(port)
}
