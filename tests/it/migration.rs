//! Migrating from `actix-cors` one endpoint at a time: what answers which request when
//! a `#[cors]` handler and an `actix_cors::Cors` middleware live in the same `App`.
//!
//! Three apps are built from the same handlers:
//!
//! - **before**: every endpoint under `App::new().wrap(legacy_cors())`, `GET /items/{id}` a
//!   plain `#[get]` handler;
//! - **recommended**: `GET /items/{id}` moved to `#[cors]` and registered at App level first, the
//!   endpoints not yet migrated in `web::scope("")` wrapped with the same `actix_cors::Cors`
//!   (`examples/migration/app.rs`, included below, so the example is what is tested);
//! - **pitfall**: the `#[cors]` handler registered under `App::new().wrap(legacy_cors())`.
//!
//! The two layers are told apart by what only one of them sends: `#[cors]` answers an allowed
//! preflight with `204` and an `Access-Control-Allow-Methods` naming only the route's methods,
//! a denied one with `403`, a `text/plain` reason, `Vary` and a log record; `actix-cors` 0.7.2
//! answers `200` with its whole method list, and `400` without `Vary` or log record.
//! `actix-cors` keeps its configured methods and headers in a `HashSet`, so its lists come in
//! any order: they are compared as sets.
#![forbid(unsafe_code)]

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_route_cors::cors;
use actix_web::dev::Service as _;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, web, App, HttpResponse, Responder};

use crate::support::{get as get_from, preflight, send, Response, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const ADMIN: &str = "https://admin.example.com";
const EVIL: &str = "https://evil.example";

/// The `Vary` value `actix-cors` sets on every response it touches.
const ACTIX_CORS_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

// The example's app (`cargo run --example migration`): `legacy_cors()`, the migrated
// `get_item`, the endpoints not migrated yet (`legacy`), and the recommended wiring
// (`configure`).
#[path = "../../examples/migration/app.rs"]
mod app;

use app::{get_item, legacy, legacy_cors};

/// `GET /items/{id}` before the migration: a plain handler under actix-cors, answering what
/// the example's migrated `get_item` answers.
#[get("/items/{id}")]
async fn get_item_before(id: web::Path<u32>) -> impl Responder {
    app::item(*id)
}

/// A migrated endpoint whose policy differs from actix-cors's: another origin, no credentials,
/// nothing exposed. Used to see which layer's decision reaches the browser in the pitfall.
#[cors(origins = ["https://admin.example.com"])]
#[get("/reports")]
async fn reports() -> impl Responder {
    HttpResponse::Ok().body("reports")
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// The items of a comma-separated header list, lowercased, as a set.
fn set(value: &str) -> BTreeSet<String> {
    value
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

fn set_of(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_ascii_lowercase()).collect()
}

/// Status, body and every header of a response, lists compared as sets: what must be equal
/// when "the same layer answered the same way" (actix-cors's list order is not stable).
fn shape(r: &Response) -> (StatusCode, String, Vec<(String, BTreeSet<String>)>) {
    let mut headers: Vec<(String, BTreeSet<String>)> = r
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                set(&String::from_utf8_lossy(v.as_bytes())),
            )
        })
        .collect();
    headers.sort();
    (r.status, r.text(), headers)
}

/// The browser's CORS check (Fetch §4.9) for a credentialed request: exactly one
/// `Access-Control-Allow-Origin` equal to the origin, and `Access-Control-Allow-Credentials`
/// exactly `true`.
fn browser_accepts_credentialed(r: &Response, origin: &str) -> bool {
    r.all("access-control-allow-origin") == [origin]
        && r.all("access-control-allow-credentials") == ["true"]
}

/// The browser's verdict on a credentialed preflight's answer (Fetch §4.8): an ok status, the
/// CORS check, the method either safelisted or listed, every requested header listed (with
/// credentials, `*` is not a wildcard).
fn browser_accepts_preflight(r: &Response, origin: &str, method: &str, headers: &[&str]) -> bool {
    let methods = set(&r.all("access-control-allow-methods").join(","));
    let allowed = set(&r.all("access-control-allow-headers").join(","));
    r.status.is_success()
        && browser_accepts_credentialed(r, origin)
        && (["GET", "HEAD", "POST"].contains(&method) || methods.contains(&method.to_lowercase()))
        && headers.iter().all(|h| allowed.contains(&h.to_lowercase()))
}

