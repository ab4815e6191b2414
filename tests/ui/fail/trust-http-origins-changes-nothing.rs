use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// Without credentials (on a route that is no WebSocket endpoint), or without a plain-HTTP origin,
// the key would only mislead a reader.
#[cors(origins = ["http://intranet.example.com"], dangerously_trust_http_origins)]
#[get("/a")]
async fn a() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], credentials, dangerously_trust_http_origins)]
#[get("/b")]
async fn b() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A WebSocket route gets the user's cookies without `credentials`, but has no such origin.
#[cors(origins = ["https://app.example.com"], websocket, dangerously_trust_http_origins)]
#[get("/c")]
async fn c() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(a).service(b).service(c);
}
