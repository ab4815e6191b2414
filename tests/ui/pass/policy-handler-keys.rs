//! A handler that uses a policy narrows `methods` (default: what the route serves) and adds
//! the keys its policy leaves out: `headers`, `expose`, `max_age`.
#![deny(warnings)]
#![forbid(unsafe_code)]

use actix_route_cors::{cors, cors_policy};
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{get, post, routes, App, HttpResponse};

const APP: &str = "https://app.example.com";

cors_policy!(API, origins = ["https://app.example.com"], credentials);

// GET and POST are served, but only POST may be sent cross-origin with a preflight.
#[cors(policy = API, methods = [POST], headers = ["content-type"], expose = ["x-total"], max_age = 300)]
#[routes]
#[get("/items")]
#[post("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-total", "0")).finish()
}

// Nothing added: the route's own methods, no headers, no max age.
#[cors(policy = API)]
#[routes]
#[get("/plain")]
#[post("/plain")]
async fn plain() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn header<B>(res: &ServiceResponse<B>, name: HeaderName) -> Option<&str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

fn preflight(path: &str, method: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header((ORIGIN, APP))
        .insert_header((ACCESS_CONTROL_REQUEST_METHOD, method))
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(items).service(plain)).await;

    let res = test::call_service(
        &app,
        preflight("/items", "POST")
            .insert_header((ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_METHODS), Some("POST"));
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type")
    );
    assert_eq!(header(&res, ACCESS_CONTROL_MAX_AGE), Some("300"));

    // GET is served but not in `methods`: its preflight is refused.
    let res = test::call_service(
        &app,
        preflight("/items", "GET")
            .insert_header((ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = test::call_service(
        &app,
        TestRequest::post()
            .uri("/items")
            .insert_header((ORIGIN, APP))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    assert_eq!(header(&res, ACCESS_CONTROL_EXPOSE_HEADERS), Some("x-total"));

    let res = test::call_service(&app, preflight("/plain", "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_METHODS),
        Some("GET, POST")
    );
    assert_eq!(header(&res, ACCESS_CONTROL_MAX_AGE), None);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_HEADERS), None);
}