fn with_request_headers(req: TestRequest, value: &str) -> TestRequest {
    req.insert_header(("access-control-request-headers", value))
}

/// Asserts that actix-cors, not `#[cors]`, refused this preflight: `400`, its reason, no `Vary`,
/// no `Access-Control-*` header, no log record of this crate.
fn assert_actix_cors_refusal(r: &Response, reason: &str) {
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{r:?}");
    assert_eq!(r.text(), reason);
    r.assert_absent("vary");
    r.assert_no_cors_headers();
    r.assert_no_cors_log();
}

type Make = fn() -> TestRequest;

/// Requests to the endpoints that stay under actix-cors (and to no endpoint at all).
fn requests() -> [(&'static str, Make); 8] {
    [
        ("GET /items from APP", || get_from("/items", APP)),
        ("GET /items from EVIL", || get_from("/items", EVIL)),
        ("GET /items without Origin", || {
            TestRequest::get().uri("/items")
        }),
        ("PUT /items/7 from APP", || {
            get_from("/items/7", APP).method(Method::PUT)
        }),
        ("preflight GET /items from APP", || {
            with_request_headers(preflight("/items", APP, "GET"), "x-request-id")
        }),
        ("preflight GET /items from EVIL", || {
            preflight("/items", EVIL, "GET")
        }),
        ("preflight PUT /items/7 from APP", || {
            with_request_headers(preflight("/items/7", APP, "PUT"), "content-type")
        }),
        ("unknown path from APP", || get_from("/nothing", APP)),
    ]
}

// ---------------------------------------------------------------------------------------------
// The recommended wiring.

/// The example's app (`app::configure`), plus `reports`, another `#[cors]` handler registered
/// before it.
macro_rules! recommended_app {
    () => {
        init_service(App::new().service(reports).configure(app::configure))
    };
}

macro_rules! before_app {
    () => {
        init_service(
            App::new()
                .wrap(legacy_cors())
                .service(get_item_before)
                .configure(legacy),
        )
    };
}

#[actix_web::test]
async fn step_one_moving_actix_cors_from_the_app_to_a_scope_changes_no_answer() {
    // Recipe step 1, before any endpoint is migrated: the same services, the same `Cors`,
    // around `web::scope("")` instead of the `App`.
    let scoped = init_service(
        App::new().service(
            web::scope("")
                .wrap(legacy_cors())
                .service(get_item_before)
                .configure(legacy),
        ),
    )
    .await;
    let before = before_app!().await;

    let to_the_endpoint_to_migrate: [(&str, Make); 5] = [
        ("GET /items/7 from APP", || get_from("/items/7", APP)),
        ("GET /items/7 from EVIL", || get_from("/items/7", EVIL)),
        ("GET /items/7 without Origin", || {
            TestRequest::get().uri("/items/7")
        }),
        ("preflight GET /items/7 from APP", || {
            with_request_headers(preflight("/items/7", APP, "GET"), "x-request-id")
        }),
        ("preflight GET /items/7 from EVIL", || {
            preflight("/items/7", EVIL, "GET")
        }),
    ];
    let mut allowed = 0;
    for (what, make) in requests().into_iter().chain(to_the_endpoint_to_migrate) {
        let now = send(&scoped, make().to_request()).await;
        let then = send(&before, make().to_request()).await;
        assert_eq!(shape(&now), shape(&then), "{what}");
        allowed += usize::from(now.all("access-control-allow-origin") == [APP]);
    }
    // Not a comparison of two empty answers: actix-cors allowed all seven requests from APP
    // (the 404 of the unknown path included).
    assert_eq!(allowed, 7);
}

#[actix_web::test]
async fn recommended_wiring_preflights_of_the_migrated_route_are_answered_by_route_cors() {
    let app = recommended_app!().await;
    let before = before_app!().await;

    // Allowed: 204, and `Access-Control-Allow-Methods` names only the route's method (GET),
    // where actix-cors, for the same request before the migration, sends 200 and GET + PUT.
    let asked = || with_request_headers(preflight("/items/7", APP, "GET"), "x-request-id");
    let ours = send(&app, asked().to_request()).await;
    assert_eq!(ours.status, StatusCode::NO_CONTENT);
    assert_eq!(ours.one("access-control-allow-origin"), APP);
    assert_eq!(ours.one("access-control-allow-credentials"), "true");
    assert_eq!(ours.one("access-control-allow-methods"), "GET");
    assert_eq!(
        ours.one("access-control-allow-headers"),
        "content-type, x-request-id"
    );
    assert_eq!(ours.one("access-control-max-age"), "600");
    assert_eq!(ours.one("vary"), PREFLIGHT_VARY);
    ours.assert_no_cors_log();
    let theirs = send(&before, asked().to_request()).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(
        set(&theirs.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );

    // Denied origin: 403 with a text/plain reason, Vary, a log record (actix-cors: 400).
    let ours = send(&app, preflight("/items/7", EVIL, "GET").to_request()).await;
    assert_eq!(ours.status, StatusCode::FORBIDDEN);
    assert_eq!(ours.one("content-type"), "text/plain; charset=utf-8");
    assert_eq!(
        ours.text(),
        "CORS preflight refused: origin `https://evil.example` is not allowed \
         (allowed origins: https://app.example.com)\n"
    );
    assert_eq!(ours.one("vary"), PREFLIGHT_VARY);
    ours.assert_no_cors_headers();
    ours.assert_one_log_containing(&["route `get_item`", EVIL]);
    let theirs = send(&before, preflight("/items/7", EVIL, "GET").to_request()).await;
    assert_actix_cors_refusal(&theirs, "Origin is not allowed to make this request");

    // Denied header: the same contrast.
    let asked = || with_request_headers(preflight("/items/7", APP, "GET"), "x-other");
    let ours = send(&app, asked().to_request()).await;
    assert_eq!(ours.status, StatusCode::FORBIDDEN);
    assert_eq!(
        ours.text(),
        "CORS preflight refused: request header `x-other` is not allowed \
         (allowed headers: content-type, x-request-id)\n"
    );
    assert_eq!(ours.one("vary"), PREFLIGHT_VARY);
    let theirs = send(&before, asked().to_request()).await;
    assert_actix_cors_refusal(&theirs, "One or more request headers are not allowed");

    // A migrated route with an origin actix-cors does not know: its preflight is allowed.
    let ours = send(&app, preflight("/reports", ADMIN, "GET").to_request()).await;
    assert_eq!(ours.status, StatusCode::NO_CONTENT);
    assert_eq!(ours.one("access-control-allow-origin"), ADMIN);
}

#[actix_web::test]
async fn recommended_wiring_actual_responses_of_the_migrated_route_carry_one_set_of_headers() {
    let app = recommended_app!().await;

    // Allowed: one field of each, and `Vary` is exactly `Origin` (actix-cors adds nothing).
    let r = send(&app, get_from("/items/7", APP).to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text(), "item 7\n");
    assert_eq!(r.all("access-control-allow-origin"), [APP]);
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);
    assert_eq!(r.all("vary"), ["Origin"]);
    assert!(browser_accepts_credentialed(&r, APP));

    // Refused origin: no Access-Control-* header at all (actix-cors would have added
    // `Access-Control-Allow-Credentials` and `Access-Control-Expose-Headers`).
    let r = send(&app, get_from("/items/7", EVIL).to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    r.assert_no_cors_headers();
    assert_eq!(r.all("vary"), ["Origin"]);
    r.assert_one_log_containing(&["route `get_item`", EVIL]);
    assert!(!browser_accepts_credentialed(&r, EVIL));

    // No Origin: untouched but for `Vary: Origin`.
    let r = send(&app, TestRequest::get().uri("/items/7").to_request()).await;
    r.assert_no_cors_headers();
    assert_eq!(r.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn recommended_wiring_legacy_routes_answer_exactly_as_before() {
    let app = recommended_app!().await;
    let before = before_app!().await;

    for (what, make) in requests() {
        let now = send(&app, make().to_request()).await;
        let then = send(&before, make().to_request()).await;
        assert_eq!(shape(&now), shape(&then), "{what}");
    }

    // And what "as before" is: actix-cors's answers.
    let r = send(&app, get_from("/items", APP).to_request()).await;
    assert_eq!(r.one("access-control-allow-origin"), APP);
    assert_eq!(r.one("vary"), ACTIX_CORS_VARY);
    let r = send(&app, TestRequest::get().uri("/items").to_request()).await;
    assert_eq!(r.one("access-control-allow-credentials"), "true");
    let r = send(&app, preflight("/items", APP, "GET").to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        set(&r.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );
    let r = send(&app, preflight("/items", EVIL, "GET").to_request()).await;
    assert_actix_cors_refusal(&r, "Origin is not allowed to make this request");
}

#[actix_web::test]
async fn recommended_wiring_preflight_for_a_method_only_a_legacy_handler_serves_goes_to_actix_cors()
{
    let app = recommended_app!().await;

    // PUT /items/{id} is served by the legacy `put_item`, on the migrated route's path.
    let r = send(
        &app,
        with_request_headers(preflight("/items/7", APP, "PUT"), "content-type").to_request(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.one("access-control-allow-origin"), APP);
    assert_eq!(
        set(&r.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );
    assert_eq!(r.one("vary"), ACTIX_CORS_VARY);
    r.assert_no_cors_log();
    let r = send(&app, preflight("/items/7", EVIL, "PUT").to_request()).await;
    assert_actix_cors_refusal(&r, "Origin is not allowed to make this request");

    // A method nobody serves on that path also ends in the scope: actix-cors's 400, not the
    // 404 an app made only of `#[cors]` handlers gives.
    let r = send(&app, preflight("/items/7", APP, "DELETE").to_request()).await;
    assert_actix_cors_refusal(&r, "Requested method is not allowed");

    // The legacy handler itself still serves PUT, with actix-cors's headers.
    let r = send(
        &app,
        get_from("/items/7", APP).method(Method::PUT).to_request(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text(), "stored 7\n");
    assert_eq!(r.one("access-control-allow-origin"), APP);
    assert_eq!(r.one("vary"), ACTIX_CORS_VARY);
}

#[actix_web::test]
async fn scope_registered_before_the_migrated_handler_hides_it() {
    // The wrong order: `web::scope("")` matches every path, and a miss inside a scope goes to
    // the scope's default service, never to resources registered after the scope.
    let app = init_service(
        App::new()
            .service(web::scope("").wrap(legacy_cors()).configure(legacy))
            .service(get_item),
    )
    .await;

    let r = send(&app, get_from("/items/7", APP).to_request()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.one("access-control-allow-origin"), APP);
    assert_eq!(r.one("vary"), ACTIX_CORS_VARY);

    let r = send(&app, preflight("/items/7", APP, "GET").to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        set(&r.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );
}

// ---------------------------------------------------------------------------------------------
// The pitfall: `App::wrap(actix_cors)` around the `#[cors]` handlers.

/// The pitfall app, with a counter of the requests that got past actix-cors to the router.
macro_rules! pitfall_app {
    ($routed:expr) => {{
        let routed: Arc<AtomicUsize> = Arc::clone(&$routed);
        init_service(
            App::new()
                .wrap_fn(move |req, srv| {
                    routed.fetch_add(1, Ordering::SeqCst);
                    srv.call(req)
                })
                .wrap(legacy_cors())
                .service(get_item)
                .service(reports)
                .configure(legacy),
        )
    }};
}

#[actix_web::test]
async fn pitfall_app_wrap_actix_cors_answers_every_preflight_before_routing() {
    let routed = Arc::new(AtomicUsize::new(0));
    let app = pitfall_app!(routed).await;

    // Allowed: actix-cors's 200 with its whole method list, not the route's 204 + `GET`.
    let r = send(
        &app,
        with_request_headers(preflight("/items/7", APP, "GET"), "x-request-id").to_request(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        set(&r.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );
    assert_eq!(r.one("vary"), ACTIX_CORS_VARY);

    // Denied: actix-cors's 400 without Vary, and `#[cors]` logs nothing: it never saw it.
    let r = send(&app, preflight("/items/7", EVIL, "GET").to_request()).await;
    assert_actix_cors_refusal(&r, "Origin is not allowed to make this request");

    // An origin the migrated route allows but actix-cors does not: refused by actix-cors, so
    // the browser never sends the actual request.
    let r = send(&app, preflight("/reports", ADMIN, "GET").to_request()).await;
    assert_actix_cors_refusal(&r, "Origin is not allowed to make this request");

    assert_eq!(
        routed.load(Ordering::SeqCst),
        0,
        "a preflight reached the router"
    );

    // The counter does count what gets past actix-cors.
    let r = send(&app, get_from("/items/7", APP).to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(routed.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn pitfall_app_wrap_actix_cors_edits_the_migrated_routes_actual_responses() {
    let routed = Arc::new(AtomicUsize::new(0));
    let app = pitfall_app!(routed).await;

    // Both allow: still one `Access-Control-Allow-Origin` (actix-cors replaces the field
    // rather than adding one), but `Origin` twice in the one `Vary` field (actix-cors appends
    // its list to the route's `Vary: Origin`).
    let r = send(&app, get_from("/items/7", APP).to_request()).await;
    assert_eq!(r.all("access-control-allow-origin"), [APP]);
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);
    assert_eq!(
        r.all("vary"),
        ["Origin, Origin, Access-Control-Request-Method, Access-Control-Request-Headers"]
    );

    // The route refuses, actix-cors allows: actix-cors writes `Access-Control-Allow-Origin`
    // and `-Credentials`, so the browser lets the page read a response the route refused;
    // the route's log record says it was refused.
    let r = send(&app, get_from("/reports", APP).to_request()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.all("access-control-allow-origin"), [APP]);
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert!(browser_accepts_credentialed(&r, APP));
    r.assert_one_log_containing(&["route `reports`", APP, "not allowed"]);

    // The route allows, actix-cors does not: the route's `Access-Control-Allow-Origin` stays,
    // and actix-cors adds `-Credentials: true` and `-Expose-Headers` that the route (no
    // `credentials`, no `expose`) does not have.
    let r = send(&app, get_from("/reports", ADMIN).to_request()).await;
    assert_eq!(r.all("access-control-allow-origin"), [ADMIN]);
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);

    // Both refuse: no `Access-Control-Allow-Origin` (the browser blocks), but actix-cors's
    // `-Credentials` and `-Expose-Headers` are there.
    let r = send(&app, get_from("/items/7", EVIL).to_request()).await;
    r.assert_absent("access-control-allow-origin");
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);
    assert!(!browser_accepts_credentialed(&r, EVIL));

    // No Origin: actix-cors adds `-Credentials` and `-Expose-Headers` anyway.
    let r = send(&app, TestRequest::get().uri("/items/7").to_request()).await;
    r.assert_absent("access-control-allow-origin");
    assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);
}

// ---------------------------------------------------------------------------------------------
// Same browser-visible answers before and after.

#[actix_web::test]
async fn migrating_keeps_what_the_browser_sees_for_an_allowed_origin() {
    let before = before_app!().await;
    let after = recommended_app!().await;

    // A credentialed GET from the allowed origin.
    let then = send(&before, get_from("/items/7", APP).to_request()).await;
    let now = send(&after, get_from("/items/7", APP).to_request()).await;
    for r in [&then, &now] {
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text(), "item 7\n");
        assert_eq!(r.all("access-control-allow-origin"), [APP]);
        assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
        assert_eq!(r.all("access-control-expose-headers"), ["x-request-id"]);
        assert!(browser_accepts_credentialed(r, APP));
    }
    // What differs is only for caches: `Vary` lists `Origin` in both.
    assert_eq!(then.one("vary"), ACTIX_CORS_VARY);
    assert_eq!(now.one("vary"), "Origin");

    // The preflight of a credentialed GET with `x-request-id`.
    let asked = || with_request_headers(preflight("/items/7", APP, "GET"), "x-request-id");
    let then = send(&before, asked().to_request()).await;
    let now = send(&after, asked().to_request()).await;
    for r in [&then, &now] {
        assert_eq!(r.all("access-control-allow-origin"), [APP]);
        assert_eq!(r.all("access-control-allow-credentials"), ["true"]);
        assert_eq!(
            set(&r.one("access-control-allow-headers")),
            set_of(&["content-type", "x-request-id"])
        );
        assert_eq!(r.one("access-control-max-age"), "600");
        assert_eq!(r.one("vary"), PREFLIGHT_VARY);
        assert!(browser_accepts_preflight(r, APP, "GET", &["x-request-id"]));
    }
    // Both are ok statuses; the method list now names only what the route serves.
    assert_eq!(
        (then.status, now.status),
        (StatusCode::OK, StatusCode::NO_CONTENT)
    );
    assert_eq!(
        set(&then.one("access-control-allow-methods")),
        set_of(&["GET", "PUT"])
    );
    assert_eq!(now.one("access-control-allow-methods"), "GET");

    // The browser's verdict is the same for an origin neither allows.
    let then = send(&before, preflight("/items/7", EVIL, "GET").to_request()).await;
    let now = send(&after, preflight("/items/7", EVIL, "GET").to_request()).await;
    assert!(!browser_accepts_preflight(&then, EVIL, "GET", &[]));
    assert!(!browser_accepts_preflight(&now, EVIL, "GET", &[]));
    assert_eq!(
        (then.status, now.status),
        (StatusCode::BAD_REQUEST, StatusCode::FORBIDDEN)
    );

    // Responses the browser blocks either way, or that are not CORS requests at all, lose
    // actix-cors's `Access-Control-Allow-Credentials` and `Access-Control-Expose-Headers`.
    type Make = fn() -> TestRequest;
    let blocked_or_not_cors: [Make; 2] = [
        || get_from("/items/7", EVIL),
        || TestRequest::get().uri("/items/7"),
    ];
    for make in blocked_or_not_cors {
        let then = send(&before, make().to_request()).await;
        let now = send(&after, make().to_request()).await;
        assert_eq!(then.status, now.status);
        then.assert_absent("access-control-allow-origin");
        assert_eq!(then.all("access-control-allow-credentials"), ["true"]);
        assert_eq!(then.all("access-control-expose-headers"), ["x-request-id"]);
        now.assert_no_cors_headers();
    }
}

// ---------------------------------------------------------------------------------------------
// The next endpoint, reported: `list_items` has its policy written with `report_only` and stays
// under actix-cors. Nothing it sends changes; the log (and, with feature `metrics`, the
// counters) say what the policy would refuse.

/// `GET /items` without its `#[cors]`: what the endpoint was before its policy was written.
#[get("/items")]
async fn list_items_without_cors() -> impl Responder {
    app::items()
}

#[actix_web::test]
async fn the_reported_endpoint_answers_byte_for_byte_as_without_its_policy() {
    let reported = init_service(app::app()).await;
    let without = init_service(
        App::new().service(get_item).service(
            web::scope("")
                .wrap(legacy_cors())
                .service(list_items_without_cors)
                .service(app::put_item),
        ),
    )
    .await;
    let mut would_refuse = 0;
    for (what, make) in requests() {
        let now = send(&reported, make().to_request()).await;
        let then = send(&without, make().to_request()).await;
        assert_eq!(now.status, then.status, "{what}");
        assert_eq!(now.body, then.body, "{what}");
        // actix-cors writes its lists in a random order (a `HashSet`): each field is compared
        // as a set, every other byte as it is.
        assert_eq!(shape(&now), shape(&then), "{what}");
        assert_eq!(now.headers.len(), then.headers.len(), "{what}");
        then.assert_no_cors_log();
        let records = now.cors_logs();
        // The refused GET; the refused preflight is answered by actix-cors before routing,
        // so the policy never sees it.
        if what == "GET /items from EVIL" {
            assert_eq!(records.len(), 1, "{what}: {records:?}");
            let record = &records[0].message;
            assert!(record.contains("would"), "{what}: {record}");
            assert!(record.contains("route `list_items`"), "{what}: {record}");
            assert!(record.contains("report-only"), "{what}: {record}");
            would_refuse += 1;
        } else {
            assert!(records.is_empty(), "{what}: {records:?}");
        }
    }
    assert_eq!(would_refuse, 1);
}

/// With feature `metrics`, the counters say the same as the log.
#[cfg(feature = "metrics")]
#[actix_web::test]
async fn the_reported_endpoint_is_counted_as_would_refuse() {
    let r = crate::support::recorder::recorder();
    let count = |kind: &str, outcome: &str, reason: &str| {
        r.counter(
            "actix_route_cors_decisions_total",
            &[
                ("route", "list_items"),
                ("kind", kind),
                ("outcome", outcome),
                ("reason", reason),
            ],
        )
    };
    let before = (
        count("actual", "would_refuse", "origin"),
        count("actual", "allowed", "none"),
    );
    let app = init_service(app::app()).await;
    send(&app, get_from("/items", EVIL).to_request()).await;
    send(&app, get_from("/items", APP).to_request()).await;
    assert_eq!(count("actual", "would_refuse", "origin"), before.0 + 1);
    assert_eq!(count("actual", "allowed", "none"), before.1 + 1);
}
