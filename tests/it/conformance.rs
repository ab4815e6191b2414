//! A table-driven conformance suite for the CORS protocol of the WHATWG Fetch standard
//! (https://fetch.spec.whatwg.org/): request → exact response, through a real actix-web `App`
//! made of `#[cors]` handlers.
//!
//! The table lives in `tests/conformance/cases.rs`; every case names the rule it checks. The
//! driver runs every case of a group, collects ALL failures and panics with one line per failing
//! case (its name, its request, its rule and what differed). There is one `#[test]` per group,
//! so a failure shows up by name, plus one test over the whole table.
//!
//! Expectations are exact: a header expected with a value must appear exactly once with exactly
//! that value, a header expected `None` must be absent, and any `Access-Control-*` header the
//! case does not expect is a failure. `handler_runs` is checked with a per-app counter that every
//! handler body increments.

#[path = "../conformance/cases.rs"]
mod cases;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_route_cors::cors;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{delete, get, head, options, patch, put, routes, web, App, HttpResponse};

use crate::support::{send, Response};
use cases::{Case, Req};

/// Counts handler bodies run in one app.
#[derive(Debug, Default)]
struct Hits(AtomicUsize);

impl Hits {
    fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

type Counter = web::Data<Hits>;

// ---------------------------------------------------------------------------------------------
// The app: one handler per policy the table needs.
// ---------------------------------------------------------------------------------------------

#[cors(origins = ["https://a.example", "http://b.example:8080"])]
#[get("/exact")]
async fn exact(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("exact")
}

#[cors(origins = ["null", "https://a.example"])]
#[get("/null")]
async fn null_origin(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("null")
}

#[cors(origins = ["*"])]
#[get("/star")]
async fn star(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("star")
}

#[cors(origins = ["https://*.example.org"])]
#[get("/wild")]
async fn wild(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("wild")
}

#[cors(origins = ["https://a.example"], credentials, expose = ["x-total", "x-page"])]
#[get("/cred")]
async fn cred(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok()
        .insert_header(("x-total", "42"))
        .insert_header(("x-page", "1"))
        .body("cred")
}

/// Sets CORS headers itself, wrongly: two `Access-Control-Allow-Origin` fields and `True`.
#[cors(origins = ["https://a.example"], credentials)]
#[get("/own")]
async fn own(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok()
        .append_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .append_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "https://evil.example"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "True"))
        .body("own")
}

#[cors(origins = ["https://a.example"])]
#[get("/vary")]
async fn vary(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok()
        .insert_header((header::VARY, "Accept-Encoding"))
        .body("vary")
}

#[cors(
    origins = ["https://a.example"],
    headers = ["content-type", "x-request-id"],
    credentials,
    max_age = 600
)]
#[put("/item")]
async fn item(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("item")
}

#[cors(origins = ["https://a.example"], headers = ["*"])]
#[put("/star-headers")]
async fn star_headers(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("star-headers")
}

#[cors(origins = ["https://a.example"])]
#[routes]
#[put("/multi")]
#[delete("/multi")]
#[patch("/multi")]
async fn multi(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("multi")
}

#[cors(origins = ["https://a.example"], credentials)]
#[routes]
#[get("/h")]
#[head("/h")]
async fn get_and_head(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("h")
}

/// Serves `OPTIONS` itself: a request without `Access-Control-Request-Method` reaches it.
#[cors(origins = ["https://a.example"], methods = [GET])]
#[routes]
#[get("/opt")]
#[options("/opt")]
async fn with_options(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("opt")
}

#[cors(origins = ["https://a.example"])]
#[get("/shared")]
async fn shared_get(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("shared get")
}

#[cors(origins = ["https://c.example"])]
#[put("/shared")]
async fn shared_put(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("shared put")
}

/// Answers with the status named in the path (a `Location` on redirects, an `ETag` on 304).
#[cors(origins = ["https://a.example"], credentials, expose = ["x-total"])]
#[get("/status/{code}")]
async fn status(hits: Counter, code: web::Path<u16>) -> HttpResponse {
    hits.hit();
    let code = StatusCode::from_u16(code.into_inner()).unwrap_or(StatusCode::IM_A_TEAPOT);
    let mut res = HttpResponse::build(code);
    res.insert_header(("x-total", "1"));
    if code == StatusCode::NOT_MODIFIED {
        res.insert_header((header::ETAG, HeaderValue::from_static("\"v1\"")));
        return res.finish();
    }
    if code.is_redirection() {
        res.insert_header((header::LOCATION, "/elsewhere"));
    }
    res.body(code.as_str().to_owned())
}

#[cors(origins = ["https://a.example"])]
#[get("/fail")]
async fn fail(hits: Counter) -> Result<HttpResponse, actix_web::Error> {
    hits.hit();
    Err(actix_web::error::ErrorInternalServerError("boom"))
}

