//! Named policies through a real `App`: a policy defined once with `cors_policy!` and
//! used by several handlers behaves exactly like the same keys written on each handler, and a
//! handler's own keys (`methods`, and `headers`/`expose`/`max_age` the policy leaves out) apply
//! to that route only. The compile-time side is in `tests/ui/{fail,pass}/policy-*.rs`.

use actix_route_cors::{cors, cors_policy};
use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::init_service;
use actix_web::{get, post, routes, App, HttpResponse, Responder};

use crate::support::{get, preflight, send};

const APP: &str = "https://app.example.com";

mod policies {
    use actix_route_cors::cors_policy;

    cors_policy!(
        /// The single-page app: credentialed, preflights cached for 10 minutes.
        pub(crate) SPA,
        origins = ["https://app.example.com", "https://*.preview.example.com"],
        credentials,
        max_age = 600
    );
}

// Used before its definition, in the same module.
#[cors(policy = PUBLIC, expose = ["x-total"])]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok().insert_header(("x-total", "3")).finish()
}

cors_policy!(PUBLIC, origins = ["*"]);

#[cors(policy = policies::SPA)]
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok().finish()
}

/// The same policy, written out: the reference [`list_items`] is compared with.
#[cors(
    origins = ["https://app.example.com", "https://*.preview.example.com"],
    credentials,
    max_age = 600
)]
#[get("/written")]
async fn written() -> impl Responder {
    HttpResponse::Ok().finish()
}

/// Serves GET and POST; cross-origin scripts may only preflight POST, with a JSON body.
#[cors(policy = crate::named_policies::policies::SPA, methods = [POST], headers = ["content-type"])]
#[routes]
#[get("/orders")]
#[post("/orders")]
async fn orders() -> impl Responder {
    HttpResponse::Ok().finish()
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .service(public)
        .service(list_items)
        .service(written)
        .service(orders)
}

fn sorted(headers: &HeaderMap) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<(String, Vec<u8>)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
        .collect();
    all.sort();
    all
}

#[actix_web::test]
async fn a_named_policy_behaves_like_the_same_keys_written_out() {
    let app = init_service(app()).await;
    for origin in [
        APP,
        "https://pr-1.preview.example.com",
        "https://evil.example",
    ] {
        let named = send(&app, get("/items", origin).to_request()).await;
        let inline = send(&app, get("/written", origin).to_request()).await;
        assert_eq!(named.status, inline.status, "{origin}");
        assert_eq!(sorted(&named.headers), sorted(&inline.headers), "{origin}");

        let named = send(&app, preflight("/items", origin, "GET").to_request()).await;
        let inline = send(&app, preflight("/written", origin, "GET").to_request()).await;
        assert_eq!(named.status, inline.status, "{origin}");
        assert_eq!(sorted(&named.headers), sorted(&inline.headers), "{origin}");
    }
    let res = send(&app, preflight("/items", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.one("access-control-max-age"), "600");
}

#[actix_web::test]
async fn a_handler_narrows_methods_and_adds_headers_for_its_route_only() {
    let app = init_service(app()).await;
    let res = send(
        &app,
        preflight("/orders", APP, "POST")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one("access-control-allow-methods"), "POST");
    assert_eq!(res.one("access-control-allow-headers"), "content-type");
    assert_eq!(res.one("access-control-max-age"), "600", "from the policy");

    // GET is served but not in the handler's `methods`: its preflight is refused.
    let res = send(&app, preflight("/orders", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();

    // The other route of the same policy did not get `content-type`.
    let res = send(
        &app,
        preflight("/items", APP, "GET")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.text().contains("content-type"), "{}", res.text());
}

#[actix_web::test]
async fn a_policy_can_be_used_before_it_is_defined() {
    let app = init_service(app()).await;
    let res = send(&app, get("/public", "https://anyone.example").to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.one("access-control-allow-origin"), "*");
    assert_eq!(res.one("access-control-expose-headers"), "x-total");
}
