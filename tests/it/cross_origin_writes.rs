//! Cross-origin writes, refused before the handler, over the whole header matrix: every
//! `Sec-Fetch-Site` value, × an `Origin` that is allowed, refused, absent, `null`, the server's
//! own or sent twice, × safe and unsafe methods; with the handler's runs counted.

use std::cell::Cell;

use crate::support::send_fallible;
use actix_route_cors::cors;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{post, routes, App, HttpResponse};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";
/// The server's own name: every request carries `Host: api.example.com`.
const HOST: &str = "api.example.com";
const OWN: &str = "https://api.example.com";

// The handlers' runs, per thread: each test runs its app on its own thread, and tests run in
// parallel.
thread_local! {
    static WRITES: Cell<usize> = const { Cell::new(0) };
    static OPEN: Cell<usize> = const { Cell::new(0) };
    static PUBLIC: Cell<usize> = const { Cell::new(0) };
}

fn bump(counter: &'static std::thread::LocalKey<Cell<usize>>) {
    counter.with(|c| c.set(c.get() + 1));
}

fn count(counter: &'static std::thread::LocalKey<Cell<usize>>) -> usize {
    counter.with(Cell::get)
}

#[cors(origins = ["https://app.example.com"])]
#[routes]
#[actix_web::get("/items")]
#[actix_web::head("/items")]
#[post("/items")]
#[actix_web::delete("/items")]
async fn items() -> HttpResponse {
    bump(&WRITES);
    HttpResponse::Ok().body("ran")
}

#[cors(origins = ["https://app.example.com"], writes_from_any_origin)]
#[post("/open")]
async fn open() -> HttpResponse {
    bump(&OPEN);
    HttpResponse::Ok().body("ran")
}

#[cors(origins = ["*"])]
#[post("/public")]
async fn public() -> HttpResponse {
    bump(&PUBLIC);
    HttpResponse::Ok().body("ran")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    Absent,
    Allowed,
    Refused,
    Null,
    Own,
    Twice,
}

const SITES: [Option<&str>; 6] = [
    None,
    Some("same-origin"),
    Some("same-site"),
    Some("cross-site"),
    Some("none"),
    Some("nested-navigate"),
];
const ORIGINS: [Origin; 6] = [
    Origin::Absent,
    Origin::Allowed,
    Origin::Refused,
    Origin::Null,
    Origin::Own,
    Origin::Twice,
];
const METHODS: [&str; 4] = ["GET", "HEAD", "POST", "DELETE"];

fn request(path: &str, method: &str, site: Option<&str>, origin: Origin) -> TestRequest {
    let mut req = TestRequest::default()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .insert_header(("host", HOST));
    if let Some(site) = site {
        req = req.insert_header(("sec-fetch-site", site));
    }
    let origin_value = match origin {
        Origin::Absent => None,
        Origin::Allowed => Some(APP),
        Origin::Refused => Some(EVIL),
        Origin::Null => Some("null"),
        Origin::Own => Some(OWN),
        Origin::Twice => {
            req = req.append_header(("origin", APP));
            Some(APP)
        }
    };
    if let Some(o) = origin_value {
        req = req.append_header(("origin", o));
    }
    req
}

/// What the write rule says about a protected route: whether the handler runs. Always for a
/// safe method; for another, when `Sec-Fetch-Site` is `same-origin` or `none`, or names another
/// site and the origin is allowed, or, without a value it knows, when `Origin` is absent,
/// allowed or the server's own.
fn passes(method: &str, site: Option<&str>, origin: Origin) -> bool {
    if matches!(method, "GET" | "HEAD" | "OPTIONS") {
        return true;
    }
    match site {
        Some("same-origin" | "none") => true,
        Some("same-site" | "cross-site") => origin == Origin::Allowed,
        // No Fetch Metadata, or a value the rule does not know: the `Origin` decides.
        _ => matches!(origin, Origin::Absent | Origin::Allowed | Origin::Own),
    }
}

