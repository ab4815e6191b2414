//! The quickstart's API: its `#[cors]` endpoints, on http://127.0.0.1:8080. The browser page
//! that calls them is served from http://127.0.0.1:8081 (`main.rs`). `cors-check`'s deployment
//! test serves this module behind deliberately broken proxies.

use actix_route_cors::cors;
use actix_web::{get, put, web, HttpRequest, HttpResponse, Responder};

/// Public data: any origin may read it, without credentials.
#[cors(origins = ["*"])]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok().json(serde_json::json!({ "message": "anyone can read this" }))
}

/// A list whose total count travels in a header that scripts may read (`expose`).
#[cors(
    origins = ["http://127.0.0.1:8081", "http://localhost:8081"],
    expose = ["x-total-count"]
)]
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total-count", "3"))
        .insert_header(("x-internal", "not exposed"))
        .json(["apple", "pear", "plum"])
}

/// Credentialed: the browser sends cookies, and the script may read the answer.
#[cors(origins = ["http://127.0.0.1:8081", "http://localhost:8081"], credentials)]
#[get("/me")]
async fn me(req: HttpRequest) -> impl Responder {
    match req.cookie("session") {
        Some(c) => {
            HttpResponse::Ok().body(format!("signed in with session cookie {:?}", c.value()))
        }
        None => HttpResponse::Ok()
            .cookie(
                actix_web::cookie::Cookie::build("session", "s3cr3t")
                    .path("/")
                    .finish(),
            )
            .body("no session cookie yet: one was just set, click again"),
    }
}

/// A PUT with a JSON body and a custom header: the browser sends a preflight first.
#[cors(
    origins = ["http://127.0.0.1:8081", "http://localhost:8081"],
    headers = ["content-type", "x-request-id"],
    max_age = 600
)]
#[put("/items/{id}")]
async fn put_item(id: web::Path<u32>, body: web::Json<serde_json::Value>) -> impl Responder {
    HttpResponse::Ok()
        .json(serde_json::json!({ "id": id.into_inner(), "stored": body.into_inner() }))
}

/// Only https://app.example.com may read this: from the page, the browser blocks it.
#[cors(origins = ["https://app.example.com"])]
#[get("/partner")]
async fn partner() -> impl Responder {
    HttpResponse::Ok().body("partner data")
}

/// Registers every endpoint of the API.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public)
        .service(list_items)
        .service(me)
        .service(put_item)
        .service(partner);
}
