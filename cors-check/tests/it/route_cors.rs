//! `cors-check` against servers that use this crate's `#[cors]`: the verdicts a browser would
//! reach, and the server log record that names the same reason.

use std::cell::Cell;
use std::sync::{Mutex, Once};

use crate::support::{actix, cors_check};
use actix_route_cors::cors;
use actix_web::{get, put, web, HttpResponse, Responder};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"], expose = ["x-total"])]
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "42"))
        .body("[]")
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-request-id"], credentials, max_age = 600)]
#[put("/items/{id}")]
async fn put_item() -> impl Responder {
    HttpResponse::NoContent()
}

#[cors(origins = ["*"])]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok().body("hello")
}

thread_local! {
    /// Whether this thread serves an app configured by [`routes`]: an `App` is built on the
    /// worker thread that serves it, so `routes` runs there.
    static SERVES_ROUTES: Cell<bool> = const { Cell::new(false) };
}

fn routes(cfg: &mut web::ServiceConfig) {
    SERVES_ROUTES.with(|serves| serves.set(true));
    cfg.service(list_items).service(put_item).service(public);
}

/// The records of target `actix_route_cors` logged on the workers of apps configured by
/// [`routes`] (a server's worker is not the test's thread); tests tell theirs apart by the route
/// name in the message. Records from other modules' servers are left out: `https.rs` serves
/// `#[cors]` handlers of the same names, refuses some of their requests, and runs in the same
/// process, where this logger is the only one.
static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == "actix_route_cors"
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) && SERVES_ROUTES.with(Cell::get) {
            RECORDS.lock().unwrap().push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

fn capture_logs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&Capture).expect("one logger");
        log::set_max_level(log::LevelFilter::Info);
    });
}

fn records_about(route: &str) -> Vec<String> {
    let needle = format!("(route `{route}`)");
    RECORDS
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.contains(&needle))
        .cloned()
        .collect()
}

#[test]
fn allowed_simple_get() {
    let server = actix(routes);
    let url = server.url("/items");
    let run = cors_check(&[&url, "--origin", APP]);
    run.assert_allowed(APP)
        .assert_line(
            "→ no preflight: the request is sent as is, and the browser checks the response",
        )
        .assert_line(&format!("> Origin: {APP}"))
        .assert_line(&format!("< access-control-allow-origin: {APP}"))
        .assert_line("< access-control-expose-headers: x-total")
        .assert_line(&format!(
            "✓ Access-Control-Allow-Origin: `{APP}`, one value, equal to the origin byte for byte"
        ))
        .assert_no_line_starting("2. Preflight");
}

#[test]
fn allowed_preflighted_put_with_credentials() {
    let server = actix(routes);
    let url = server.url("/items/7");
    let run = cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "-H",
        "X-Request-Id: 1",
        "--credentials",
    ]);
    run.assert_allowed(APP)
        .assert_line("2. Preflight")
        .assert_line("> OPTIONS /items/7 HTTP/1.1")
        .assert_line("> Access-Control-Request-Method: PUT")
        .assert_line("> Access-Control-Request-Headers: content-type,x-request-id")
        .assert_line("< HTTP/1.1 204 No Content")
        .assert_line("< access-control-allow-methods: PUT")
        .assert_line("< access-control-allow-headers: content-type, x-request-id")
        .assert_line("< access-control-max-age: 600")
        .assert_line("✓ status 204: an ok status (200-299)")
        .assert_line("✓ method PUT: listed in Access-Control-Allow-Methods")
        .assert_line("✓ header content-type: listed in Access-Control-Allow-Headers")
        .assert_line("✓ header x-request-id: listed in Access-Control-Allow-Headers")
        .assert_line("3. Request")
        .assert_line("> PUT /items/7 HTTP/1.1")
        .assert_line("> X-Request-Id: 1")
        .assert_line("✓ Access-Control-Allow-Credentials: `true` (credentials are included)");
    // Both responses were checked for credentials.
    assert_eq!(
        run.stdout
            .matches("✓ Access-Control-Allow-Credentials: `true`")
            .count(),
        2,
        "{run}"
    );
}

