//! Actual (non-preflight) requests through a real actix-web `App`: SPEC §4 "Actual requests",
//! which follows the Fetch standard's CORS check (§3.2.3 "CORS check": one
//! `Access-Control-Allow-Origin` equal to the serialized request origin, or `*` without
//! credentials) and its advice to send `Vary: Origin` when the answer depends on the origin.

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_route_cors::cors;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, head, routes, App, HttpResponse, Responder};

use crate::support::{get as get_req, send};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    credentials,
    expose = ["x-total"],
    max_age = 600
)]
#[get("/items")]
async fn items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "42"))
        .body("[]")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/plain")]
async fn plain() -> impl Responder {
    HttpResponse::Ok().body("plain")
}

#[cors(origins = ["https://app.example.com"], expose = ["x-total", "x-page"])]
#[get("/two-exposed")]
async fn two_exposed() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["*"])]
#[get("/star")]
async fn star() -> impl Responder {
    HttpResponse::Ok().body("star")
}

#[cors(origins = ["*"], expose = ["x-total"])]
#[get("/star-expose")]
async fn star_expose() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://*.example.org:8443"])]
#[get("/wild-port")]
async fn wild_port() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["null", "https://app.example.com"])]
#[get("/null")]
async fn nullable() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-accept-encoding")]
async fn vary_accept_encoding() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "Accept-Encoding"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-two-fields")]
async fn vary_two_fields() -> impl Responder {
    HttpResponse::Ok()
        .append_header((header::VARY, "Accept-Encoding"))
        .append_header((header::VARY, "Accept-Language"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-origin-lower")]
async fn vary_origin_lower() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "origin"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-origin-listed")]
async fn vary_origin_listed() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "Accept, Origin"))
        .finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/vary-star")]
async fn vary_star() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::VARY, "*"))
        .finish()
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/own-cors-headers")]
async fn own_cors_headers() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            "https://handler.example",
        ))
        .insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "false"))
        .insert_header((header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-secret"))
        .body("own")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/own-other-cors-headers")]
async fn own_other_cors_headers() -> impl Responder {
    HttpResponse::Ok()
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, DELETE"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "x-secret"))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"))
        .finish()
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[routes]
#[get("/h")]
#[head("/h")]
async fn get_and_head() -> impl Responder {
    HttpResponse::Ok().insert_header(("x-kind", "h")).body("h")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/get-only")]
async fn get_only() -> impl Responder {
    HttpResponse::Ok().finish()
}

macro_rules! app {
    () => {
        init_service(
            App::new()
                .service(items)
                .service(plain)
                .service(two_exposed)
                .service(star)
                .service(star_expose)
                .service(wild_port)
                .service(nullable)
                .service(vary_accept_encoding)
                .service(vary_two_fields)
                .service(vary_origin_lower)
                .service(vary_origin_listed)
                .service(vary_star)
                .service(own_cors_headers)
                .service(own_other_cors_headers)
                .service(get_and_head)
                .service(get_only),
        )
        .await
    };
}

/// Asserts the complete answer to an allowed origin on `/plain` (no credentials, no expose).
fn assert_allowed_plain(res: &support::Response, origin: &str) {
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.one("access-control-allow-origin"), origin);
    assert_eq!(res.cors_header_names(), ["access-control-allow-origin"]);
    assert_eq!(res.one("vary"), "Origin");
}

/// Asserts the complete answer to a refused origin: the handler's 200, no `Access-Control-*`
/// header, `Vary: Origin`, one log record naming the origin.
fn assert_denied(res: &support::Response, origin: &str) {
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    res.assert_one_log_containing(&[&format!("`{origin}`")]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Allowed origin": exactly one ACAO equal to the request's origin byte for byte, ACAC
// `true` only with `credentials`, ACEH only with `expose`, `Origin` in `Vary`.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn allowed_origin_gets_exactly_one_acao_equal_to_the_origin() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn allowed_origin_with_credentials_gets_acac_true() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(res.one("access-control-allow-credentials"), "true");
}

#[actix_web::test]
async fn allowed_origin_without_credentials_gets_no_acac() {
    let app = app!();
    let res = send(&app, get_req("/plain", APP).to_request()).await;
    res.assert_absent("access-control-allow-credentials");
}

#[actix_web::test]
async fn allowed_origin_gets_exact_expose_headers() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(res.one("access-control-expose-headers"), "x-total");
}

#[actix_web::test]
async fn expose_list_is_one_comma_separated_value() {
    let app = app!();
    let res = send(&app, get_req("/two-exposed", APP).to_request()).await;
    assert_eq!(res.one("access-control-expose-headers"), "x-total, x-page");
}

#[actix_web::test]
async fn allowed_origin_without_expose_gets_no_aceh() {
    let app = app!();
    let res = send(&app, get_req("/plain", APP).to_request()).await;
    res.assert_absent("access-control-expose-headers");
}

#[actix_web::test]
async fn allowed_origin_gets_vary_origin() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn actual_response_carries_only_the_actual_request_cors_headers() {
    // Allow-Methods, Allow-Headers and Max-Age belong to preflight answers only.
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(
        res.cors_header_names(),
        [
            "access-control-allow-credentials",
            "access-control-allow-origin",
            "access-control-expose-headers",
        ]
    );
}

#[actix_web::test]
async fn allowed_origin_keeps_handler_status_body_and_headers() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.one("x-total"), "42");
    assert_eq!(res.text(), "[]");
}

