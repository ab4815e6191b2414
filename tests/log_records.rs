//! What is set for the whole process, in a binary of its own:
//!
//! - the log records that tell a user about `CorsFirst`: the one-time hint when a preflight
//!   reached a route through the app's routing and no app has `CorsFirst`, and the record of an
//!   origin refused on an answer the app's middleware made before the route (the hint is once
//!   per process, and `CorsFirst` switches it off for the whole process);
//! - `report_only_everywhere`, the switch that puts every route in report-only mode.
//!
//! The two tests take turns ([`TURN`]): each changes what the other would see.

use std::sync::Mutex;

use actix_route_cors::{cors, CorsFirst};
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{get, web, App, HttpResponse};

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Held by each test for its whole run.
static TURN: Mutex<()> = Mutex::new(());

fn install_logger() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        log::set_boxed_logger(Box::new(Capture)).unwrap();
        log::set_max_level(log::LevelFilter::Info);
    });
}

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with(actix_route_cors::LOG_TARGET)
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            RECORDS
                .lock()
                .unwrap()
                .push(format!("{}: {}", record.target(), record.args()));
        }
    }

    fn flush(&self) {}
}

fn take() -> Vec<String> {
    std::mem::take(&mut *RECORDS.lock().unwrap())
}

#[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
#[get("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// Refuses requests without `Authorization` with an `Err`, before the route.
async fn require_token(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if !req.headers().contains_key("authorization") {
        return Err(actix_web::error::ErrorUnauthorized("no token"));
    }
    next.call(req).await
}

fn preflight() -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/api/items")
        .insert_header(("origin", "https://app.example.com"))
        .insert_header(("access-control-request-method", "GET"))
}

#[test]
fn the_records_that_point_at_cors_first() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    install_logger();
    take();
    actix_rt::System::new().block_on(records_that_point_at_cors_first());
}

async fn records_that_point_at_cors_first() {
    // Without CorsFirst: the first preflight that reaches the route says what to add, once.
    let app = init_service(App::new().service(web::scope("/api").service(items))).await;
    for _ in 0..2 {
        let res = call_service(&app, preflight().to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let records = take();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert!(
        records[0].starts_with(
            "actix_route_cors::setup: the preflight for /api/items reached #[cors] route `items`"
        ),
        "{}",
        records[0]
    );
    assert!(
        records[0]
            .contains("add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`"),
        "{}",
        records[0]
    );

    // With CorsFirst and a scope middleware that answers 401 itself: a refused origin's record
    // says the answer was made before the route.
    let app = init_service(
        App::new()
            .service(
                web::scope("/api")
                    .wrap(from_fn(require_token))
                    .service(items),
            )
            .wrap(CorsFirst::new()),
    )
    .await;
    let res = call_service(&app, preflight().to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let refused = TestRequest::get()
        .uri("/api/items")
        .insert_header(("origin", "https://evil.example"))
        .to_request();
    let Err(err) = app.call(refused).await else {
        panic!("expected the middleware's Err");
    };
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert_eq!(res.headers().get("vary").unwrap(), "Origin");
    let records = take();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert_eq!(
        records[0],
        "actix_route_cors: CORS refused GET /api/items (route `items`): origin `https://evil.example` is not allowed (allowed origins: https://app.example.com); the response, made before the route by the app's middleware, is sent without Access-Control-* headers, so the browser will block it"
    );
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[actix_web::put("/switched")]
async fn switched() -> HttpResponse {
    HttpResponse::Ok().body("stored")
}

/// `report_only_everywhere` puts a route whose policy says nothing about it in report-only
/// mode, and back: what it sends, and what is logged.
#[test]
fn the_switch_for_every_route() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    install_logger();
    actix_rt::System::new().block_on(switch_for_every_route());
}

async fn switch_for_every_route() {
    use actix_route_cors::{report_only_everywhere, ReportOnly};

    // No `CorsFirst` here (it would silence the other test's hint), and no preflight that
    // reaches a route while enforced (it would use up the hint).
    let app = init_service(App::new().service(switched)).await;
    let write = || {
        TestRequest::put()
            .uri("/switched")
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_request()
    };
    let allowed = || {
        TestRequest::put()
            .uri("/switched")
            .insert_header(("origin", "https://app.example.com"))
            .to_request()
    };
    let refused_preflight = || {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/switched")
            .insert_header(("origin", "https://evil.example"))
            .insert_header(("access-control-request-method", "PUT"))
            .to_request()
    };
    take();

    // Everything reported: the write reaches the handler, nothing is added to the answers, the
    // preflight goes on as if the route had no #[cors] (nothing else answers it: 404).
    report_only_everywhere(ReportOnly::Everything);
    let res = call_service(&app, write()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("vary").is_none());
    let res = call_service(&app, allowed()).await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
    let res = call_service(&app, refused_preflight()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let records = take();
    assert_eq!(records.len(), 2, "{records:#?}");
    assert!(records[0].starts_with("actix_route_cors: CORS would refuse PUT /switched (route `switched`): a cross-origin write"), "{}", records[0]);
    assert!(records[1].starts_with("actix_route_cors: CORS preflight would be refused (report-only: not answered) for /switched (route `switched`)"), "{}", records[1]);

    // Writes reported: the headers are enforced, the write still reaches the handler.
    report_only_everywhere(ReportOnly::Writes);
    let res = call_service(&app, allowed()).await;
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        "https://app.example.com"
    );
    let res = call_service(&app, write()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("vary").unwrap(), "Origin");
    assert_eq!(take().len(), 1);

    // Enforced again: the write is refused before the handler.
    report_only_everywhere(ReportOnly::Nothing);
    let Err(err) = app.call(write()).await else {
        panic!("the write is refused");
    };
    assert_eq!(err.error_response().status(), StatusCode::FORBIDDEN);
    let records = take();
    assert_eq!(records.len(), 1, "{records:#?}");
    assert!(
        records[0].starts_with("actix_route_cors: CORS refused PUT /switched"),
        "{}",
        records[0]
    );
}
