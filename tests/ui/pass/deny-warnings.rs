//! The expansion is clean under strict lints: nothing it writes adds a warning.
#![deny(
    warnings,
    unused_qualifications,
    missing_docs,
    rust_2018_idioms,
    unused_results,
    unused_import_braces,
    unused_lifetimes,
    trivial_casts,
    trivial_numeric_casts,
    single_use_lifetimes,
    unsafe_code
)]

use actix_route_cors::cors;
use actix_web::{get, post, routes, App, HttpResponse, Responder};

/// Lists the items.
#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET],
    headers = ["content-type", "x-request-id"],
    expose = ["x-total"],
    credentials,
    max_age = 600,
    private_network
)]
#[get("/items", name = "items")]
pub async fn list_items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "0"))
        .body("[]")
}

/// Reads or replaces the settings.
#[cors(origins = ["*"], headers = ["*"], expose = ["*"])]
#[routes]
#[get("/settings")]
#[post("/settings")]
pub async fn settings() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _app = App::new().service(list_items).service(settings);
}
