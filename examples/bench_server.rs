//! The server `scripts/wrk.sh` drives: one route three ways, side by side, on 127.0.0.1.
//!
//! ```text
//! cargo run --release --example bench_server -- 8099
//! ```
//!
//! - `GET /bare/items`: the bare handler, no CORS;
//! - `GET /cors/items`: the same handler with `#[cors]` (its preflight: `OPTIONS /cors/items`);
//! - `GET /actix-cors/items`: the same handler in a `web::scope` wrapped in `actix-cors` 0.7.2
//!   with the same policy (so that the three coexist in one app).
//!
//! One worker thread (`BENCH_WORKERS` to change it), no logger, so a refused request costs
//! what it costs without one. Stops on SIGINT/SIGTERM.

use actix_route_cors::cors;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{get, web, App, HttpResponse, HttpServer};

const X_TOTAL: HeaderName = HeaderName::from_static("x-total");

fn items_response() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((X_TOTAL, HeaderValue::from_static("42")))
        .body("[]")
}

#[get("/bare/items")]
async fn bare() -> HttpResponse {
    items_response()
}

#[cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600
)]
#[get("/cors/items")]
async fn with_cors() -> HttpResponse {
    items_response()
}

#[get("/items")]
async fn behind_actix_cors() -> HttpResponse {
    items_response()
}

fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin("https://app.example.com")
        .allowed_methods(["GET"])
        .allowed_headers(["content-type", "x-request-id"])
        .supports_credentials()
        .expose_headers(["x-total"])
        .max_age(600)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = match std::env::args().nth(1) {
        Some(p) => p.parse().map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "usage: bench_server PORT")
        })?,
        None => 8099,
    };
    let workers = std::env::var("BENCH_WORKERS")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(1);
    let server = HttpServer::new(|| {
        App::new().service(bare).service(with_cors).service(
            web::scope("/actix-cors")
                .wrap(actix_cors())
                .service(behind_actix_cors),
        )
    })
    .workers(workers)
    .bind(("127.0.0.1", port))?
    .run();
    println!("bench_server listening on http://127.0.0.1:{port} ({workers} worker)");
    server.await
}
