//! `websocket`: routes declared WebSocket endpoints, written on a handler, on a handler with a
//! named policy shared with routes that are not (whose preflight and response-header keys mean
//! nothing here, and are no error), and in a named policy; the audit marks them.
use actix_route_cors::{audit, cors, cors_policy, OriginSource};
use actix_web::{get, put, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], websocket)]
#[get("/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A plain-HTTP page on an isolated intranet, said so.
#[cors(origins = ["http://chat.intranet.example"], websocket, dangerously_trust_http_origins)]
#[get("/intranet/live")]
async fn intranet_live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(
    API,
    origins = ["https://app.example.com"],
    credentials,
    headers = ["content-type"],
    expose = ["x-total"],
    max_age = 600
);

#[cors(policy = API)]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[cors(policy = API, websocket)]
#[get("/items/live")]
async fn items_live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Origins known at run time, from a lab whose pages are plain HTTP, said so: the source's list
// is held to the plain-HTTP rule unless the route says this.
static LAB: OriginSource = OriginSource::env("LAB_ORIGINS");

#[cors(origins = LAB, websocket, dangerously_trust_http_origins)]
#[get("/lab/live")]
async fn lab_live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(SOCKETS, origins = ["https://app.example.com", "https://*.example.org"], websocket);

#[cors(policy = SOCKETS)]
#[get("/chat")]
async fn chat() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new()
        .service(live)
        .service(intranet_live)
        .service(lab_live)
        .service(put_item)
        .service(items_live)
        .service(chat);
    let sockets: Vec<&str> = audit::routes()
        .iter()
        .filter(|r| r.info().is_websocket())
        .map(|r| r.info().handler())
        .collect();
    // Every route above registered its policy: none was refused without a word.
    assert_eq!(sockets, ["chat", "intranet_live", "items_live", "lab_live", "live"]);
}
