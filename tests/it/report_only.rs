//! Report-only mode: the policy is evaluated for every request exactly as when it is enforced,
//! what it would have done is logged ("would refuse"), and nothing the route sends changes:
//! each response is compared, byte for byte, with the same handler without `#[cors]`, with
//! and without `CorsFirst`, for allowed, refused and origin-less requests, preflights and
//! cross-origin writes. `report_only = writes` spares only the refusals before the handler.
//! (The process-wide switch is tested in `tests/report_only_everywhere.rs`, a binary of its
//! own, as it changes every route.)

use std::cell::Cell;

use crate::support::{send_fallible, Response};
use actix_route_cors::{cors, CorsFirst, LookupSettings, OriginLookup};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Condition;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, options, put, routes, App, HttpRequest, HttpResponse};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

thread_local! {
    static RUNS: Cell<usize> = const { Cell::new(0) };
}

fn runs() -> usize {
    RUNS.with(Cell::get)
}

fn ran() {
    RUNS.with(|c| c.set(c.get() + 1));
}

fn items() -> HttpResponse {
    ran();
    HttpResponse::Ok()
        .insert_header(("x-total", "3"))
        .body("[1,2,3]")
}

// The same handlers, with the policy reported and without any `#[cors]`.

#[cors(origins = ["https://app.example.com"], headers = ["content-type"], credentials, report_only)]
#[get("/items")]
async fn reported_items() -> HttpResponse {
    items()
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"], credentials, report_only)]
#[put("/items")]
async fn reported_put() -> HttpResponse {
    items()
}

#[get("/items")]
async fn plain_items() -> HttpResponse {
    items()
}

#[put("/items")]
async fn plain_put() -> HttpResponse {
    items()
}

// Writes reported, the CORS headers enforced.

#[cors(origins = ["https://app.example.com"], report_only = writes)]
#[get("/writes")]
async fn writes_get() -> HttpResponse {
    items()
}

#[cors(origins = ["https://app.example.com"], report_only = writes)]
#[put("/writes")]
async fn writes_put() -> HttpResponse {
    items()
}

/// Every kind of request a browser (or an attacker) sends to `/items`.
fn requests() -> Vec<(&'static str, TestRequest)> {
    let preflight = |origin: &str, headers: &str| {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header(("origin", origin))
            .insert_header(("access-control-request-method", "PUT"))
            .insert_header(("access-control-request-headers", headers))
    };
    vec![
        (
            "allowed GET",
            TestRequest::get()
                .uri("/items")
                .insert_header(("origin", APP)),
        ),
        (
            "refused GET",
            TestRequest::get()
                .uri("/items")
                .insert_header(("origin", EVIL)),
        ),
        ("GET without Origin", TestRequest::get().uri("/items")),
        (
            "two Origin fields",
            TestRequest::get()
                .uri("/items")
                .append_header(("origin", APP))
                .append_header(("origin", EVIL)),
        ),
        ("allowed preflight", preflight(APP, "content-type")),
        (
            "preflight from a refused origin",
            preflight(EVIL, "content-type"),
        ),
        (
            "preflight for a refused header",
            preflight(APP, "x-forbidden"),
        ),
        (
            "cross-origin write",
            TestRequest::put()
                .uri("/items")
                .insert_header(("origin", EVIL))
                .insert_header(("sec-fetch-site", "cross-site")),
        ),
        (
            "allowed write",
            TestRequest::put()
                .uri("/items")
                .insert_header(("origin", APP))
                .insert_header(("sec-fetch-site", "cross-site")),
        ),
    ]
}

/// Everything a client sees of a response.
fn seen(res: &Response) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
    let mut headers: Vec<(String, String)> = res
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    headers.sort();
    (res.status, headers, res.body.to_vec())
}

#[actix_web::test]
async fn a_reported_route_answers_byte_for_byte_as_without_cors() {
    let reported = init_service(App::new().service(reported_items).service(reported_put)).await;
    let plain = init_service(App::new().service(plain_items).service(plain_put)).await;
    let reported_first = init_service(
        App::new()
            .service(reported_items)
            .service(reported_put)
            .wrap(CorsFirst::new()),
    )
    .await;
    for (what, req) in requests() {
        let want = send_fallible(&plain, req.to_request()).await;
        let before = runs();
        let got = send_fallible(&reported, rebuild(what).to_request()).await;
        assert_eq!(seen(&got), seen(&want), "{what}");
        assert_eq!(
            runs() - before,
            usize::from(want.status == StatusCode::OK),
            "{what}"
        );
        let got = send_fallible(&reported_first, rebuild(what).to_request()).await;
        assert_eq!(seen(&got), seen(&want), "{what}, behind CorsFirst");
    }
}

/// The request of [`requests`] named `what`, again (a `TestRequest` is used once).
fn rebuild(what: &str) -> TestRequest {
    requests()
        .into_iter()
        .find(|(name, _)| *name == what)
        .expect("a request of the list")
        .1
}

