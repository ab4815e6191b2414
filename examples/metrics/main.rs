//! Every CORS decision counted, and served to Prometheus: the app of `lib.rs` on
//! http://127.0.0.1:8083, its metrics at http://127.0.0.1:8083/metrics.
//!
//! ```text
//! cargo run -p metrics-example
//! ```
//!
//! A package of its own (`examples/metrics/Cargo.toml`), so that the Prometheus exporter is
//! built for it and not for the root package's examples: `cargo run --example metrics` is not
//! a command.
//!
//! It prints `curl` lines that make each kind of decision, and the one that reads the counts.
//! Refused requests are explained on stderr, as in the quickstart (the small logger of
//! `examples/support/stderr_logger.rs`).

#![forbid(unsafe_code)]

#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use actix_web::HttpServer;
use metrics_example::{APP_ORIGIN, PARTNER_ORIGINS};

/// The port (the quickstart has 8080 and 8081, the migration example 8082).
const ADDR: &str = "127.0.0.1:8083";
/// An origin no route allows.
const EVIL: &str = "https://evil.example";

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    stderr_logger::install();
    // Before the server starts: each route registers its counters on first use.
    let handle = metrics_example::install_recorder().map_err(std::io::Error::other)?;
    metrics_example::install_lookup().map_err(std::io::Error::other)?;

    let server = HttpServer::new(move || metrics_example::app(handle.clone()))
        .workers(2)
        .bind(ADDR)?
        .run();

    let api = format!("http://{ADDR}");
    let partner = PARTNER_ORIGINS[1];
    println!("API with #[cors] routes: {api}    metrics: {api}/metrics");
    println!();
    println!("Make a few decisions with curl, as a browser would:");
    println!("  # allowed, then refused (actual requests)");
    println!("  curl -i {api}/api/items -H 'Origin: {APP_ORIGIN}'");
    println!("  curl -i {api}/api/items -H 'Origin: {EVIL}'");
    println!("  # a preflight allowed, then refused for a header");
    println!(
        "  curl -i -X OPTIONS {api}/api/items/7 -H 'Origin: {APP_ORIGIN}' \
         -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-request-id'"
    );
    println!(
        "  curl -i -X OPTIONS {api}/api/items/7 -H 'Origin: {APP_ORIGIN}' \
         -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: x-forbidden'"
    );
    println!("  # a cross-origin write refused before the handler (403)");
    println!(
        "  curl -i -X POST {api}/api/transfer -H 'Origin: {EVIL}' -H 'Sec-Fetch-Site: cross-site'"
    );
    println!("  # report-only: answered unchanged, counted as would_refuse");
    println!("  curl -i {api}/api/beta/items -H 'Origin: {EVIL}'");
    println!(
        "  curl -i -X POST {api}/api/comments -H 'Origin: {EVIL}' -H 'Sec-Fetch-Site: cross-site'"
    );
    println!("  # origins looked up (hits, misses, a failure under .invalid)");
    println!("  curl -i {api}/api/partner/catalogue -H 'Origin: {partner}'");
    println!("  curl -i {api}/api/partner/catalogue -H 'Origin: https://partner.invalid'");
    println!();
    println!("Then read the counts:");
    println!("  curl -s {api}/metrics | grep '^actix_route_cors'");
    println!();
    println!("Refused requests are explained below (log target `actix_route_cors`). Ctrl-C stops.");

    server.await
}
