//! An app shaped like the ones that need credentialed CORS: a rate limiter on the `App`,
//! bearer authentication on the `/api` scope, a tenant scope with a dynamic segment inside
//! it, a scope with a guard, a scope whose middleware fails with an `Err`, a `#[scope]`
//! module, and routes without `#[cors]` next to the `#[cors]` ones. `CorsFirst` is the last
//! `wrap`, as the README says.
//!
//! Served by `tests/stack/stack.rs` (in-process) and by the browser suite (over TCP, to
//! headless Chromium).

use std::time::Duration;

use actix_extensible_rate_limit::backend::memory::InMemoryBackend;
use actix_extensible_rate_limit::backend::SimpleInputFunctionBuilder;
use actix_extensible_rate_limit::RateLimiter;
use actix_route_cors::{cors, CorsFirst};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Condition, Next};
use actix_web::{delete, error, get, guard, post, web, App, Error, HttpResponse};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;

/// The page origin the API allows (the browser suite's first page server).
pub const ALLOWED: &str = "http://127.0.0.1:28461";
/// A page origin the API refuses (the browser suite's second page server).
pub const REFUSED: &str = "http://127.0.0.1:28462";
/// The only bearer token the authentication middleware accepts.
pub const TOKEN: &str = "let-me-in";

/// How the app is put together.
#[derive(Debug, Clone, Copy)]
pub struct Stack {
    /// Whether `CorsFirst` wraps the app (the point of the tests: without it, preflights meet
    /// the authentication middleware first).
    pub cors_first: bool,
    /// Requests each client may make per minute (the client is the `client` query parameter,
    /// so that each test counts alone).
    pub limit: u64,
}

impl Default for Stack {
    fn default() -> Self {
        Stack {
            cors_first: true,
            limit: 1_000,
        }
    }
}

#[cors(origins = ["http://127.0.0.1:28461"], headers = ["authorization"], credentials, max_age = 600)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"[{"id":1}]"#)
}

/// The same path as `list_items`, another policy: it also takes a JSON body.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["authorization", "content-type"], credentials)]
#[post("/items")]
async fn create_item() -> HttpResponse {
    HttpResponse::Created().body(r#"{"id":2}"#)
}

#[cors(origins = ["http://127.0.0.1:28461"], headers = ["authorization"], credentials)]
#[delete("/items/{id}")]
async fn delete_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// Mounted in `/api/t/{tenant}`: a dynamic segment in a runtime scope.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["authorization"], credentials)]
#[get("/items")]
async fn tenant_items(tenant: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok().body(format!(r#"{{"tenant":"{tenant}"}}"#))
}

/// In a scope whose guard wants `Content-Type: application/json` (a preflight never has it).
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["content-type"])]
#[post("/echo")]
async fn echo(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body)
}

/// In a scope whose middleware fails with an `Err` before the route.
#[cors(origins = ["http://127.0.0.1:28461"])]
#[get("/status")]
async fn flaky_status() -> HttpResponse {
    HttpResponse::Ok().body("fine")
}

/// A `#[scope]` module, mounted at the App level.
#[actix_web::scope("/v2")]
mod v2 {
    use actix_route_cors::cors;
    use actix_web::{get, HttpResponse};

    #[cors(origins = ["http://127.0.0.1:28461"], headers = ["authorization"], credentials)]
    #[get("/items")]
    pub async fn items() -> HttpResponse {
        HttpResponse::Ok().body("[]")
    }
}

/// Not `#[cors]`: same-origin only.
#[get("/health")]
async fn health() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// Not `#[cors]`, behind the authentication.
#[get("/private")]
async fn private() -> HttpResponse {
    HttpResponse::Ok().body("secret")
}

async fn validator(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if credentials.token() == TOKEN {
        Ok(req)
    } else {
        Err((error::ErrorUnauthorized("invalid token"), req))
    }
}

/// Fails every request with an `Err` (not a response): a maintenance switch.
async fn maintenance(
    _req: ServiceRequest,
    _next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    Err::<ServiceResponse<actix_web::body::BoxBody>, _>(error::ErrorServiceUnavailable(
        "down for maintenance",
    ))
}

/// The rate-limit key: the `client` query parameter (each test its own client).
fn client(req: &ServiceRequest) -> Result<String, Error> {
    Ok(req
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("client="))
        .unwrap_or("anonymous")
        .to_owned())
}

/// The app. `backend` holds the rate limiter's counts (shared by every worker's app).
pub fn app(
    stack: Stack,
    backend: InMemoryBackend,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let input = SimpleInputFunctionBuilder::new(Duration::from_secs(60), stack.limit)
        .custom_fn(client)
        .build();
    App::new()
        .wrap(RateLimiter::builder(backend, input).add_headers().build())
        .service(health)
        .service(v2::items)
        .service(
            web::scope("/api")
                .wrap(HttpAuthentication::bearer(validator))
                .service(list_items)
                .service(create_item)
                .service(delete_item)
                .service(private)
                .service(web::scope("/t/{tenant}").service(tenant_items)),
        )
        .service(
            web::scope("/json")
                .guard(guard::Header("content-type", "application/json"))
                .service(echo),
        )
        .service(
            web::scope("/flaky")
                .wrap(from_fn(maintenance))
                .service(flaky_status),
        )
        .wrap(Condition::new(stack.cors_first, CorsFirst::new()))
}

/// A new, empty store of rate-limit counts.
pub fn backend() -> InMemoryBackend {
    InMemoryBackend::builder().build()
}