#[actix_web::test]
async fn what_would_be_refused_is_logged_and_says_so() {
    let app = init_service(
        App::new()
            .service(reported_items)
            .service(reported_put)
            .wrap(CorsFirst::new()),
    )
    .await;
    for (what, says) in [
        ("refused GET", "CORS would refuse GET /items (route `reported_items`): origin `https://evil.example` is not allowed"),
        ("two Origin fields", "CORS would refuse GET /items (route `reported_items`)"),
        ("cross-origin write", "CORS would refuse PUT /items (route `reported_put`)"),
        ("preflight from a refused origin", "CORS preflight would be refused (report-only: not answered) for /items (route `reported_put`)"),
        ("preflight for a refused header", "`x-forbidden`"),
    ] {
        let res = send_fallible(&app, rebuild(what).to_request()).await;
        let record = res.assert_one_log_containing(&[says]);
        assert!(
            record.contains("report-only"),
            "{what}: the record says the mode: {record}"
        );
    }
    for what in [
        "allowed GET",
        "GET without Origin",
        "allowed preflight",
        "allowed write",
    ] {
        let res = send_fallible(&app, rebuild(what).to_request()).await;
        res.assert_no_cors_log();
    }
}

#[actix_web::test]
async fn report_only_writes_spares_writes_and_enforces_the_headers() {
    let app = init_service(App::new().service(writes_get).service(writes_put)).await;
    // The CORS headers are the policy's.
    let req = TestRequest::get()
        .uri("/writes")
        .insert_header(("origin", APP));
    let res = send_fallible(&app, req.to_request()).await;
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    let req = TestRequest::get()
        .uri("/writes")
        .insert_header(("origin", EVIL));
    let res = send_fallible(&app, req.to_request()).await;
    res.assert_no_cors_headers();
    // A cross-origin write reaches the handler, and the log says it would have been refused.
    let before = runs();
    let req = TestRequest::put()
        .uri("/writes")
        .insert_header(("origin", EVIL))
        .insert_header(("sec-fetch-site", "cross-site"));
    let res = send_fallible(&app, req.to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(runs() - before, 1);
    res.assert_no_cors_headers();
    res.assert_one_log_containing(&[
        "CORS would refuse PUT /writes (route `writes_put`)",
        "report-only: it goes on to the handler",
    ]);
}

// A lookup in report-only mode still asks, and caches its answer.

static REPORTED_TENANTS: OriginLookup = OriginLookup::new("tenants (report-only)");

#[cors(origins = REPORTED_TENANTS, report_only)]
#[get("/tenant")]
async fn tenant() -> HttpResponse {
    items()
}

#[actix_web::test]
async fn a_reported_lookup_still_asks_and_caches() {
    REPORTED_TENANTS
        .install(LookupSettings::default(), |origin: String| async move {
            Ok::<_, String>(origin == APP)
        })
        .expect("installed once");
    let app = init_service(App::new().service(tenant).wrap(CorsFirst::new())).await;
    for _ in 0..3 {
        let req = TestRequest::get()
            .uri("/tenant")
            .insert_header(("origin", EVIL));
        let res = send_fallible(&app, req.to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_no_cors_headers();
        res.assert_one_log_containing(&["CORS would refuse GET /tenant", "lookup"]);
    }
    let req = TestRequest::get()
        .uri("/tenant")
        .insert_header(("origin", APP));
    let res = send_fallible(&app, req.to_request()).await;
    res.assert_no_cors_headers();
    res.assert_no_cors_log();
    let stats = REPORTED_TENANTS.stats();
    assert_eq!(stats.lookups, 2, "{stats:?}");
    assert_eq!(stats.cached, 2, "{stats:?}");
}

// A route that answers `OPTIONS` itself (as under a hand-written CORS layer): in report-only
// mode its preflights reach it, as they would without `#[cors]`, and are recorded once.

fn own(req: &HttpRequest) -> HttpResponse {
    ran();
    if req.method() == Method::OPTIONS {
        HttpResponse::NoContent()
            .insert_header(("allow", "GET, OPTIONS"))
            .insert_header(("access-control-allow-origin", "https://partner.example"))
            .finish()
    } else {
        HttpResponse::Ok().body("own")
    }
}

#[cors(origins = ["https://app.example.com"], report_only)]
#[routes]
#[get("/own")]
#[options("/own")]
async fn reported_own(req: HttpRequest) -> HttpResponse {
    own(&req)
}

#[routes]
#[get("/own")]
#[options("/own")]
async fn plain_own(req: HttpRequest) -> HttpResponse {
    own(&req)
}

#[actix_web::test]
async fn a_reported_route_that_serves_options_answers_its_preflights_itself() {
    let plain = init_service(App::new().service(plain_own)).await;
    for cors_first in [false, true] {
        let app = init_service(
            App::new()
                .service(reported_own)
                .wrap(Condition::new(cors_first, CorsFirst::new())),
        )
        .await;
        for origin in [APP, EVIL] {
            let what = format!("a preflight from {origin}, CorsFirst: {cors_first}");
            let preflight = || {
                TestRequest::default()
                    .method(Method::OPTIONS)
                    .uri("/own")
                    .insert_header(("origin", origin))
                    .insert_header(("access-control-request-method", "GET"))
                    .to_request()
            };
            let want = send_fallible(&plain, preflight()).await;
            let before = runs();
            let got = send_fallible(&app, preflight()).await;
            assert_eq!(seen(&got), seen(&want), "{what}");
            assert_eq!(runs() - before, 1, "{what}: the route answered it");
            if origin == EVIL {
                got.assert_one_log_containing(&[
                    "CORS preflight would be refused (report-only: not answered) for /own \
                     (route `reported_own`)",
                    "origin `https://evil.example` is not allowed",
                ]);
            } else {
                got.assert_no_cors_log();
            }
        }
    }
}
