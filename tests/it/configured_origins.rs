//! Origins from configuration: an `OriginSource` filled at start-up — from an environment
//! variable or a value the application computes — is validated once by the same origin rules
//! as `#[cors]`, a bad value is an error naming the source and the value, and a route reads the
//! list per request without a lock or an allocation (the allocation count is asserted in
//! `tests/allocations.rs`). A source can be replaced while the server runs (`live_reload.rs`
//! covers it through running servers); `origin_forms.rs` runs the scenarios every form of
//! origins passes.
//!
//! Each test uses its own source and its own environment variable: tests run in parallel in
//! one process.

use actix_route_cors::{cors, OriginSource, SourceKind};
use actix_web::http::StatusCode;
use actix_web::test::init_service;
use actix_web::{get, put, App, HttpResponse, Responder};

use crate::support::{get, preflight, send, send_fallible};

const APP: &str = "https://app.example.com";

static FRONTEND: OriginSource = OriginSource::env("ARC_TEST_FRONTEND_ORIGINS");

#[cors(origins = FRONTEND, credentials, expose = ["x-total"])]
#[get("/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().insert_header(("x-total", "1")).finish()
}

#[cors(origins = FRONTEND, headers = ["content-type"], credentials, max_age = 60)]
#[put("/me")]
async fn put_me() -> impl Responder {
    HttpResponse::NoContent().finish()
}

fn load_frontend() {
    // SAFETY-free in edition 2021; the variable is this test file's own.
    std::env::set_var(
        "ARC_TEST_FRONTEND_ORIGINS",
        "https://app.example.com,  https://*.preview.example.com\nhttp://localhost:3000,",
    );
    FRONTEND.load().expect("valid origins");
}

#[actix_web::test]
async fn env_origins_are_matched_like_written_ones() {
    load_frontend();
    assert_eq!(
        *FRONTEND.origins().unwrap(),
        [
            "https://app.example.com",
            "https://*.preview.example.com",
            "http://localhost:3000"
        ]
    );
    let app = init_service(App::new().service(me).service(put_me)).await;

    for origin in [
        APP,
        "https://pr-42.preview.example.com",
        "http://localhost:3000",
    ] {
        let res = send(&app, get("/me", origin).to_request()).await;
        assert_eq!(res.status, StatusCode::OK, "{origin}");
        assert_eq!(res.one("access-control-allow-origin"), origin);
        assert_eq!(res.one("access-control-allow-credentials"), "true");
        assert_eq!(res.one("access-control-expose-headers"), "x-total");
        assert_eq!(res.one("vary"), "Origin");
    }
    // Byte-exact, whole labels, no normalising: exactly as for origins written in the source.
    for origin in [
        "https://app.example.com/",
        "https://APP.example.com",
        "https://a.b.preview.example.com",
        "http://localhost:3001",
        "https://evil.example",
    ] {
        let res = send(&app, get("/me", origin).to_request()).await;
        assert_eq!(res.status, StatusCode::OK, "{origin}");
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
        res.assert_one_log_containing(&[
            "not allowed",
            "environment variable `ARC_TEST_FRONTEND_ORIGINS`",
        ]);
    }
}

