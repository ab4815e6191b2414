//! A real server to poke at: an API with `#[cors]` endpoints on http://127.0.0.1:8080, and a
//! page on http://127.0.0.1:8081 (another origin: the port differs) whose buttons call the API
//! with `fetch()` and show what the browser allowed or blocked.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! The ports are part of the origins written in the attributes below, so they are fixed.

#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use actix_route_cors::cors;
use actix_web::{get, put, web, App, HttpRequest, HttpResponse, HttpServer, Responder};

const API: &str = "127.0.0.1:8080";
const PAGE: &str = "127.0.0.1:8081";

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

#[get("/")]
async fn page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(include_str!("page.html"))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    stderr_logger::install();

    let api = HttpServer::new(|| {
        App::new()
            .service(public)
            .service(list_items)
            .service(me)
            .service(put_item)
            .service(partner)
    })
    .workers(1)
    .bind(API)?
    .run();
    let site = HttpServer::new(|| App::new().service(page))
        .workers(1)
        .bind(PAGE)?
        .run();

    println!("API  (the #[cors] endpoints): http://{API}");
    println!("Page (another origin):        http://{PAGE}  <- open this in a browser and click the buttons");
    println!();
    println!("Or ask with curl, as a browser would:");
    println!("  curl -i http://{API}/items -H 'Origin: http://{PAGE}'");
    println!("  curl -i http://{API}/items -H 'Origin: https://evil.example'");
    println!("  curl -i -X OPTIONS http://{API}/items/7 -H 'Origin: http://{PAGE}' \\");
    println!("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type, x-request-id'");
    println!("  curl -i -X OPTIONS http://{API}/items/7 -H 'Origin: http://{PAGE}' \\");
    println!("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: x-forbidden'");
    println!();
    println!("Refused requests are explained below (log target `actix_route_cors`). Ctrl-C stops.");

    futures_util::future::try_join(api, site).await.map(|_| ())
}
