//! Every decision counted through the `metrics` facade (feature `metrics`, on in
//! `cargo test --workspace`, where `examples/metrics` turns it on): exact counts per route,
//! kind, outcome and reason, once per request (with and without `CorsFirst`), report-only
//! counted as `would_refuse`, a lookup's cache, and labels that stay bounded under a flood of
//! distinct origins. The counts are read from a recorder of the test binary's own
//! (`support/recorder.rs`); each test uses routes of its own, so tests running in parallel
//! never share a series.

use actix_route_cors::{cors, CorsFirst, LookupSettings, OriginLookup};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::from_fn;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, put, web, App, HttpResponse};

use crate::support::recorder::recorder;
use crate::support::{require_authorization, send_fallible};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";
const DECISIONS: &str = "actix_route_cors_decisions_total";

fn decisions(route: &str, kind: &str, outcome: &str, reason: &str) -> u64 {
    recorder().counter(
        DECISIONS,
        &[
            ("route", route),
            ("kind", kind),
            ("outcome", outcome),
            ("reason", reason),
        ],
    )
}

/// Every decision of `route`, as (kind, outcome, reason, count).
fn all_of(route: &str) -> Vec<(String, String, String, u64)> {
    let mut out = Vec::new();
    for (_, labels) in recorder().series(DECISIONS) {
        let get = |k: &str| labels.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if get("route").as_deref() != Some(route) {
            continue;
        }
        let (kind, outcome, reason) = (
            get("kind").unwrap(),
            get("outcome").unwrap(),
            get("reason").unwrap(),
        );
        let n = decisions(route, &kind, &outcome, &reason);
        out.push((kind, outcome, reason, n));
    }
    out.sort();
    out
}

fn row(kind: &str, outcome: &str, reason: &str, n: u64) -> (String, String, String, u64) {
    (kind.into(), outcome.into(), reason.into(), n)
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[get("/metrics/items")]
async fn counted_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[put("/metrics/items")]
async fn counted_put() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn preflight(origin: &str, headers: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/metrics/items")
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "PUT"))
        .insert_header(("access-control-request-headers", headers))
}

#[actix_web::test]
async fn each_decision_is_counted_once_by_route_kind_outcome_and_reason() {
    recorder();
    let app = init_service(App::new().service(counted_items).service(counted_put)).await;
    let get = |origin: Option<&str>| {
        let req = TestRequest::get().uri("/metrics/items");
        match origin {
            Some(o) => req.insert_header(("origin", o)),
            None => req,
        }
    };
    for _ in 0..3 {
        send_fallible(&app, get(Some(APP)).to_request()).await;
    }
    send_fallible(&app, get(Some(EVIL)).to_request()).await;
    send_fallible(&app, get(None).to_request()).await; // not a CORS request: not counted
    send_fallible(&app, preflight(APP, "content-type").to_request()).await;
    send_fallible(&app, preflight(APP, "x-forbidden").to_request()).await;
    send_fallible(&app, preflight(EVIL, "content-type").to_request()).await;
    send_fallible(&app, preflight(APP, &"x".repeat(5000)).to_request()).await;
    let write = TestRequest::put()
        .uri("/metrics/items")
        .insert_header(("origin", EVIL))
        .insert_header(("sec-fetch-site", "cross-site"));
    let res = send_fallible(&app, write.to_request()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    assert_eq!(
        all_of("counted_items"),
        [
            row("actual", "allowed", "none", 3),
            row("actual", "refused", "origin", 1),
        ]
    );
    assert_eq!(
        all_of("counted_put"),
        [
            row("preflight", "allowed", "none", 1),
            row("preflight", "refused", "header", 1),
            row("preflight", "refused", "origin", 1),
            row("preflight", "refused", "size", 1),
            row("write", "refused", "write", 1),
        ]
    );
}

#[cors(origins = ["https://app.example.com"], report_only)]
#[put("/metrics/reported")]
async fn counted_reported() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn report_only_is_counted_as_would_refuse() {
    recorder();
    let app = init_service(App::new().service(counted_reported).wrap(CorsFirst::new())).await;
    let write = TestRequest::put()
        .uri("/metrics/reported")
        .insert_header(("origin", EVIL))
        .insert_header(("sec-fetch-site", "cross-site"));
    assert_eq!(
        send_fallible(&app, write.to_request()).await.status,
        StatusCode::OK
    );
    let preflight = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/metrics/reported")
        .insert_header(("origin", EVIL))
        .insert_header(("access-control-request-method", "PUT"));
    send_fallible(&app, preflight.to_request()).await;
    let allowed = TestRequest::put()
        .uri("/metrics/reported")
        .insert_header(("origin", APP));
    send_fallible(&app, allowed.to_request()).await;
    assert_eq!(
        all_of("counted_reported"),
        [
            row("actual", "allowed", "none", 1),
            row("preflight", "would_refuse", "origin", 1),
            row("write", "would_refuse", "write", 1),
        ]
    );
}

#[cors(origins = ["https://app.example.com"])]
#[get("/metrics/behind")]
async fn counted_behind_auth() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Behind `CorsFirst`, a request the route answers is counted by the route, one the app's
/// middleware answers first (a 401) by `CorsFirst`: once each.
#[actix_web::test]
async fn behind_cors_first_each_request_is_counted_once() {
    recorder();
    let app = init_service(
        App::new()
            .service(
                web::scope("")
                    .wrap(from_fn(require_authorization))
                    .service(counted_behind_auth),
            )
            .wrap(CorsFirst::new()),
    )
    .await;
    let req = |origin: &str, token: bool| {
        let req = TestRequest::get()
            .uri("/metrics/behind")
            .insert_header(("origin", origin));
        match token {
            true => req.insert_header(("authorization", "Bearer t")),
            false => req,
        }
    };
    assert_eq!(
        send_fallible(&app, req(APP, true).to_request())
            .await
            .status,
        StatusCode::OK
    );
    let early = send_fallible(&app, req(APP, false).to_request()).await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);
    assert_eq!(early.all("access-control-allow-origin"), [APP]);
    send_fallible(&app, req(EVIL, true).to_request()).await;
    send_fallible(&app, req(EVIL, false).to_request()).await;
    assert_eq!(
        all_of("counted_behind_auth"),
        [
            row("actual", "allowed", "none", 2),
            row("actual", "refused", "origin", 2),
        ]
    );
}

