//! The one policy that the allocation test (`tests/allocations.rs`), the benches
//! (`benches/cors.rs`) and the origin-form scenarios (`tests/it/origin_forms.rs`) measure and
//! compare: `GET /items` and `POST /items` for `https://app.example.com`, with credentials, two
//! request headers, one exposed header and a 10-minute preflight cache, its origins in each form
//! `#[cors]` takes: written, from configuration ([`CONFIGURED`]), decided by a function
//! ([`allows_app`]), looked up ([`LOOKUP`]) and a named `cors_policy!`. Next to it, the same
//! handler without CORS and behind actix-cors. Each of them includes this file by `#[path]` and
//! uses what it needs; each fills [`CONFIGURED`] and installs [`LOOKUP`]'s function itself.
#![allow(dead_code)]

use std::cell::Cell;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::test::TestRequest;
use actix_web::{get, post, HttpResponse, Resource};

pub const APP: &str = "https://app.example.com";
pub const EVIL: &str = "https://evil.example";
const X_TOTAL: HeaderName = HeaderName::from_static("x-total");

/// The same handler body everywhere: a static header and a static body, so that the handler
/// itself allocates as little as actix-web lets it.
pub fn items_response() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((X_TOTAL, HeaderValue::from_static("42")))
        .body("[]")
}

/// The bare handler: the route as it is written without CORS.
#[get("/items")]
pub async fn bare() -> HttpResponse {
    items_response()
}

pub async fn plain() -> HttpResponse {
    items_response()
}

/// The resource `#[cors]` builds for [`cors`], without the CORS middleware and the preflight
/// resource: the same handler behind a method guard that, like `#[cors]`'s, records nothing in
/// the request. (`#[get]`'s own method guard records the route's methods in the request's
/// extensions, for `405` answers, at 3 allocations per request that `#[cors]` routes do not
/// pay.)
pub fn plain_resource() -> Resource {
    Resource::new("/items")
        .name("plain")
        .guard(is_get())
        .to(plain)
}

/// `GET`, compared without a record in the request (see [`plain_resource`]).
pub fn is_get() -> impl actix_web::guard::Guard {
    actix_web::guard::fn_guard(|ctx| ctx.head().method == Method::GET)
}

thread_local! {
    // Per thread: each test serves its app on its own thread, and tests run in parallel.
    static WRITES: Cell<usize> = const { Cell::new(0) };
}

/// How many times a `POST /items` handler of the policy ran on this thread.
pub fn writes() -> usize {
    WRITES.with(Cell::get)
}

/// `GET /items` (`$get`) and `POST /items` (`$post`, counted by [`writes`]) with the policy,
/// given its origins (`origins = ..`, the other keys added) or a named policy (`policy = ..`).
macro_rules! the_policy {
    ($get:ident, $post:ident, origins = $origins:tt) => {
        the_policy!(
            @routes $get,
            $post,
            origins = $origins,
            headers = ["content-type", "x-request-id"],
            credentials,
            expose = ["x-total"],
            max_age = 600
        );
    };
    ($get:ident, $post:ident, policy = $policy:ident) => {
        the_policy!(@routes $get, $post, policy = $policy);
    };
    (@routes $get:ident, $post:ident, $($keys:tt)*) => {
        #[actix_route_cors::cors($($keys)*)]
        #[get("/items")]
        pub async fn $get() -> HttpResponse {
            items_response()
        }

        #[actix_route_cors::cors($($keys)*)]
        #[post("/items")]
        pub async fn $post() -> HttpResponse {
            WRITES.with(|w| w.set(w.get() + 1));
            HttpResponse::Created().finish()
        }
    };
}

// Origins written in the attribute.
the_policy!(cors, cors_write, origins = ["https://app.example.com"]);

/// The origins of [`cors_configured`], filled before the app is built.
pub static CONFIGURED: actix_route_cors::OriginSource =
    actix_route_cors::OriginSource::startup("the policy's origins");

the_policy!(cors_configured, cors_configured_write, origins = CONFIGURED);

/// The origins of [`cors_three`]: a short list from configuration (the benches compare it with
/// [`LARGE`]).
pub static THREE: actix_route_cors::OriginSource =
    actix_route_cors::OriginSource::startup("three origins");

the_policy!(cors_three, cors_three_write, origins = THREE);

/// The origins of [`cors_large`]: a whole allowlist in memory (the benches fill it with
/// 100,000 origins).
pub static LARGE: actix_route_cors::OriginSource =
    actix_route_cors::OriginSource::startup("100,000 origins");

the_policy!(cors_large, cors_large_write, origins = LARGE);

/// The origins of [`cors_fn`]: the one [`cors`] has.
pub fn allows_app(origin: &str, _: &actix_web::dev::RequestHead) -> bool {
    origin == APP
}

the_policy!(cors_fn, cors_fn_write, origins = allows_app);

/// The origins of [`cors_lookup`], looked up by the function each includer installs.
pub static LOOKUP: actix_route_cors::OriginLookup =
    actix_route_cors::OriginLookup::new("the policy's lookup");

the_policy!(cors_lookup, cors_lookup_write, origins = LOOKUP);

actix_route_cors::cors_policy!(
    SHARED,
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600
);

the_policy!(cors_named, cors_named_write, policy = SHARED);

/// actix-cors 0.7.2 with the policy of [`cors`].
pub fn actix_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(APP)
        .allowed_methods(["GET"])
        .allowed_headers(["content-type", "x-request-id"])
        .supports_credentials()
        .expose_headers(["x-total"])
        .max_age(600)
}

pub fn get() -> TestRequest {
    TestRequest::get().uri("/items")
}

pub fn get_from(origin: &str) -> TestRequest {
    get().insert_header(("origin", origin))
}

/// The preflight of a `GET /items` that sends both request headers.
pub fn preflight(origin: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header((
            "access-control-request-headers",
            "content-type,x-request-id",
        ))
}
