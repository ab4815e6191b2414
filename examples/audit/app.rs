//! The example app whose `#[cors]` routes `cargo run --example audit` lists (`tests/audit.rs`
//! asserts the table): written policies, two named policies, origins from the environment,
//! a `#[scope]` module, a handler that narrows its methods, a WebSocket endpoint, and origins a
//! function decides.

use actix_route_cors::{audit, cors, cors_policy, OriginSource};
use actix_web::dev::RequestHead;
use actix_web::{delete, get, post, put, routes, web, HttpResponse, Responder};

/// The web front end's origins: different in staging and production, so they come from the
/// environment (`FRONTEND_ORIGINS="https://app.example.com, https://*.preview.example.com"`).
pub static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");

/// What the example puts in [`FRONTEND`] when `FRONTEND_ORIGINS` is not set.
pub const STAND_IN_ORIGINS: [&str; 2] =
    ["https://app.example.com", "https://*.preview.example.com"];

cors_policy!(
    /// Calls from the web front end: credentialed, preflights cached for 10 minutes.
    pub(crate) FRONTEND_API,
    origins = crate::app::FRONTEND,
    credentials,
    max_age = 600
);

cors_policy!(
    /// Data anyone may read.
    pub(crate) OPEN_DATA,
    origins = ["*"],
    expose = ["x-total-count"]
);

#[cors(policy = OPEN_DATA)]
#[get("/v1/stats")]
async fn stats() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total-count", "0"))
        .finish()
}

#[cors(policy = FRONTEND_API)]
#[get("/v1/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(policy = FRONTEND_API, headers = ["content-type", "x-request-id"])]
#[put("/v1/me")]
async fn update_me() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// Serves GET and POST; scripts on the front end may only preflight POST.
#[cors(policy = FRONTEND_API, methods = [POST], headers = ["content-type"])]
#[routes]
#[get("/v1/orders")]
#[post("/v1/orders")]
async fn orders() -> impl Responder {
    HttpResponse::Ok().finish()
}

/// Live order updates, over a WebSocket: the front end's pages may open it (with the user's
/// cookies, as browsers send them with every handshake); a page of another origin gets `403`
/// before the upgrade. (A real handler upgrades, with actix-ws: `actix_ws::handle(&req, body)`.)
#[cors(origins = crate::app::FRONTEND, websocket)]
#[get("/v1/orders/live")]
async fn orders_live() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::scope("/admin")]
pub mod admin {
    use actix_route_cors::cors;
    use actix_web::{delete, HttpResponse, Responder};

    /// The admin console lives on its own origin and is never cached.
    #[cors(origins = ["https://admin.example.com"], credentials, max_age = 0)]
    #[delete("/users/{id}")]
    pub async fn delete_user() -> impl Responder {
        HttpResponse::NoContent().finish()
    }
}

/// A tenant's widget may be embedded by that tenant's own site only: `/v1/t/acme/widget` from
/// `https://acme.example`. The audit names the function that decides.
fn tenant_site(origin: &str, head: &RequestHead) -> bool {
    let tenant = head
        .uri
        .path()
        .strip_prefix("/v1/t/")
        .and_then(|rest| rest.split('/').next());
    tenant.is_some_and(|t| origin.strip_prefix("https://") == Some(&format!("{t}.example")))
}

#[cors(origins = tenant_site)]
#[get("/v1/t/{tenant}/widget")]
async fn widget() -> impl Responder {
    HttpResponse::Ok().finish()
}

/// A route without CORS: same-origin only, and not in the audit.
#[delete("/v1/cache")]
async fn purge_cache() -> impl Responder {
    HttpResponse::NoContent().finish()
}

/// What `cargo run --example audit` prints: the table of every `#[cors]` route, and a count.
pub fn report() -> String {
    let routes = audit::routes();
    format!(
        "{}{} #[cors] routes; origins marked `env ..` come from the environment, `fn ..` from a function.\n",
        audit::Table::new(&routes),
        routes.len()
    )
}

/// What `cargo run --example audit -- --json` prints: the same routes as a JSON document.
pub fn report_json() -> String {
    audit::Json::new(&audit::routes()).to_string()
}

/// Registers every route of the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(stats)
        .service(me)
        .service(update_me)
        .service(orders)
        .service(orders_live)
        .service(admin::delete_user)
        .service(widget)
        .service(purge_cache);
}