#[test]
fn blocked_origin_and_the_log_says_why() {
    capture_logs();
    let server = actix(routes);
    let url = server.url("/items");
    let run = cors_check(&[&url, "--origin", "https://evil.example"]);
    run.assert_blocked(
        &url,
        "https://evil.example",
        "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    )
    .assert_line(
        "✗ Access-Control-Allow-Origin: missing (the response must name the origin, or `*`)",
    )
    .assert_line("< vary: Origin");
    let records = records_about("list_items");
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(
        records[0].contains(
            "origin `https://evil.example` is not allowed (allowed origins: https://app.example.com)"
        ),
        "{records:?}"
    );
}

#[test]
fn blocked_header_shows_the_refusal_body() {
    capture_logs();
    let server = actix(routes);
    let url = server.url("/items/7");
    let run = cors_check(&[&url, "--origin", APP, "-X", "put", "-H", "x-foo:1"]);
    run.assert_blocked(
        &url,
        APP,
        "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    )
    .assert_line("! fetch() sends the method `put` as `PUT`")
    .assert_line("> Access-Control-Request-Headers: x-foo")
    .assert_line("< HTTP/1.1 403 Forbidden")
    .assert_line("< content-type: text/plain; charset=utf-8")
    .assert_line(
        "< body: CORS preflight refused: request header `x-foo` is not allowed (allowed headers: content-type, x-request-id)",
    )
    .assert_line("· the browser stops here: the PUT request is not sent")
    .assert_line("Fix: The server refused the preflight: the origin, the method or a header is not allowed. The 403 body above and the server log (target `actix_route_cors`) say which; with actix-route-cors, widen `origins`, `methods` or `headers` of the route's #[cors].")
    .assert_no_line_starting("3. Request");
    let records = records_about("put_item");
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(
        records[0].contains("request header `x-foo` is not allowed"),
        "{records:?}"
    );
}

#[test]
fn a_public_route_is_readable_without_credentials_only() {
    let server = actix(routes);
    let url = server.url("/public");
    cors_check(&[&url, "--origin", APP])
        .assert_allowed(APP)
        .assert_line("< access-control-allow-origin: *");
    cors_check(&[&url, "--origin", APP, "--credentials"]).assert_blocked(
        &url,
        APP,
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
    );
}

#[test]
fn a_method_the_route_does_not_serve_finds_no_preflight_route() {
    // DELETE /items/7 has no handler: the preflight falls through to actix-web's 404.
    let server = actix(routes);
    let url = server.url("/items/7");
    cors_check(&[&url, "--origin", APP, "-X", "DELETE"])
        .assert_blocked(
            &url,
            APP,
            "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        )
        .assert_line("< HTTP/1.1 404 Not Found")
        .assert_line("Fix: Nothing answers this preflight: no route serves DELETE on this path (404). With actix-route-cors the preflight goes to the #[cors] route that serves DELETE here: check the URL and the method, or add the route. If the route exists inside a scope with a guard, add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`, so that #[cors] routes answer preflights before scope guards.");
}

#[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
#[get("/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().body("me")
}

/// Answers 401 to requests without `Authorization`, before the route: as an authentication
/// middleware does to a preflight, which never carries credentials.
async fn require_token(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.headers().contains_key("authorization") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    Ok(req
        .into_response(HttpResponse::Unauthorized().finish())
        .map_into_right_body())
}

#[test]
fn a_preflight_refused_by_authentication_points_at_cors_first() {
    let server = actix(|cfg| {
        cfg.service(
            web::scope("/api")
                .wrap(actix_web::middleware::from_fn(require_token))
                .service(me),
        );
    });
    let url = server.url("/api/me");
    cors_check(&[&url, "--origin", APP, "-H", "authorization: Bearer t", "--credentials"])
        .assert_line("< HTTP/1.1 401 Unauthorized")
        .assert_line("Fix: The preflight met a layer that runs before CORS (401: authentication or rate limiting); browsers never send credentials with a preflight. With actix-route-cors, add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`: #[cors] routes then answer their preflights before App- and scope-level middleware, and that layer's own answers to actual requests become readable by allowed origins.");
}
