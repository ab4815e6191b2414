//! CORS headers on error and non-2xx responses, through a real actix-web `App`: SPEC §4 "These
//! headers are on every response of the route: handler errors, extractor errors (bad path, bad
//! JSON, payload too large), redirects, 304s" — and errors returned by the route's own `wrap`
//! middleware. Without them the browser hides the error from the script (Fetch §3.2.3: the CORS
//! check applies to every response, whatever its status).

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_route_cors::cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{ErrorInternalServerError, ErrorUnauthorized};
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, post, web, App, Error, HttpResponse, Responder, ResponseError};

use crate::support::{get as get_req, preflight, send, send_fallible, Response};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

#[cors(origins = ["https://app.example.com"], credentials, expose = ["x-total"])]
#[get("/fails")]
async fn fails() -> Result<HttpResponse, Error> {
    Err(ErrorInternalServerError("boom"))
}

#[derive(Debug)]
struct Teapot;

impl std::fmt::Display for Teapot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("short and stout")
    }
}

impl ResponseError for Teapot {
    fn status_code(&self) -> StatusCode {
        StatusCode::IM_A_TEAPOT
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .insert_header((header::VARY, "Accept-Encoding"))
            .body(self.to_string())
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/teapot")]
async fn teapot() -> Result<HttpResponse, Teapot> {
    Err(Teapot)
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/users/{id}")]
async fn user(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("user {id}"))
}

/// Any JSON document: malformed JSON fails the extractor, before the handler.
#[cors(origins = ["https://app.example.com"], headers = ["content-type"], credentials)]
#[post("/json")]
async fn json(_item: web::Json<serde_json::Value>) -> impl Responder {
    HttpResponse::Created().body("created")
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[post("/bytes")]
async fn bytes(body: web::Bytes) -> impl Responder {
    HttpResponse::Ok().body(body)
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/moved")]
async fn moved() -> impl Responder {
    web::Redirect::to("/elsewhere").see_other()
}

#[cors(origins = ["https://app.example.com"], expose = ["etag"])]
#[get("/cached")]
async fn cached() -> impl Responder {
    HttpResponse::NotModified()
        .insert_header((header::ETAG, "\"v1\""))
        .finish()
}

async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.headers().contains_key("x-token") {
        next.call(req).await
    } else {
        Err(ErrorUnauthorized("missing x-token"))
    }
}

#[cors(origins = ["https://app.example.com"], headers = ["x-token"], credentials, expose = ["x-total"])]
#[get("/protected", wrap = "from_fn(require_token)")]
async fn protected() -> impl Responder {
    HttpResponse::Ok().body("secret")
}

macro_rules! app {
    () => {
        init_service(
            App::new()
                .app_data(web::JsonConfig::default().limit(16))
                .app_data(web::PayloadConfig::new(16))
                .service(fails)
                .service(teapot)
                .service(user)
                .service(json)
                .service(bytes)
                .service(moved)
                .service(cached)
                .service(protected),
        )
        .await
    };
}

/// The CORS headers of an allowed origin on a `credentials` route without `expose`.
fn assert_cors_with_credentials(res: &Response) {
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(res.all("vary"), ["Origin"]);
}

fn json_post(body: &'static str, origin: &str) -> TestRequest {
    TestRequest::post()
        .uri("/json")
        .insert_header(("origin", origin))
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(body)
}

// ---------------------------------------------------------------------------------------------
// Handler errors: `Err(..)` from the handler becomes the route's response.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn handler_error_500_carries_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/fails", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.text(), "boom");
    assert_cors_with_credentials(&res);
    assert_eq!(res.all("access-control-expose-headers"), ["x-total"]);
}

#[actix_web::test]
async fn handler_error_for_a_disallowed_origin_has_no_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/fails", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_one_log_containing(&["`https://evil.example`"]);
}

#[actix_web::test]
async fn handler_error_without_origin_gets_vary_origin_only() {
    let app = app!();
    let res = send(&app, TestRequest::get().uri("/fails").to_request()).await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn custom_error_response_keeps_its_vary_merged_with_origin() {
    let app = app!();
    let res = send(&app, get_req("/teapot", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(res.text(), "short and stout");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("vary"), ["Accept-Encoding, Origin"]);
}

// ---------------------------------------------------------------------------------------------
// Extractor errors: bad path (404), bad JSON (400), payload too large (413).
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn path_extractor_failure_404_carries_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/users/not-a-number", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn path_extractor_success_carries_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/users/42", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "user 42");
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn json_extractor_failure_400_carries_cors_headers() {
    let app = app!();
    let res = send(&app, json_post("{nope", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn json_extractor_success_carries_cors_headers() {
    let app = app!();
    let res = send(&app, json_post(r#"{"name":"a"}"#, APP).to_request()).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.text(), "created");
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn json_payload_too_large_413_carries_cors_headers() {
    let app = app!();
    let res = send(
        &app,
        json_post(r#"{"name":"far too long"}"#, APP).to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn bytes_payload_too_large_413_carries_cors_headers() {
    let app = app!();
    let req = TestRequest::post()
        .uri("/bytes")
        .insert_header(("origin", APP))
        .set_payload("0123456789ABCDEFGHIJ")
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_absent("access-control-allow-credentials");
}

#[actix_web::test]
async fn a_write_from_a_disallowed_origin_is_refused_before_the_extractor() {
    // A POST from an origin the route does not allow never reaches the handler or its
    // extractors: 403, no CORS headers, `Vary: Origin`.
    let app = app!();
    let res = send_fallible(&app, json_post("{nope", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    assert!(
        res.text().starts_with(
            "cross-origin write refused: a cross-origin write: origin `https://evil.example`"
        ),
        "{}",
        res.text()
    );
}

// ---------------------------------------------------------------------------------------------
// Redirects and 304s.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn redirect_303_carries_cors_headers_and_keeps_location() {
    let app = app!();
    let res = send(&app, get_req("/moved", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.one("location"), "/elsewhere");
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn not_modified_304_carries_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/cached", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);
    assert_eq!(res.one("etag"), "\"v1\"");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-expose-headers"), ["etag"]);
    assert_eq!(res.all("vary"), ["Origin"]);
}

// ---------------------------------------------------------------------------------------------
// Errors from the route's own `wrap` middleware: the CORS middleware is outermost, so a 401 from
// an authentication middleware is readable cross-origin; preflights never reach that middleware.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn inner_middleware_error_401_carries_cors_headers() {
    let app = app!();
    let res = send_fallible(&app, get_req("/protected", APP).to_request()).await;
    assert!(
        res.from_error,
        "the middleware's Err reaches the server as an Err"
    );
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.text(), "missing x-token");
    assert_cors_with_credentials(&res);
    assert_eq!(res.all("access-control-expose-headers"), ["x-total"]);
}

#[actix_web::test]
async fn inner_middleware_error_for_a_disallowed_origin_has_no_cors_headers() {
    let app = app!();
    let res = send_fallible(&app, get_req("/protected", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_one_log_containing(&["`https://evil.example`"]);
}

#[actix_web::test]
async fn inner_middleware_error_without_origin_gets_vary_origin_only() {
    let app = app!();
    let res = send_fallible(&app, TestRequest::get().uri("/protected").to_request()).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn inner_middleware_pass_through_carries_cors_headers() {
    let app = app!();
    let req = get_req("/protected", APP)
        .insert_header(("x-token", "t"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "secret");
    assert_cors_with_credentials(&res);
}

#[actix_web::test]
async fn preflight_of_a_wrapped_route_needs_no_authentication() {
    let app = app!();
    let req = preflight("/protected", APP, "GET")
        .insert_header(("access-control-request-headers", "x-token"))
        .to_request();
    let res = send(&app, req).await;
    assert!(!res.from_error);
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-headers"), ["x-token"]);
    assert_eq!(res.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(res.all("vary"), [support::PREFLIGHT_VARY]);
}

#[actix_web::test]
async fn inner_middleware_error_does_not_run_the_handler_and_preflight_neither() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    #[cors(origins = ["https://app.example.com"])]
    #[get("/counted-protected", wrap = "from_fn(require_token)")]
    async fn counted() -> impl Responder {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }
    let app = init_service(App::new().service(counted)).await;
    let res = send_fallible(&app, get_req("/counted-protected", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    let res = send(
        &app,
        preflight("/counted-protected", APP, "GET").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
    let req = get_req("/counted-protected", APP)
        .insert_header(("x-token", "t"))
        .to_request();
    assert_eq!(send(&app, req).await.status, StatusCode::OK);
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
}
