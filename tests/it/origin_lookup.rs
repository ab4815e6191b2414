//! Origins looked up by an asynchronous function, with the cache built in: answers reused for
//! their time, one lookup per origin at a time, failures and late answers refuse, memory
//! bounded, refusals name the lookup. Preflights and writes waiting for a lookup, `CorsFirst`
//! and the audit, as for every form of origins, are in `origin_forms.rs`; `examples/tenants`
//! does the same against SQLite (its package's `tests/tenants.rs`).
//!
//! Each test has its own lookup and routes: a lookup's function is installed once per process,
//! and tests run in parallel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_route_cors::{cors, LookupSettings, OriginLookup};
use actix_web::http::StatusCode;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, App, HttpResponse, Responder};
use futures_util::future::join_all;

use crate::support::{get, send};

fn no_error(allowed: bool) -> Result<bool, std::io::Error> {
    Ok(allowed)
}

static BASIC: OriginLookup = OriginLookup::new("tenant origins (basic)");
static BASIC_ASKED: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = BASIC, credentials, expose = ["x-tenant"])]
#[get("/basic")]
async fn basic() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-tenant", "acme"))
        .finish()
}

#[actix_web::test]
async fn an_answer_is_looked_up_once_then_reused() {
    BASIC
        .install(LookupSettings::default(), |origin: String| async move {
            BASIC_ASKED.fetch_add(1, Ordering::SeqCst);
            no_error(origin == "https://acme.example")
        })
        .unwrap();
    let app = init_service(App::new().service(basic)).await;
    for _ in 0..3 {
        let res = send(&app, get("/basic", "https://acme.example").to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(
            res.one("access-control-allow-origin"),
            "https://acme.example"
        );
        assert_eq!(res.one("access-control-allow-credentials"), "true");
        assert_eq!(res.one("access-control-expose-headers"), "x-tenant");
        assert_eq!(res.one("vary"), "Origin");
    }
    assert_eq!(BASIC_ASKED.load(Ordering::SeqCst), 1);

    // Another origin is another question, even one that differs by case only: the cache is
    // keyed by the exact bytes and never answers for another origin.
    for origin in [
        "https://ACME.example",
        "https://acme.example.",
        "https://evil.example",
    ] {
        let res = send(&app, get("/basic", origin).to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
        res.assert_one_log_containing(&[
            &format!("origin `{origin}` is not allowed"),
            "those lookup `tenant origins (basic)` allows; it refused the origin",
        ]);
    }
    assert_eq!(BASIC_ASKED.load(Ordering::SeqCst), 4);
    // Refusals are reused too (for `refusal_ttl`).
    let res = send(&app, get("/basic", "https://evil.example").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(BASIC_ASKED.load(Ordering::SeqCst), 4);

    // Without `Origin`: no lookup, `Vary: Origin`.
    let res = send(&app, TestRequest::get().uri("/basic").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    assert_eq!(BASIC_ASKED.load(Ordering::SeqCst), 4);

    let stats = BASIC.stats();
    assert_eq!((stats.lookups, stats.cached, stats.in_flight), (4, 4, 0));
    // The second request of an origin reads the shared cache, later ones the worker's memo.
    assert_eq!(stats.hits, 2);
}

static FLIGHT: OriginLookup = OriginLookup::new("tenant origins (single flight)");
static FLIGHT_ASKED: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = FLIGHT)]
#[get("/flight")]
async fn flight() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn concurrent_requests_for_one_origin_cause_one_lookup() {
    FLIGHT
        .install(LookupSettings::default(), |origin: String| async move {
            FLIGHT_ASKED.fetch_add(1, Ordering::SeqCst);
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            no_error(origin.ends_with(".acme.example"))
        })
        .unwrap();
    let app = init_service(App::new().service(flight)).await;
    let requests = (0..50).map(|i| {
        let origin = if i % 2 == 0 {
            "https://a.acme.example"
        } else {
            "https://b.acme.example"
        };
        actix_web::test::call_service(&app, get("/flight", origin).to_request())
    });
    let responses = join_all(requests).await;
    for (i, res) in responses.iter().enumerate() {
        let expected = if i % 2 == 0 {
            "https://a.acme.example"
        } else {
            "https://b.acme.example"
        };
        assert_eq!(
            res.headers().get("access-control-allow-origin").unwrap(),
            expected
        );
    }
    assert_eq!(FLIGHT_ASKED.load(Ordering::SeqCst), 2);
    assert_eq!(FLIGHT.stats().joined, 48);
}

static FAILING: OriginLookup = OriginLookup::new("tenant origins (failing)");
static FAILING_ASKED: AtomicUsize = AtomicUsize::new(0);

#[cors(origins = FAILING, credentials)]
#[get("/failing")]
async fn failing() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_failed_or_late_lookup_refuses_and_is_logged() {
    FAILING
        .install(
            LookupSettings::default()
                .timeout(Duration::from_millis(50))
                .failure_ttl(Duration::from_millis(200)),
            |origin: String| async move {
                FAILING_ASKED.fetch_add(1, Ordering::SeqCst);
                if origin.contains("slow") {
                    actix_web::rt::time::sleep(Duration::from_secs(5)).await;
                    return Ok(true);
                }
                Err(std::io::Error::other("database is locked"))
            },
        )
        .unwrap();
    let app = init_service(App::new().service(failing)).await;

    let res = send(&app, get("/failing", "https://acme.example").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    let warning = res
        .logs
        .iter()
        .find(|r| r.level == log::Level::Warn)
        .expect("the failure is logged");
    assert!(
        warning.message.contains("CORS lookup `tenant origins (failing)` failed for origin `https://acme.example`, which is refused: database is locked"),
        "{}",
        warning.message
    );
    assert!(res.logs.iter().any(|r| r.level == log::Level::Info
        && r.message
            .contains("the lookup failed (its error was logged), and a failed lookup refuses")));

    let res = send(&app, get("/failing", "https://slow.example").to_request()).await;
    res.assert_no_cors_headers();
    assert!(res.logs.iter().any(|r| r.level == log::Level::Warn
        && r.message
            .contains("did not answer within 50ms for origin `https://slow.example`")));
    assert!(res.logs.iter().any(|r| r.level == log::Level::Info
        && r.message
            .contains("the lookup did not answer within its time limit")));

    // A failure is remembered for `failure_ttl`: the database is not asked by every request.
    let asked = FAILING_ASKED.load(Ordering::SeqCst);
    let res = send(&app, get("/failing", "https://acme.example").to_request()).await;
    res.assert_no_cors_headers();
    assert_eq!(FAILING_ASKED.load(Ordering::SeqCst), asked);
    actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    send(&app, get("/failing", "https://acme.example").to_request()).await;
    assert_eq!(FAILING_ASKED.load(Ordering::SeqCst), asked + 1);
}

static EXPIRING: OriginLookup = OriginLookup::new("tenant origins (expiring)");
static EXPIRING_ALLOWED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

#[cors(origins = EXPIRING)]
#[get("/expiring")]
async fn expiring() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn answers_expire_and_forget_asks_again_at_once() {
    EXPIRING
        .install(
            LookupSettings::default()
                .ttl(Duration::from_millis(100))
                .refusal_ttl(Duration::from_secs(60)),
            |origin: String| async move {
                no_error(EXPIRING_ALLOWED.lock().unwrap().contains(&origin))
            },
        )
        .unwrap();
    let app = init_service(App::new().service(expiring)).await;
    let origin = "https://new-tenant.example";
    let res = send(&app, get("/expiring", origin).to_request()).await;
    res.assert_no_cors_headers();

    // Added: the refusal is cached for a minute, unless the process forgets it.
    EXPIRING_ALLOWED.lock().unwrap().push(origin.to_owned());
    let res = send(&app, get("/expiring", origin).to_request()).await;
    res.assert_no_cors_headers();
    EXPIRING.forget(origin);
    let res = send(&app, get("/expiring", origin).to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), origin);

    // Removed: allowed until the answer expires (`ttl`), then refused.
    EXPIRING_ALLOWED.lock().unwrap().clear();
    let res = send(&app, get("/expiring", origin).to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), origin);
    actix_web::rt::time::sleep(Duration::from_millis(150)).await;
    let res = send(&app, get("/expiring", origin).to_request()).await;
    res.assert_no_cors_headers();
}

static BOUNDED: OriginLookup = OriginLookup::new("tenant origins (bounded)");

#[cors(origins = BOUNDED)]
#[get("/bounded")]
async fn bounded() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_flood_of_distinct_origins_stays_within_capacity_and_in_flight_limits() {
    BOUNDED
        .install(
            LookupSettings::default().capacity(100).max_in_flight(8),
            |origin: String| async move {
                if origin.contains("slow") {
                    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
                }
                no_error(origin == "https://kept.example")
            },
        )
        .unwrap();
    let app = init_service(App::new().service(bounded)).await;
    let res = send(&app, get("/bounded", "https://kept.example").to_request()).await;
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://kept.example"
    );
    for i in 0..1_000 {
        let origin = format!("https://hostile-{i}.example");
        let res = send(&app, get("/bounded", &origin).to_request()).await;
        res.assert_no_cors_headers();
        assert!(BOUNDED.stats().cached <= 100, "{:?}", BOUNDED.stats());
        // An origin in use survives the flood: each hit keeps it young.
        if i % 20 == 0 {
            let res = send(&app, get("/bounded", "https://kept.example").to_request()).await;
            assert_eq!(
                res.one("access-control-allow-origin"),
                "https://kept.example"
            );
        }
    }
    let lookups = BOUNDED.stats().lookups;
    assert_eq!(lookups, 1_001, "the kept origin was looked up once");

    // Slow lookups: at most 8 in flight; the others are refused at once, without one.
    let slow = (0..20).map(|i| {
        actix_web::test::call_service(
            &app,
            get("/bounded", &format!("https://slow-{i}.example")).to_request(),
        )
    });
    let responses = join_all(slow).await;
    assert!(responses
        .iter()
        .all(|r| r.headers().get("access-control-allow-origin").is_none()));
    let stats = BOUNDED.stats();
    assert_eq!(stats.lookups, 1_001 + 8, "{stats:?}");
    assert_eq!(stats.overloaded, 12, "{stats:?}");
    let res = send(
        &app,
        get("/bounded", "https://slow-overloaded.example").to_request(),
    )
    .await;
    // The eight are done by now: this one is looked up.
    res.assert_no_cors_headers();
    assert_eq!(BOUNDED.stats().in_flight, 0);
}