#[cors(origins = ["https://a.example"], private_network)]
#[put("/pna")]
async fn pna(hits: Counter) -> HttpResponse {
    hits.hit();
    HttpResponse::Ok().body("pna")
}

macro_rules! app {
    ($hits:expr) => {
        init_service(
            App::new()
                .app_data($hits.clone())
                .service(exact)
                .service(null_origin)
                .service(star)
                .service(wild)
                .service(cred)
                .service(own)
                .service(vary)
                .service(item)
                .service(star_headers)
                .service(multi)
                .service(get_and_head)
                .service(with_options)
                .service(shared_get)
                .service(shared_put)
                .service(status)
                .service(fail)
                .service(pna),
        )
        .await
    };
}

// ---------------------------------------------------------------------------------------------
// The driver.
// ---------------------------------------------------------------------------------------------

fn test_request(r: &Req) -> TestRequest {
    let method = Method::from_bytes(r.method.as_bytes()).expect("table methods are tokens");
    let mut req = TestRequest::default().method(method).uri(r.path);
    for &(name, value) in r.headers {
        req = req.append_header((name, value));
    }
    req
}

/// What differs between `res` and the case's expectations (empty: the case passes).
fn differences(case: &Case, res: &Response, handler_ran: usize) -> Vec<String> {
    let mut diffs = Vec::new();
    if res.status.as_u16() != case.expect_status {
        diffs.push(format!(
            "status {} (expected {})",
            res.status.as_u16(),
            case.expect_status
        ));
    }
    for &(name, want) in case.expect_headers {
        let got = res.all(name);
        match want {
            Some(value) if got != [value] => {
                diffs.push(format!("`{name}`: {got:?} (expected exactly [{value:?}])"));
            }
            None if !got.is_empty() => {
                diffs.push(format!("`{name}`: {got:?} (expected absent)"));
            }
            _ => {}
        }
    }
    // Every Access-Control-* header the case does not list is expected to be absent.
    for name in res.cors_header_names() {
        if !case.expect_headers.iter().any(|&(n, _)| n == name) {
            diffs.push(format!(
                "unexpected `{name}`: {:?} (expected absent)",
                res.all(&name)
            ));
        }
    }
    match case.handler_runs {
        Some(true) if handler_ran != 1 => diffs.push(format!(
            "the handler ran {handler_ran} times (expected once)"
        )),
        Some(false) if handler_ran != 0 => diffs.push(format!(
            "the handler ran {handler_ran} times (expected not at all)"
        )),
        _ => {}
    }
    diffs
}

/// Runs every case against a fresh app; returns one message per failing case.
async fn failures(cases: &[Case]) -> Vec<String> {
    let hits = web::Data::new(Hits::default());
    let app = app!(hits);
    let mut failures = Vec::new();
    for case in cases {
        let before = hits.count();
        let res = send(&app, test_request(&case.request).to_request()).await;
        let ran = hits.count() - before;
        let diffs = differences(case, &res, ran);
        if !diffs.is_empty() {
            let r = &case.request;
            failures.push(format!(
                "- {} — {} {} {:?}\n    rule: {}\n    got: {}",
                case.name,
                r.method,
                r.path,
                r.headers,
                case.rule,
                diffs.join("; ")
            ));
        }
    }
    failures
}

