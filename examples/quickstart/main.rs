//! A real server to poke at: an API with `#[cors]` endpoints on http://127.0.0.1:8080, and a
//! page on http://127.0.0.1:8081 (another origin: the port differs) whose buttons call the API
//! with `fetch()` and show what the browser allowed or blocked.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! The ports are part of the origins written in the attributes (`api.rs`), so they are fixed.
//!
//! `cargo run --example quickstart -- --audit-json` prints the API's audit as JSON instead
//! (what `cors-check --deployment` checks a deployment against), and exits.

mod api;
#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use actix_web::{get, App, HttpResponse, HttpServer, Responder};

const API: &str = "127.0.0.1:8080";
const PAGE: &str = "127.0.0.1:8081";

#[get("/")]
async fn page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(include_str!("page.html"))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    if std::env::args().skip(1).any(|a| a == "--audit-json") {
        print!(
            "{}",
            actix_route_cors::audit::Json::new(&actix_route_cors::audit::routes())
        );
        return Ok(());
    }
    stderr_logger::install();

    let api = HttpServer::new(|| App::new().configure(api::configure))
        .workers(1)
        .bind(API)?
        .run();
    let site = HttpServer::new(|| App::new().service(page))
        .workers(1)
        .bind(PAGE)?
        .run();

    println!("API  (the #[cors] endpoints): http://{API}");
    println!("Page (another origin):        http://{PAGE}  <- open this in a browser and click the buttons");
    println!();
    println!("Or ask with curl, as a browser would:");
    println!("  curl -i http://{API}/items -H 'Origin: http://{PAGE}'");
    println!("  curl -i http://{API}/items -H 'Origin: https://evil.example'");
    println!("  curl -i -X OPTIONS http://{API}/items/7 -H 'Origin: http://{PAGE}' \\");
    println!("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-request-id'");
    println!("  curl -i -X OPTIONS http://{API}/items/7 -H 'Origin: http://{PAGE}' \\");
    println!("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: x-forbidden'");
    println!();
    println!("Refused requests are explained below (log target `actix_route_cors`). Ctrl-C stops.");

    futures_util::future::try_join(api, site).await.map(|_| ())
}
