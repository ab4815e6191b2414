//! Migrating from `actix-cors` one endpoint at a time: an app whose endpoints were all under one
//! `actix_cors::Cors`, with `GET /items/{id}` moved to `#[cors]` and the rest left as it was
//! (`app.rs`; `tests/it/migration.rs` checks that app request by request).
//!
//! ```text
//! cargo run --example migration      # serves http://127.0.0.1:8082 and prints curl lines
//! ```
#![forbid(unsafe_code)]

mod app;

#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use actix_web::HttpServer;

const ADDR: &str = "127.0.0.1:8082";

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    stderr_logger::install();

    // Migrated handlers first, at App level; everything else in `web::scope("")` under
    // actix-cors (see `app::configure`).
    let server = HttpServer::new(app::app).workers(1).bind(ADDR)?.run();

    let app = "https://app.example.com";
    println!(
        "Migration example on http://{ADDR}: GET /items/{{id}} uses #[cors], GET /items reports its #[cors] policy, the rest actix-cors."
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
    println!("Not migrated yet (actix-cors answers; its #[cors] policy is only reported):");
    println!("  curl -i http://{ADDR}/items -H 'Origin: {app}'");
    println!("  curl -i http://{ADDR}/items -H 'Origin: https://evil.example'");
    println!("       # what actix-cors sends; the log says `CORS would refuse GET /items ...`");
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
