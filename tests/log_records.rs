//! The log records that tell a user about `CorsFirst`: the one-time hint when a
//! preflight reached a route through the app's routing and no app has `CorsFirst`, and the
//! record of an origin refused on an answer the app's middleware made before the route.
//!
//! One test in a binary of its own: it installs its own logger, the hint is once per process,
//! and `CorsFirst` switches it off for the whole process.

use std::sync::Mutex;

use actix_route_cors::{cors, CorsFirst};
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{get, web, App, HttpResponse};

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

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

#[actix_rt::test]
async fn the_records_that_point_at_cors_first() {
    log::set_boxed_logger(Box::new(Capture)).unwrap();
    log::set_max_level(log::LevelFilter::Info);

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
