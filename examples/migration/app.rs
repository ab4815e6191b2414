//! The app of `cargo run --example migration`, after its first endpoint moved from
//! `actix-cors` to `#[cors]`. `tests/it/migration.rs` includes this file and checks, request by
//! request, which layer answers what.
//!
//! Before, every endpoint was under one middleware wrapped around the whole `App`:
//!
//! ```rust,ignore
//! App::new()
//!     .wrap(legacy_cors())
//!     .service(list_items)
//!     .service(get_item) // a plain #[get("/items/{id}")]
//!     .service(put_item)
//! ```
//!
//! After ([`configure`]), two changes:
//!
//! 1. `get_item` carries the policy in `#[cors(...)]` and is registered at App level, **first**.
//! 2. The endpoints not migrated yet ([`legacy`]) move into `web::scope("")`, and the `Cors`
//!    wraps that scope instead of the `App`.
//!
//! And the next endpoint is on its way: `list_items` has its policy written with `report_only`,
//! still under actix-cors. Every request to it is judged by the policy and what it would refuse
//! is logged (and counted, with feature `metrics`), while actix-cors still answers and nothing
//! the endpoint sends changes. When the log shows no surprise, remove `report_only` and move
//! the handler out of the scope, as `get_item` was. Its actual requests are judged (the route's
//! middleware sees them inside actix-cors); its preflights are not, since actix-cors answers
//! them before routing. `CorsFirst` would see them first, but it is no help here: on
//! `/items/{id}` it would refuse the preflights for `PUT`, which `put_item`, a handler without
//! `#[cors]`, serves (`CorsFirst` knows only `#[cors]` handlers).

use actix_route_cors::cors;
use actix_web::{get, put, web, HttpResponse, Responder};

/// The configuration every endpoint was under before; it now covers only the scope.
pub fn legacy_cors() -> actix_cors::Cors {
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
pub async fn get_item(id: web::Path<u32>) -> impl Responder {
    item(*id)
}

/// The item's response, unchanged by the migration: only the attribute above the handler and
/// the wiring in [`configure`] changed.
pub fn item(id: u32) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "r-1"))
        .body(format!("item {id}\n"))
}

/// Not migrated yet: still under actix-cors, with its policy written and only reported
/// (`report_only`): the same policy as `legacy_cors()`.
#[cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    expose = ["x-request-id"],
    credentials,
    max_age = 600,
    report_only
)]
#[get("/items")]
pub async fn list_items() -> impl Responder {
    items()
}

/// The list's response.
pub fn items() -> HttpResponse {
    HttpResponse::Ok().body("[1, 2, 3]\n")
}

/// The whole app, as `main.rs` serves it: [`configure`].
pub fn app() -> actix_web::App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    actix_web::App::new().configure(configure)
}

/// Not migrated yet, on the migrated route's path. A preflight asking for `PUT` is not
/// taken by `get_item`'s preflight resource (it serves only GET), so it reaches the scope and
/// actix-cors answers it.
#[put("/items/{id}")]
pub async fn put_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("stored {id}\n"))
}

/// Registers the endpoints that are not migrated yet (inside the scope `actix-cors` wraps).
pub fn legacy(cfg: &mut web::ServiceConfig) {
    cfg.service(list_items).service(put_item);
}

/// The whole app, wired for the migration: `#[cors]` handlers first, at App level; everything
/// else in a scope that matches every path, under `actix-cors`.
///
/// `actix-cors` answers every preflight it sees before routing. Wrapped around the `App`, it
/// would also answer the migrated route's preflights and edit that route's responses. Wrapped
/// around the scope, it only sees requests the router sends into the scope: those that no
/// `#[cors]` resource registered before the scope took. The order matters: `web::scope("")`
/// matches every path, and a scope never hands a miss back to resources registered after it,
/// so a `#[cors]` handler registered after the scope would answer `404`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_item)
        .service(web::scope("").wrap(legacy_cors()).configure(legacy));
}