#[actix_web::test]
async fn allowed_origin_is_not_logged() {
    let app = app!();
    let res = send(&app, get_req("/items", APP).to_request()).await;
    res.assert_no_cors_log();
}

#[actix_web::test]
async fn allowed_origin_without_credentials_or_expose_gets_only_acao() {
    let app = app!();
    let res = send(&app, get_req("/plain", APP).to_request()).await;
    assert_allowed_plain(&res, APP);
    assert_eq!(res.text(), "plain");
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: `*` only for `origins = ["*"]`; its answer does not depend on the origin, so no
// `Vary: Origin`; a request without `Origin` is untouched.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn star_policy_answers_acao_star() {
    let app = app!();
    let res = send(&app, get_req("/star", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.all("access-control-allow-origin"), ["*"]);
    assert_eq!(res.cors_header_names(), ["access-control-allow-origin"]);
}

#[actix_web::test]
async fn star_policy_answers_star_to_any_origin_including_null() {
    let app = app!();
    for origin in ["http://localhost:3000", "null", "https://EVIL.example"] {
        let res = send(&app, get_req("/star", origin).to_request()).await;
        assert_eq!(
            res.all("access-control-allow-origin"),
            ["*"],
            "origin {origin}"
        );
    }
}

#[actix_web::test]
async fn star_policy_adds_no_vary_origin() {
    let app = app!();
    let res = send(&app, get_req("/star", APP).to_request()).await;
    res.assert_absent("vary");
}

#[actix_web::test]
async fn star_policy_with_expose_gets_exact_aceh() {
    let app = app!();
    let res = send(&app, get_req("/star-expose", APP).to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), "*");
    assert_eq!(res.one("access-control-expose-headers"), "x-total");
    res.assert_absent("access-control-allow-credentials");
}