async fn assert_group(group: &str, cases: &[Case]) {
    let failures = failures(cases).await;
    assert!(
        failures.is_empty(),
        "{} of {} `{group}` conformance cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// One test per group.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn origin_matching_is_byte_for_byte() {
    assert_group("origin matching", cases::ORIGIN_MATCHING).await;
}

#[actix_web::test]
async fn star_is_a_static_answer() {
    assert_group("star", cases::STAR).await;
}

#[actix_web::test]
async fn one_allow_origin_and_credentials_exactly_true() {
    assert_group("credentials", cases::CREDENTIALS).await;
}

#[actix_web::test]
async fn vary_names_what_the_answer_depends_on() {
    assert_group("vary", cases::VARY_CASES).await;
}

#[actix_web::test]
async fn preflight_method_is_case_sensitive_and_served() {
    assert_group("preflight method", cases::PREFLIGHT_METHOD).await;
}

#[actix_web::test]
async fn preflight_origin_is_checked() {
    assert_group("preflight origin", cases::PREFLIGHT_ORIGIN).await;
}

#[actix_web::test]
async fn preflight_request_headers_are_a_list() {
    assert_group("preflight headers", cases::PREFLIGHT_HEADERS).await;
}

#[actix_web::test]
async fn preflight_only_headers_stay_on_preflights() {
    assert_group("header placement", cases::HEADER_PLACEMENT).await;
}

#[actix_web::test]
async fn options_without_request_method_is_not_a_preflight() {
    assert_group("not a preflight", cases::NOT_A_PREFLIGHT).await;
}

#[actix_web::test]
async fn cors_headers_on_every_status() {
    assert_group("statuses", cases::STATUSES).await;
}

#[actix_web::test]
async fn head_is_answered_like_get() {
    assert_group("head", cases::HEAD).await;
}

#[actix_web::test]
async fn two_handlers_on_one_path_answer_their_own_preflights() {
    assert_group("shared path", cases::SHARED_PATH).await;
}

#[actix_web::test]
async fn private_network_access_preflights() {
    assert_group("private network", cases::PRIVATE_NETWORK).await;
}

// ---------------------------------------------------------------------------------------------
// The whole table at once, and the table and driver themselves.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn every_case_of_the_table() {
    let mut all = Vec::new();
    let mut total = 0;
    for (group, cases) in cases::GROUPS {
        total += cases.len();
        for failure in failures(cases).await {
            all.push(format!("[{group}] {failure}"));
        }
    }
    assert!(
        all.is_empty(),
        "{} of {total} conformance cases failed:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn the_table_is_well_formed() {
    let all: Vec<&Case> = cases::GROUPS.iter().flat_map(|(_, c)| c.iter()).collect();
    assert!(all.len() >= 50, "only {} cases", all.len());

    let mut names: Vec<&str> = all.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "case names must be unique");

    for case in all.iter().copied() {
        assert!(
            ["Fetch", "RFC", "SPEC", "WICG"]
                .iter()
                .any(|source| case.rule.contains(source)),
            "case `{}` cites no standard: {:?}",
            case.name,
            case.rule
        );
        assert!(
            Method::from_bytes(case.request.method.as_bytes()).is_ok(),
            "case `{}`: bad method",
            case.name
        );
        let mut expected: Vec<&str> = case.expect_headers.iter().map(|(n, _)| *n).collect();
        assert!(
            expected
                .iter()
                .all(|n| n.bytes().all(|b| !b.is_ascii_uppercase())),
            "case `{}`: expected header names must be lowercase",
            case.name
        );
        expected.sort_unstable();
        let listed = expected.len();
        expected.dedup();
        assert_eq!(
            expected.len(),
            listed,
            "case `{}` lists a header twice",
            case.name
        );
        assert!(
            case.handler_runs.is_some(),
            "case `{}` says nothing about the handler",
            case.name
        );
    }
}

/// The driver reports wrong values, unexpected Access-Control-* headers, wrong statuses and
/// wrong handler counts, naming the case and its rule — so a passing group means something.
#[actix_web::test]
async fn the_driver_reports_every_kind_of_difference() {
    const WRONG: &[Case] = &[
        Case {
            name: "self-test/wrong-value",
            rule: "self-test rule one",
            request: Req {
                method: "GET",
                path: "/exact",
                headers: &[("origin", cases::A)],
            },
            expect_status: 200,
            expect_headers: &[(cases::ACAO, Some("https://wrong.example"))],
            handler_runs: Some(true),
        },
        Case {
            name: "self-test/unlisted-cors-header",
            rule: "self-test rule two",
            request: Req {
                method: "GET",
                path: "/exact",
                headers: &[("origin", cases::A)],
            },
            expect_status: 200,
            expect_headers: &[(cases::VARY, Some("Origin"))],
            handler_runs: Some(true),
        },
        Case {
            name: "self-test/status-and-runs",
            rule: "self-test rule three",
            request: Req {
                method: "OPTIONS",
                path: "/item",
                headers: &[
                    ("origin", cases::A),
                    ("access-control-request-method", "PUT"),
                ],
            },
            expect_status: 200,
            expect_headers: &[
                (cases::ACAO, Some(cases::A)),
                (cases::ACAC, Some("true")),
                (cases::ACAM, Some("PUT")),
                (cases::ACAH, Some("content-type, x-request-id")),
                (cases::ACMA, None),
                (cases::VARY, Some(cases::PREFLIGHT_VARY)),
            ],
            handler_runs: Some(true),
        },
    ];
    let failures = failures(WRONG).await;
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(failures[0].contains("self-test/wrong-value"));
    assert!(failures[0].contains("self-test rule one"));
    assert!(failures[0].contains(
        "`access-control-allow-origin`: [\"https://a.example\"] (expected exactly [\"https://wrong.example\"])"
    ));
    assert!(failures[1].contains(
        "unexpected `access-control-allow-origin`: [\"https://a.example\"] (expected absent)"
    ));
    assert!(failures[2].contains("status 204 (expected 200)"));
    assert!(failures[2].contains("`access-control-max-age`: [\"600\"] (expected absent)"));
    assert!(failures[2].contains("the handler ran 0 times (expected once)"));
}