#[actix_web::test]
async fn the_handler_runs_exactly_when_the_rule_lets_the_request_through() {
    let app = init_service(App::new().service(items)).await;
    let mut refused = 0;
    for method in METHODS {
        for site in SITES {
            for origin in ORIGINS {
                let case = format!("{method} Sec-Fetch-Site {site:?} Origin {origin:?}");
                let before = count(&WRITES);
                let res =
                    send_fallible(&app, request("/items", method, site, origin).to_request()).await;
                let ran = count(&WRITES) - before;
                if passes(method, site, origin) {
                    assert_eq!(ran, 1, "{case}: the handler did not run");
                    assert_eq!(res.status, StatusCode::OK, "{case}");
                } else {
                    refused += 1;
                    assert_eq!(ran, 0, "{case}: the handler ran");
                    assert_eq!(res.status, StatusCode::FORBIDDEN, "{case}");
                    res.assert_no_cors_headers();
                    assert_eq!(res.all("vary"), ["Origin"], "{case}");
                    assert_eq!(
                        res.all("content-type"),
                        ["text/plain; charset=utf-8"],
                        "{case}"
                    );
                    let body = res.text();
                    assert!(
                        body.starts_with("cross-origin write refused: a cross-origin write: ")
                            && body.ends_with('\n')
                            && body.lines().count() == 1,
                        "{case}: {body:?}"
                    );
                    let logs = res.cors_logs();
                    assert_eq!(logs.len(), 1, "{case}: {logs:?}");
                    let log = &logs[0].message;
                    assert!(
                        log.starts_with(&format!(
                            "CORS refused {method} /items (route `items`): a cross-origin write: "
                        )),
                        "{case}: {log}"
                    );
                    assert!(log.ends_with("; the handler did not run"), "{log}");
                }
            }
        }
    }
    // Unsafe methods × (same-site, cross-site) × every origin but the allowed one, and
    // unsafe methods × (absent, unknown value) × (refused, null, twice).
    assert_eq!(refused, 2 * (2 * 5 + 2 * 3));
}

#[actix_web::test]
async fn the_reasons_name_what_the_browser_said() {
    let app = init_service(App::new().service(items)).await;
    let body = |site, origin| {
        let app = &app;
        async move {
            send_fallible(app, request("/items", "POST", site, origin).to_request())
                .await
                .text()
        }
    };
    assert_eq!(
        body(Some("cross-site"), Origin::Refused).await,
        "cross-origin write refused: a cross-origin write: the browser marks it `Sec-Fetch-Site: cross-site` and origin `https://evil.example` is not allowed (allowed origins: https://app.example.com)\n"
    );
    assert_eq!(
        body(Some("same-site"), Origin::Absent).await,
        "cross-origin write refused: a cross-origin write: the browser marks it `Sec-Fetch-Site: same-site` and it has no `Origin` (allowed origins: https://app.example.com)\n"
    );
    assert_eq!(
        body(None, Origin::Null).await,
        "cross-origin write refused: a cross-origin write: origin `null` is neither this server's own (`Host: api.example.com`) nor allowed (allowed origins: https://app.example.com)\n"
    );
    assert_eq!(
        body(None, Origin::Twice).await,
        "cross-origin write refused: a cross-origin write: the request has several `Origin` headers, which match no origin\n"
    );
}

#[actix_web::test]
async fn writes_from_any_origin_and_star_let_every_write_through() {
    let app = init_service(App::new().service(open).service(public)).await;
    for (path, counter) in [("/open", &OPEN), ("/public", &PUBLIC)] {
        for site in SITES {
            for origin in ORIGINS {
                let before = count(counter);
                let res =
                    send_fallible(&app, request(path, "POST", site, origin).to_request()).await;
                assert_eq!(res.status, StatusCode::OK, "{path} {site:?} {origin:?}");
                assert_eq!(count(counter) - before, 1);
            }
        }
    }
}

#[actix_web::test]
async fn the_own_origin_is_the_host_header_and_ignores_the_scheme() {
    let app = init_service(App::new().service(items)).await;
    for (origin, host, ran) in [
        // Behind a TLS-terminating proxy the server may see `http`; the page says `https`.
        ("https://api.example.com", "api.example.com", true),
        ("http://api.example.com", "api.example.com", true),
        ("https://api.example.com", "api.example.com:443", true),
        ("http://localhost:8080", "localhost:8080", true),
        ("http://localhost:8081", "localhost:8080", false),
        // A proxy that rewrites `Host` to its upstream's name: the page's origin no longer
        // matches. List the public origin in `origins`, or send Fetch Metadata (every current
        // browser does).
        ("https://api.example.com", "backend:8080", false),
    ] {
        let before = count(&WRITES);
        let req = TestRequest::post()
            .uri("/items")
            .insert_header(("host", host))
            .insert_header(("origin", origin))
            .to_request();
        let res = send_fallible(&app, req).await;
        assert_eq!(
            count(&WRITES) - before == 1,
            ran,
            "{origin} with Host {host}: {}",
            res.status
        );
    }
}