#[actix_web::test]
async fn env_origins_answer_preflights() {
    load_frontend();
    let app = init_service(App::new().service(me).service(put_me)).await;
    let res = send(
        &app,
        preflight("/me", "https://pr-7.preview.example.com", "PUT")
            .insert_header(("access-control-request-headers", "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://pr-7.preview.example.com"
    );
    assert_eq!(res.one("access-control-allow-methods"), "PUT");
    assert_eq!(res.one("access-control-max-age"), "60");

    let res = send(
        &app,
        preflight("/me", "https://evil.example", "PUT").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
    assert!(res
        .text()
        .contains("origin `https://evil.example` is not allowed"));
}

#[test]
fn setting_again_replaces_the_list_and_a_bad_list_changes_nothing() {
    static SOURCE: OriginSource = OriginSource::startup("twice");
    SOURCE.set(["https://a.example"]).unwrap();
    SOURCE.set(["https://a.example"]).unwrap();
    SOURCE.set(["https://b.example"]).unwrap();
    assert_eq!(*SOURCE.origins().unwrap(), ["https://b.example"]);
    assert!(SOURCE.allows(b"https://b.example"));
    assert!(!SOURCE.allows(b"https://a.example"));

    let error = SOURCE
        .set(["https://c.example", "https://C.example/"])
        .unwrap_err();
    assert_eq!(error.offending_entries(), ["https://C.example/"]);
    assert_eq!(*SOURCE.origins().unwrap(), ["https://b.example"]);
    assert!(SOURCE.allows(b"https://b.example"));
    assert!(!SOURCE.allows(b"https://c.example"));
}

#[test]
fn a_missing_variable_is_named() {
    static SOURCE: OriginSource = OriginSource::env("ARC_TEST_NEVER_SET_ORIGINS");
    let error = SOURCE.load().unwrap_err();
    assert_eq!(
        error.to_string(),
        "CORS origins: environment variable `ARC_TEST_NEVER_SET_ORIGINS` is not set \
         (help: set it to the allowed origins, separated by commas, such as https://app.example.com)"
    );
    assert_eq!(
        error.source_kind(),
        SourceKind::Env("ARC_TEST_NEVER_SET_ORIGINS")
    );
    assert!(!SOURCE.is_loaded());
}

#[test]
fn a_bad_value_names_the_source_the_value_and_each_bad_entry() {
    static SOURCE: OriginSource = OriginSource::env("ARC_TEST_BAD_ORIGINS");
    std::env::set_var(
        "ARC_TEST_BAD_ORIGINS",
        "https://app.example.com/, https://ok.example, HTTPS://Shop.example, https://ok.example",
    );
    let error = SOURCE.load().unwrap_err();
    let text = error.to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "invalid CORS origins in environment variable `ARC_TEST_BAD_ORIGINS`: \
         \"https://app.example.com/, https://ok.example, HTTPS://Shop.example, https://ok.example\""
    );
    let entries: Vec<&str> = lines.collect();
    assert_eq!(entries.len(), 3, "{text}");
    assert_eq!(
        entries,
        [
            "  - `https://app.example.com/` ends with `/`, but browsers send origins without a \
             trailing slash and origins are compared byte for byte (help: write \"https://app.example.com\")",
            "  - `HTTPS://Shop.example` has an uppercase scheme, but browsers send it in lowercase \
             and origins are compared byte for byte (help: write \"https://shop.example\")",
            "  - `https://ok.example` is listed twice in `origins` (help: remove the second one)",
        ],
        "{text}"
    );
    assert_eq!(
        error.offending_entries(),
        [
            "https://app.example.com/",
            "HTTPS://Shop.example",
            "https://ok.example"
        ]
    );
    assert!(!SOURCE.is_loaded(), "a bad value fills nothing");
}

#[test]
fn the_same_rules_as_written_origins() {
    // Each entry is refused by `#[cors]` at compile time too (see tests/ui/fail/origin-*.rs);
    // here the same rule, from configuration, with the same message.
    let cases = [
        "https://app.example.com:443",
        "https://*.com",
        "http://user@app.example.com",
        "ftp://app.example.com",
        "https://app.example.com?x",
        "app.example.com",
        "https://foo*.example.com",
    ];
    for entry in cases {
        let written = cors_runtime::rules::validate(&cors_runtime::rules::PolicyInput {
            origins: &[entry],
            route_methods: &["GET"],
            ..Default::default()
        })
        .unwrap_err();
        let configured = actix_route_cors::rules::check_configured_origins(&[entry]).unwrap_err();
        assert_eq!(written.len(), 1, "{entry}");
        assert_eq!(configured, written, "{entry}");
    }
}

#[test]
fn star_null_and_empty_values_are_refused() {
    static STAR: OriginSource = OriginSource::startup("star");
    let text = STAR.set(["*"]).unwrap_err().to_string();
    assert!(
        text.contains("`*` cannot come from configuration"),
        "{text}"
    );
    assert!(
        text.contains("origins = [\\\"*\\\"]") || text.contains("origins = [\"*\"]"),
        "{text}"
    );

    static NULL: OriginSource = OriginSource::startup("null");
    let text = NULL
        .set(["https://a.example", "null"])
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("\n  - `null` cannot come from configuration"),
        "{text}"
    );

    static EMPTY: OriginSource = OriginSource::env("ARC_TEST_EMPTY_ORIGINS");
    std::env::set_var("ARC_TEST_EMPTY_ORIGINS", " , ");
    let text = EMPTY.load().unwrap_err().to_string();
    assert!(text.contains("no origin is configured"), "{text}");
    assert!(!STAR.is_loaded() && !NULL.is_loaded() && !EMPTY.is_loaded());
}

#[cfg(unix)]
#[test]
fn a_non_utf8_value_is_refused_and_shown() {
    use std::os::unix::ffi::OsStrExt;
    static SOURCE: OriginSource = OriginSource::env("ARC_TEST_NON_UTF8_ORIGINS");
    std::env::set_var(
        "ARC_TEST_NON_UTF8_ORIGINS",
        std::ffi::OsStr::from_bytes(b"https://caf\xe9.example"),
    );
    let text = SOURCE.load().unwrap_err().to_string();
    assert_eq!(
        text,
        "invalid CORS origins in environment variable `ARC_TEST_NON_UTF8_ORIGINS`: \
         the value is not UTF-8 (\"https://caf\u{fffd}.example\"); origins are ASCII"
    );
}

#[test]
fn a_huge_value_is_quoted_in_part() {
    static SOURCE: OriginSource = OriginSource::startup("huge");
    let huge = format!("https://{}.example/", "a".repeat(10_000));
    let text = SOURCE.set([huge.as_str()]).unwrap_err().to_string();
    assert!(text.len() < 2_000, "{} bytes", text.len());
    assert!(text.contains("(first 256 of 10017 bytes)"), "{text}");
}

#[test]
fn load_on_a_startup_source_says_to_use_set() {
    static SOURCE: OriginSource = OriginSource::startup("tenant origins");
    let text = SOURCE.load().unwrap_err().to_string();
    assert!(text.contains("give them to `OriginSource::set`"), "{text}");
}

static NEVER_LOADED: OriginSource = OriginSource::env("ARC_TEST_NEVER_LOADED_ORIGINS");

#[cors(origins = NEVER_LOADED)]
#[get("/never")]
async fn never() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
#[should_panic(
    expected = "#[cors] route `never` takes its origins from environment variable \
                `ARC_TEST_NEVER_LOADED_ORIGINS`, which was not loaded"
)]
async fn building_an_app_with_an_unloaded_source_stops_there() {
    let _ = init_service(App::new().service(never)).await;
}

