//! The metrics example's `App`: a few `#[cors]` routes whose every CORS decision is counted
//! (the facade's feature `metrics`), and `GET /metrics`, which renders the counts in the
//! Prometheus text format. `main.rs` serves it on http://127.0.0.1:8083; this package's test
//! (`tests/metrics.rs`) serves the same app and reads `/metrics` over HTTP.
//!
//! # What is counted
//!
//! | metric | type | labels |
//! |---|---|---|
//! | `actix_route_cors_decisions_total` | counter | `route`, `kind`, `outcome`, `reason` |
//! | `actix_route_cors_lookup_hits_total` | counter | `lookup` |
//! | `actix_route_cors_lookup_misses_total` | counter | `lookup` |
//! | `actix_route_cors_lookup_failures_total` | counter | `lookup` |
//! | `actix_route_cors_lookup_overloaded_total` | counter | `lookup` |
//! | `actix_route_cors_lookup_cache_entries` | gauge | `lookup` |
//! | `actix_route_cors_lookups_in_flight` | gauge | `lookup` |
//!
//! - `route`: the handler's name (`items`, `update_item`, ...);
//! - `kind`: `actual`, `preflight`, `write` (a cross-origin write refused before the handler),
//!   `handshake` (a WebSocket handshake refused before the upgrade);
//! - `outcome`: `allowed`, `refused`, `would_refuse` (report-only: the response was not
//!   changed);
//! - `reason`: `none` (allowed), `origin`, `method`, `header`, `size`, `private_network`,
//!   `write`, `handshake`, `lookup_failed`, `lookup_overloaded`;
//! - `lookup`: an `OriginLookup`'s description (`partner origins` here).
//!
//! The origin is never a label: a flood of made-up origins adds no series. A request without
//! `Origin` is not counted. One request is one decision: a write refused before the handler
//! counts as `kind="write"`, not also as `actual`.
//!
//! Refusals per route, and what report-only routes would refuse if enforced:
//!
//! ```promql
//! sum by (route) (rate(actix_route_cors_decisions_total{outcome="refused"}[5m]))
//! sum by (route, kind, reason) (rate(actix_route_cors_decisions_total{outcome="would_refuse"}[5m]))
//! ```
//!
//! The crate's guide has the same list, with what each count means:
//! `docs/metrics.md`.
//!
//! # The exporter
//!
//! `metrics-exporter-prometheus` without its default features: the recorder alone
//! ([`install_recorder`]), no HTTP listener or push-gateway client of its own (they bring
//! hyper, and a tokio runtime beside actix-web's). The app renders the recorder's handle in
//! its own `GET /metrics`. In production, serve that route where only the scraper reaches it
//! (another port, or behind authentication): it says which routes are refused how often.

#![forbid(unsafe_code)]

use std::time::Duration;

use actix_route_cors::{cors, AlreadyInstalled, LookupSettings, OriginLookup};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{get, post, put, web, App, Error, HttpResponse};
use metrics_exporter_prometheus::{BuildError, PrometheusBuilder, PrometheusHandle};

/// The front-end the routes allow (written in each `#[cors]` below).
pub const APP_ORIGIN: &str = "https://app.example.com";

/// The partners' front-ends [`PARTNERS`] knows.
pub const PARTNER_ORIGINS: [&str; 2] = [
    "https://shop.partner-a.example",
    "https://partner-b.example",
];

/// How long the partner directory takes to answer (a stand-in for a database query).
pub const LOOKUP_DELAY: Duration = Duration::from_millis(10);

/// The origins of partners' front-ends, looked up at run time (here in [`PARTNER_ORIGINS`],
/// after [`LOOKUP_DELAY`]). Its description is the `lookup` label of its metrics.
pub static PARTNERS: OriginLookup = OriginLookup::new("partner origins");

/// Installs the Prometheus recorder as the process's `metrics` recorder, and returns the
/// handle that renders it. Call it before the server starts: the routes register their
/// counters on first use, and a counter registered before a recorder counts into nothing.
///
/// # Errors
/// A recorder was installed already.
pub fn install_recorder() -> Result<PrometheusHandle, BuildError> {
    PrometheusBuilder::new().install_recorder()
}

/// Installs [`PARTNERS`]' function: once per process, before the first `App` is built. An
/// origin under `.invalid` makes it fail (the directory "did not answer"), to show what a
/// failing lookup counts.
///
/// # Errors
/// It was installed already.
pub fn install_lookup() -> Result<(), AlreadyInstalled> {
    PARTNERS.install(LookupSettings::default(), |origin: String| async move {
        actix_web::rt::time::sleep(LOOKUP_DELAY).await;
        if origin.ends_with(".invalid") {
            return Err("the partner directory did not answer");
        }
        Ok(PARTNER_ORIGINS.contains(&origin.as_str()))
    })
}

/// Read by the front-end: allowed from it, refused (no `Access-Control-Allow-Origin`) from
/// any other origin.
#[cors(origins = ["https://app.example.com"])]
#[get("/api/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"["tea","cake"]"#)
}

/// A `PUT` with a JSON body and a custom header: browsers send a preflight first.
#[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-request-id"])]
#[put("/api/items/{id}")]
async fn update_item(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("item {id} updated"))
}

/// A write with cookies: from any origin but the front-end, refused with `403` before the
/// handler runs (the default of a `#[cors]` route).
#[cors(origins = ["https://app.example.com"], credentials)]
#[post("/api/transfer")]
async fn transfer() -> HttpResponse {
    HttpResponse::Ok().body("transferred")
}

/// A new policy tried in report-only mode: nothing in its responses changes (no CORS header
/// added, no preflight answered); what it would refuse is logged and counted as
/// `would_refuse`.
#[cors(origins = ["https://app.example.com"], report_only)]
#[get("/api/beta/items")]
async fn beta_items() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"["scones"]"#)
}

/// Write protection tried before it is turned on: the CORS headers are enforced, but a
/// cross-origin write from another origin reaches the handler, counted as `would_refuse`.
#[cors(origins = ["https://app.example.com"], report_only = writes)]
#[post("/api/comments")]
async fn comments() -> HttpResponse {
    HttpResponse::Created().body("comment stored")
}

/// For partners' front-ends, whose origins [`PARTNERS`] looks up.
#[cors(origins = PARTNERS)]
#[get("/api/partner/catalogue")]
async fn partner_catalogue() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"["tea","cake","scones"]"#)
}

/// The recorder's metrics in the Prometheus text format. Not a `#[cors]` route: only the
/// scraper reads it.
#[get("/metrics")]
async fn prometheus_metrics(handle: web::Data<PrometheusHandle>) -> HttpResponse {
    // Without the exporter's own listener nothing runs its upkeep (it drains histograms; this
    // app has none, and rendering publishes the descriptions itself): done at each scrape.
    handle.run_upkeep();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(handle.render())
}

/// The app: its `#[cors]` routes and `GET /metrics`, which renders `handle`.
pub fn app(
    handle: PrometheusHandle,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(handle))
        .service(items)
        .service(update_item)
        .service(transfer)
        .service(beta_items)
        .service(comments)
        .service(partner_catalogue)
        .service(prometheus_metrics)
}
