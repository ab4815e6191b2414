//! Migrating from `actix-cors` one endpoint at a time: an app whose endpoints were all under one
//! `actix_cors::Cors`, with `GET /items/{id}` moved to `#[cors]` and the rest left as it was.
//!
//! ```text
//! cargo run --example migration      # serves http://127.0.0.1:8082 and prints curl lines
//! ```
//!
//! Before, every endpoint was under one middleware wrapped around the whole `App`:
//!
//! ```rust,ignore
//! App::new()
//!     .wrap(
//!         Cors::default()
//!             .allowed_origin("https://app.example.com")
//!             .allowed_methods(["GET", "PUT"])
//!             .allowed_headers(["content-type", "x-request-id"])
//!             .expose_headers(["x-request-id"])
//!             .supports_credentials()
//!             .max_age(600),
//!     )
//!     .service(list_items)
//!     .service(get_item) // a plain #[get("/items/{id}")]
//!     .service(put_item)
//! ```
//!
//! After (below), two changes:
//!
//! 1. `get_item` carries the policy in `#[cors(...)]` and is registered at App level, **first**.
//! 2. The endpoints not migrated yet move into `web::scope("")` and the `Cors` wraps that scope
//!    instead of the `App`.
//!
//! `actix-cors` answers every preflight it sees before routing. Wrapped around the `App`, it
//! would also answer the migrated route's preflights and edit that route's responses. Wrapped
//! around the scope, it only sees requests the router sends into the scope. Those are requests
//! that no `#[cors]` resource registered before the scope took. The order matters:
//! `web::scope("")` matches every path, and a scope never hands a miss back to resources
//! registered after it, so a `#[cors]` handler registered after the scope answers `404`.
//! `tests/migration.rs` checks all of this.
#![forbid(unsafe_code)]

use actix_route_cors::cors;
use actix_web::{get, put, web, App, HttpResponse, HttpServer, Responder};

const ADDR: &str = "127.0.0.1:8082";

/// The configuration every endpoint was under before; it now covers only the scope.
fn legacy_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin("https://app.example.com")
        .allowed_methods(["GET", "PUT"])
        .allowed_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}

/// Migrated: the same policy as `legacy_cors()`, written on the handler. Its preflights get
/// `Access-Control-Allow-Methods: GET` (the route's only method), not actix-cors's `GET, PUT`.
#[cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600
)]
#[get("/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "r-1"))
        .body(format!("item {id}\n"))
}

/// Not migrated yet: still under actix-cors.
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok().body("[1, 2, 3]\n")
}

/// Not migrated yet, on the migrated route's path. A preflight asking for `PUT` is not
/// taken by `get_item`'s preflight resource (it serves only GET), so it reaches the scope and
/// actix-cors answers it.
#[put("/items/{id}")]
async fn put_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("stored {id}\n"))
}

/// Prints this crate's log records (the reason of each refusal) on stderr.
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.target() == "actix_route_cors" && m.level() <= log::Level::Info
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("[{} {}] {}", r.level(), r.target(), r.args());
        }
    }
    fn flush(&self) {}
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let _ = log::set_logger(&StderrLogger).map(|()| log::set_max_level(log::LevelFilter::Info));

    let server = HttpServer::new(|| {
        App::new()
            // 1. Migrated handlers first, at App level.
            .service(get_item)
            // 2. Everything else in a scope that matches every path, under actix-cors.
            .service(
                web::scope("")
                    .wrap(legacy_cors())
                    .service(list_items)
                    .service(put_item),
            )
    })
    .workers(1)
    .bind(ADDR)?
    .run();

    let app = "https://app.example.com";
    println!(
        "Migration example on http://{ADDR}: GET /items/{{id}} uses #[cors], the rest actix-cors."
    );
    println!();
    println!("The migrated route (#[cors]):");
    println!("  curl -i http://{ADDR}/items/7 -H 'Origin: {app}'");
    println!("  curl -i -X OPTIONS http://{ADDR}/items/7 -H 'Origin: {app}' \\");
    println!("       -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: x-request-id'");
    println!("       # 204, Access-Control-Allow-Methods: GET");
    println!("  curl -i -X OPTIONS http://{ADDR}/items/7 -H 'Origin: https://evil.example' \\");
    println!("       -H 'Access-Control-Request-Method: GET'");
    println!("       # 403 with a text/plain reason and Vary");
    println!();
    println!("Not migrated yet (actix-cors):");
    println!("  curl -i http://{ADDR}/items -H 'Origin: {app}'");
    println!("  curl -i -X OPTIONS http://{ADDR}/items/7 -H 'Origin: {app}' \\");
    println!("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'");
    println!("       # 200, Access-Control-Allow-Methods: GET, PUT (in any order)");
    println!("  curl -i -X OPTIONS http://{ADDR}/items/7 -H 'Origin: https://evil.example' \\");
    println!("       -H 'Access-Control-Request-Method: PUT'");
    println!("       # 400, no Vary");
    println!();
    println!(
        "Refusals by #[cors] are explained below (log target `actix_route_cors`). Ctrl-C stops."
    );

    server.await
}
