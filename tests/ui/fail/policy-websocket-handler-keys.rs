use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

// A policy for WebSocket routes: its handlers' keys follow the same rules.
cors_policy!(SOCKETS, origins = ["https://app.example.com"], websocket);

#[cors(policy = SOCKETS, headers = ["x-request-id"], max_age = 600)]
#[get("/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A policy says `websocket` together with a key that means nothing for it.
cors_policy!(CREDENTIALED_SOCKETS, origins = ["https://app.example.com"], credentials, websocket);

fn main() {
    let _ = App::new().service(live);
}