/// A real server builds its `App` in each worker: the panic ends the worker, and the server
/// stops at start-up (`run()` fails) instead of serving without the route's origins.
#[actix_web::test]
async fn a_server_with_an_unloaded_source_does_not_start() {
    let server = actix_web::HttpServer::new(|| App::new().service(never))
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("bind an ephemeral port")
        .run();
    let outcome = actix_rt::time::timeout(std::time::Duration::from_secs(20), server)
        .await
        .expect("the server stops by itself");
    let error = outcome.expect_err("a server whose route has no origins must not start");
    assert!(error.to_string().contains("worker"), "{error}");
}

#[test]
fn replacing_from_many_threads_at_once_leaves_one_whole_list() {
    static SOURCE: OriginSource = OriginSource::startup("race");
    const EVEN: [&str; 2] = ["https://even.example", "https://even-2.example"];
    const ODD: [&str; 2] = ["https://odd.example", "https://odd-2.example"];
    std::thread::scope(|s| {
        for i in 0..8 {
            s.spawn(move || {
                for _ in 0..200 {
                    SOURCE.set(if i % 2 == 0 { EVEN } else { ODD }).unwrap();
                    // Whatever was stored last, a reader sees one whole list.
                    let seen = SOURCE.origins().unwrap();
                    assert!(*seen == EVEN || *seen == ODD, "{seen:?}");
                }
            });
        }
    });
    let last = SOURCE.origins().unwrap();
    assert!(*last == EVEN || *last == ODD, "{last:?}");
}

// ---------------------------------------------------------------------------------------------
// Plain-HTTP origins and credentials: the attribute's rule reaches a source once a
// credentialed route reads it, at start-up and on every reload.

static INTRANET: OriginSource = OriginSource::startup("intranet origins");

#[cors(origins = INTRANET, credentials)]
#[get("/intranet/me")]
async fn intranet_me() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
#[should_panic(
    expected = "#[cors] route `intranet_me` allows credentials: invalid CORS origins in \
                           start-up value `intranet origins`"
)]
async fn a_credentialed_route_refuses_a_source_with_a_plain_http_origin() {
    INTRANET
        .set(["https://app.example.com", "http://intranet.example.com"])
        .expect("a source alone does not know about credentials");
    let _ = init_service(App::new().service(intranet_me)).await;
}

static PARTNERS: OriginSource = OriginSource::startup("partner origins");

#[cors(origins = PARTNERS, credentials)]
#[get("/partners/me")]
async fn partners_me() -> impl Responder {
    HttpResponse::Ok().finish()
}

static PLAIN_PARTNERS: OriginSource = OriginSource::startup("plain partner origins");