static PANICKING: OriginLookup = OriginLookup::new("tenant origins (panicking)");

#[cors(origins = PANICKING)]
#[get("/panicking")]
async fn panicking() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn a_lookup_that_panics_refuses_and_no_request_waits_for_ever() {
    PANICKING
        .install(LookupSettings::default(), |origin: String| async move {
            actix_web::rt::time::sleep(Duration::from_millis(10)).await;
            if origin.contains("boom") {
                panic!("the lookup's own bug");
            }
            no_error(true)
        })
        .unwrap();
    let app = init_service(App::new().service(panicking)).await;
    // Three requests wait for one lookup, which panics: all three are refused.
    let requests = (0..3).map(|_| {
        actix_web::test::call_service(&app, get("/panicking", "https://boom.example").to_request())
    });
    let responses = actix_web::rt::time::timeout(Duration::from_secs(5), join_all(requests))
        .await
        .expect("no request waits for ever");
    for res in &responses {
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("access-control-allow-origin").is_none());
    }
    // Logged where the lookup ended; not cached: the next request asks again; the worker is
    // still serving.
    assert_eq!(PANICKING.stats().cached, 0);
    let res = send(&app, get("/panicking", "https://fine.example").to_request()).await;
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://fine.example"
    );
}

static NEVER: OriginLookup = OriginLookup::new("tenant origins (never installed)");

#[cors(origins = NEVER)]
#[get("/never")]
async fn never() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
#[should_panic(
    expected = "#[cors] route `never` takes its origins from lookup `tenant origins (never installed)`, which has no function: call `.install(..)` on its `OriginLookup` before the `App` is built"
)]
async fn an_app_whose_lookup_has_no_function_does_not_start() {
    let _ = init_service(App::new().service(never)).await;
}

static TWICE: OriginLookup = OriginLookup::new("tenant origins (twice)");

#[test]
fn a_lookup_is_installed_once() {
    TWICE
        .install(LookupSettings::default(), |_: String| async {
            no_error(true)
        })
        .unwrap();
    let error = TWICE
        .install(LookupSettings::default(), |_: String| async {
            no_error(false)
        })
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "CORS lookup `tenant origins (twice)` already has a function installed; install it once, at start-up"
    );
}