#[cors(origins = ["https://app.example.com"])]
#[get("/metrics/flood")]
async fn counted_flood() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// The origin is never a label: a flood of distinct origins adds no series.
#[actix_web::test]
async fn a_flood_of_distinct_origins_adds_no_series() {
    recorder();
    let app = init_service(App::new().service(counted_flood)).await;
    let req = |origin: &str| {
        TestRequest::get()
            .uri("/metrics/flood")
            .insert_header(("origin", origin))
    };
    send_fallible(&app, req(EVIL).to_request()).await;
    let before = all_of("counted_flood");
    for i in 0..500 {
        send_fallible(
            &app,
            req(&format!("https://attacker-{i}.example")).to_request(),
        )
        .await;
    }
    assert_eq!(before, [row("actual", "refused", "origin", 1)]);
    assert_eq!(
        all_of("counted_flood"),
        [row("actual", "refused", "origin", 501)]
    );
    for (_, labels) in recorder().series(DECISIONS) {
        assert!(
            labels.iter().all(|(_, v)| !v.contains("://")),
            "an origin in the labels: {labels:?}"
        );
    }
}

static COUNTED_TENANTS: OriginLookup = OriginLookup::new("tenants (metrics)");

#[cors(origins = COUNTED_TENANTS)]
#[get("/metrics/tenant")]
async fn counted_tenant() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_lookup_reports_its_cache() {
    recorder();
    COUNTED_TENANTS
        .install(LookupSettings::default(), |origin: String| async move {
            Ok::<_, String>(origin == APP)
        })
        .expect("installed once");
    let app = init_service(App::new().service(counted_tenant)).await;
    let lookup = [("lookup", "tenants (metrics)")];
    for origin in [APP, EVIL, "https://other.example"] {
        let req = TestRequest::get()
            .uri("/metrics/tenant")
            .insert_header(("origin", origin));
        send_fallible(&app, req.to_request()).await;
    }
    let r = recorder();
    assert_eq!(
        r.counter("actix_route_cors_lookup_misses_total", &lookup),
        3
    );
    assert_eq!(
        r.gauge("actix_route_cors_lookup_cache_entries", &lookup),
        3.0
    );
    assert_eq!(r.gauge("actix_route_cors_lookups_in_flight", &lookup), 0.0);
    assert_eq!(
        all_of("counted_tenant"),
        [
            row("actual", "allowed", "none", 1),
            row("actual", "refused", "origin", 2),
        ]
    );
}
