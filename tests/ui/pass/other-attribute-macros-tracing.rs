//! `#[tracing::instrument]` next to `#[cors]`, above it, below it, and imported by name: the
//! handler is instrumented and served with its CORS headers in each case.
#![deny(warnings)]

use actix_route_cors::cors;
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::test::{self, TestRequest};
use actix_web::{get, web, App, HttpResponse};
use tracing::instrument;

#[tracing::instrument]
#[cors(origins = ["https://app.example.com"])]
#[get("/above/{id}")]
async fn above(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(id.to_string())
}

#[cors(origins = ["https://app.example.com"])]
#[tracing::instrument(skip(id))]
#[get("/below/{id}")]
async fn below(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(id.to_string())
}

#[cors(origins = ["https://app.example.com"])]
#[instrument(level = "debug")]
#[get("/by-name/{id}")]
async fn by_name(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(id.to_string())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(above).service(below).service(by_name)).await;
    for path in ["/above/7", "/below/7", "/by-name/7"] {
        let req = TestRequest::get()
            .uri(path)
            .insert_header((ORIGIN, "https://app.example.com"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert!(res.status().is_success(), "{path}");
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "https://app.example.com",
            "{path}"
        );
        assert_eq!(test::read_body(res).await, "7", "{path}");
    }
}