#[cors(origins = PLAIN_PARTNERS, credentials, dangerously_trust_http_origins)]
#[get("/plain/me")]
async fn plain_me() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
async fn once_a_credentialed_route_reads_a_source_a_reload_cannot_add_a_plain_http_origin() {
    PARTNERS
        .set(["https://a.example", "http://localhost:*"])
        .unwrap();
    let app = init_service(App::new().service(partners_me)).await;
    let error = PARTNERS
        .set(["https://a.example", "http://b.example"])
        .expect_err("plain HTTP with credentials");
    assert_eq!(error.offending_entries(), ["http://b.example"]);
    assert!(
        error.to_string().contains("dangerously_trust_http_origins"),
        "{error}"
    );
    // The list in force stays, and is what requests see.
    assert_eq!(
        *PARTNERS.origins().unwrap(),
        ["https://a.example", "http://localhost:*"]
    );
    let res = send(&app, get("/partners/me", "http://b.example").to_request()).await;
    res.assert_no_cors_headers();
    let res = send(
        &app,
        get("/partners/me", "http://localhost:5173").to_request(),
    )
    .await;
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["http://localhost:5173"]
    );

    // A route whose policy says so takes them, at start-up and on reload.
    PLAIN_PARTNERS.set(["http://b.example"]).unwrap();
    let app = init_service(App::new().service(plain_me)).await;
    PLAIN_PARTNERS
        .set(["http://b.example", "http://c.example"])
        .unwrap();
    let res = send(&app, get("/plain/me", "http://c.example").to_request()).await;
    assert_eq!(res.all("access-control-allow-origin"), ["http://c.example"]);
}

// A WebSocket route: browsers send the user's cookies with every handshake, so a source it reads
// is held to the same rule without `credentials`.

static SOCKET_PEERS: OriginSource = OriginSource::startup("socket peers");

#[cors(origins = SOCKET_PEERS, websocket)]
#[get("/peers/live")]
async fn peers_live() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[actix_web::test]
#[should_panic(
    expected = "#[cors] route `peers_live` takes WebSocket handshakes, which carry the user's \
                cookies: invalid CORS origins in start-up value `socket peers`"
)]
async fn a_websocket_route_refuses_a_source_with_a_plain_http_origin() {
    SOCKET_PEERS
        .set(["https://app.example.com", "http://intranet.example.com"])
        .expect("a source alone does not know about WebSocket routes");
    let _ = init_service(App::new().service(peers_live)).await;
}

static SOCKET_PARTNERS: OriginSource = OriginSource::startup("socket partner origins");

#[cors(origins = SOCKET_PARTNERS, websocket)]
#[get("/partners/live")]
async fn partners_live() -> impl Responder {
    HttpResponse::Ok().finish()
}

static PLAIN_SOCKET_PARTNERS: OriginSource = OriginSource::startup("plain socket partner origins");

#[cors(origins = PLAIN_SOCKET_PARTNERS, websocket, dangerously_trust_http_origins)]
#[get("/plain/live")]
async fn plain_live() -> impl Responder {
    HttpResponse::Ok().finish()
}

/// A cross-site WebSocket handshake to `path` from `origin`.
fn handshake(path: &str, origin: &str) -> actix_web::test::TestRequest {
    get(path, origin)
        .insert_header(("upgrade", "websocket"))
        .insert_header(("connection", "Upgrade"))
        .insert_header(("sec-fetch-site", "cross-site"))
}

#[actix_web::test]
async fn once_a_websocket_route_reads_a_source_a_reload_cannot_add_a_plain_http_origin() {
    SOCKET_PARTNERS
        .set(["https://a.example", "http://localhost:*"])
        .unwrap();
    let app = init_service(App::new().service(partners_live)).await;
    let error = SOCKET_PARTNERS
        .set(["https://a.example", "http://b.example"])
        .expect_err("plain HTTP on a WebSocket route");
    assert_eq!(error.offending_entries(), ["http://b.example"]);
    let text = error.to_string();
    assert!(text.contains("gets the user's cookies"), "{text}");
    assert!(text.contains("dangerously_trust_http_origins"), "{text}");
    // The list in force stays, and is what handshakes see.
    assert_eq!(
        *SOCKET_PARTNERS.origins().unwrap(),
        ["https://a.example", "http://localhost:*"]
    );
    let res = send_fallible(
        &app,
        handshake("/partners/live", "http://b.example").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send_fallible(
        &app,
        handshake("/partners/live", "http://localhost:5173").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);

    // A route whose policy says so takes them, at start-up and on reload.
    PLAIN_SOCKET_PARTNERS.set(["http://b.example"]).unwrap();
    let app = init_service(App::new().service(plain_live)).await;
    PLAIN_SOCKET_PARTNERS
        .set(["http://b.example", "http://c.example"])
        .unwrap();
    let res = send_fallible(
        &app,
        handshake("/plain/live", "http://c.example").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
}