#[actix_web::test]
async fn star_policy_without_origin_still_answers_star_without_vary() {
    // Fetch, "CORS protocol and HTTP caches": a static `*` is sent to non-CORS requests too,
    // without `Vary`, so that a cached response serves a later CORS request.
    let app = app!();
    let res = send(&app, TestRequest::get().uri("/star").to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.cors_header_names(), ["access-control-allow-origin"]);
    assert_eq!(res.all("access-control-allow-origin"), ["*"]);
    res.assert_absent("vary");
    assert_eq!(res.text(), "star");
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "No Origin": not a CORS request; response untouched except `Vary: Origin` (the answer
// would have depended on the origin, so caches must key on it).
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn no_origin_gets_no_cors_headers_and_vary_origin() {
    let app = app!();
    let res = send(&app, TestRequest::get().uri("/plain").to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    assert_eq!(res.text(), "plain");
}

#[actix_web::test]
async fn no_origin_on_credentials_route_gets_no_acac() {
    // actix-cors 0.7 sends Access-Control-Allow-Credentials on every response; this must not.
    let app = app!();
    let res = send(&app, TestRequest::get().uri("/items").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    assert_eq!(res.one("x-total"), "42");
}

#[actix_web::test]
async fn no_origin_is_not_logged() {
    let app = app!();
    let res = send(&app, TestRequest::get().uri("/plain").to_request()).await;
    res.assert_no_cors_log();
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Disallowed origin": the handler still runs and its response is sent as it is, minus
// every `Access-Control-*` header, plus `Vary: Origin`, and a log record says why.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn disallowed_origin_runs_the_handler_exactly_once() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    #[cors(origins = ["https://app.example.com"])]
    #[get("/counted")]
    async fn counted() -> impl Responder {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Ok().finish()
    }
    let app = init_service(App::new().service(counted)).await;
    let res = send(&app, get_req("/counted", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn disallowed_origin_keeps_handler_status_and_body() {
    #[cors(origins = ["https://app.example.com"])]
    #[get("/created")]
    async fn created() -> impl Responder {
        HttpResponse::Created()
            .insert_header(("x-id", "7"))
            .body("created")
    }
    let app = init_service(App::new().service(created)).await;
    let res = send(&app, get_req("/created", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.text(), "created");
    assert_eq!(res.one("x-id"), "7");
}

#[actix_web::test]
async fn disallowed_origin_gets_no_cors_headers_and_vary_origin() {
    let app = app!();
    let res = send(&app, get_req("/items", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn disallowed_origin_logs_exactly_one_record_naming_the_origin() {
    let app = app!();
    let res = send(&app, get_req("/items", EVIL).to_request()).await;
    let message = res.assert_one_log_containing(&["`https://evil.example`", "not allowed"]);
    assert_eq!(res.cors_logs()[0].level, log::Level::Info, "{message}");
}

#[actix_web::test]
async fn handler_set_acao_is_removed_for_a_disallowed_origin() {
    let app = app!();
    let res = send(&app, get_req("/own-cors-headers", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    assert_eq!(res.text(), "own");
}

#[actix_web::test]
async fn handler_set_acao_is_replaced_by_the_origin_for_an_allowed_origin() {
    let app = app!();
    let res = send(&app, get_req("/own-cors-headers", APP).to_request()).await;
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-credentials"), ["true"]);
}

#[actix_web::test]

async fn every_handler_set_cors_header_is_removed_for_a_disallowed_origin() {
    let app = app!();
    let res = send(&app, get_req("/own-other-cors-headers", EVIL).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Origin matching is byte-exact": no case folding, no trailing-slash or default-port
// normalising; wildcards match one whole label; several `Origin` fields match nothing.
// (Fetch: the CORS check compares the serialized origin byte for byte.)
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn uppercase_host_is_denied() {
    let app = app!();
    let origin = "https://APP.example.com";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn uppercase_scheme_is_denied() {
    let app = app!();
    let origin = "HTTPS://app.example.com";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn trailing_slash_is_denied() {
    let app = app!();
    let origin = "https://app.example.com/";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn explicit_default_port_is_denied() {
    let app = app!();
    let origin = "https://app.example.com:443";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn other_scheme_is_denied() {
    let app = app!();
    let origin = "http://app.example.com";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn allowed_origin_as_prefix_of_a_longer_host_is_denied() {
    let app = app!();
    let origin = "https://app.example.com.evil.com";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn allowed_host_as_suffix_of_a_longer_label_is_denied() {
    let app = app!();
    let origin = "https://evilapp.example.com";
    assert_denied(
        &send(&app, get_req("/plain", origin).to_request()).await,
        origin,
    );
}

#[actix_web::test]
async fn two_origin_fields_are_denied_even_when_both_are_allowed() {
    let app = app!();
    let req = TestRequest::default()
        .uri("/plain")
        .append_header(("origin", APP))
        .append_header(("origin", APP))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_one_log_containing(&["several `Origin`"]);
}

#[actix_web::test]
async fn two_different_allowed_origin_fields_are_denied() {
    let app = app!();
    let req = TestRequest::default()
        .uri("/items")
        .append_header(("origin", APP))
        .append_header(("origin", "https://a.example.org"))
        .to_request();
    let res = send(&app, req).await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn wildcard_matches_one_leftmost_label() {
    let app = app!();
    let res = send(
        &app,
        get_req("/items", "https://a.example.org").to_request(),
    )
    .await;
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["https://a.example.org"]
    );
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn wildcard_does_not_match_two_labels() {
    let app = app!();
    let origin = "https://a.b.example.org";
    let res = send(&app, get_req("/items", origin).to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_one_log_containing(&[&format!("`{origin}`")]);
}

#[actix_web::test]
async fn wildcard_does_not_match_the_parent_domain() {
    let app = app!();
    let res = send(&app, get_req("/items", "https://example.org").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn wildcard_does_not_match_another_port() {
    let app = app!();
    let res = send(
        &app,
        get_req("/items", "https://a.example.org:8443").to_request(),
    )
    .await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn wildcard_does_not_match_an_uppercase_label() {
    let app = app!();
    let res = send(
        &app,
        get_req("/items", "https://A.example.org").to_request(),
    )
    .await;
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn port_aware_wildcard_matches_its_port_only() {
    let app = app!();
    let res = send(
        &app,
        get_req("/wild-port", "https://a.example.org:8443").to_request(),
    )
    .await;
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["https://a.example.org:8443"]
    );
    for origin in ["https://a.example.org", "https://a.example.org:8444"] {
        let res = send(&app, get_req("/wild-port", origin).to_request()).await;
        res.assert_no_cors_headers();
        assert_eq!(res.all("vary"), ["Origin"], "origin {origin}");
    }
}

#[actix_web::test]
async fn listed_null_origin_is_echoed_as_null() {
    let app = app!();
    let res = send(&app, get_req("/null", "null").to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.all("access-control-allow-origin"), ["null"]);
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn null_origin_is_denied_when_not_listed() {
    let app = app!();
    assert_denied(
        &send(&app, get_req("/plain", "null").to_request()).await,
        "null",
    );
}

#[actix_web::test]
async fn null_matching_is_byte_exact() {
    let app = app!();
    let res = send(&app, get_req("/null", "NULL").to_request()).await;
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn non_ascii_origin_is_denied_and_logged_escaped() {
    let app = app!();
    let req = TestRequest::get()
        .uri("/plain")
        .insert_header((
            header::ORIGIN,
            HeaderValue::from_bytes(b"https://app.example.com\xff").expect("obs-text is allowed"),
        ))
        .to_request();
    let res = send(&app, req).await;
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
    res.assert_one_log_containing(&["`https://app.example.com\\xff`"]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: `Origin` is added to `Vary`, merged with what the handler set (one value), never
// duplicated (case-insensitive), never overwritten; `Vary: *` already covers it (RFC 9110 §12.5.5).
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn handler_vary_is_merged_into_one_value() {
    let app = app!();
    let res = send(&app, get_req("/vary-accept-encoding", APP).to_request()).await;
    assert_eq!(res.all("vary"), ["Accept-Encoding, Origin"]);
    assert_eq!(res.one("access-control-allow-origin"), APP);
}

#[actix_web::test]
async fn handler_vary_is_merged_for_a_disallowed_origin_too() {
    let app = app!();
    let res = send(&app, get_req("/vary-accept-encoding", EVIL).to_request()).await;
    assert_eq!(res.all("vary"), ["Accept-Encoding, Origin"]);
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn handler_vary_is_merged_without_origin_too() {
    let app = app!();
    let res = send(
        &app,
        TestRequest::get().uri("/vary-accept-encoding").to_request(),
    )
    .await;
    assert_eq!(res.all("vary"), ["Accept-Encoding, Origin"]);
}

#[actix_web::test]
async fn several_handler_vary_fields_are_merged_into_one_value() {
    let app = app!();
    let res = send(&app, get_req("/vary-two-fields", APP).to_request()).await;
    assert_eq!(
        res.all("vary"),
        ["Accept-Encoding, Accept-Language, Origin"]
    );
}

#[actix_web::test]
async fn handler_vary_origin_in_lowercase_is_not_duplicated() {
    let app = app!();
    let res = send(&app, get_req("/vary-origin-lower", APP).to_request()).await;
    assert_eq!(res.all("vary"), ["origin"]);
    assert_eq!(res.one("access-control-allow-origin"), APP);
}

#[actix_web::test]
async fn handler_vary_listing_origin_is_left_as_is() {
    let app = app!();
    let res = send(&app, get_req("/vary-origin-listed", APP).to_request()).await;
    assert_eq!(res.all("vary"), ["Accept, Origin"]);
}

#[actix_web::test]
async fn handler_vary_star_is_left_as_is() {
    let app = app!();
    let res = send(&app, get_req("/vary-star", APP).to_request()).await;
    assert_eq!(res.all("vary"), ["*"]);
    assert_eq!(res.one("access-control-allow-origin"), APP);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 / §6: `#[get]` does not answer HEAD (as in actix-web); a `#[routes] #[get] #[head]`
// handler does, and its HEAD responses carry the CORS headers like any other response.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn head_on_a_get_and_head_route_gets_cors_headers() {
    let app = app!();
    let req = TestRequest::default()
        .method(actix_web::http::Method::HEAD)
        .uri("/h")
        .insert_header(("origin", APP))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.one("x-kind"), "h");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn get_on_a_get_and_head_route_gets_cors_headers() {
    let app = app!();
    let res = send(&app, get_req("/h", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "h");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn head_on_a_get_only_route_is_not_routed() {
    let app = app!();
    let req = TestRequest::default()
        .method(actix_web::http::Method::HEAD)
        .uri("/get-only")
        .insert_header(("origin", APP))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_no_cors_headers();
}
