//! A policy can be used above its definition in the same module, and a policy nobody uses
//! yet is no warning.
#![deny(warnings)]
#![forbid(unsafe_code)]

use actix_route_cors::{cors, cors_policy};
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{get, App, HttpResponse};

#[cors(policy = API)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(API, origins = ["https://app.example.com"]);

cors_policy!(UNUSED, origins = ["https://unused.example.com"]);

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(list_items)).await;
    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri("/items")
            .insert_header((ORIGIN, "https://app.example.com"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://app.example.com"
    );
}
