use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// A browser opens a WebSocket with a `GET` that is never preflighted, always carries the user's
// cookies, and whose answer no script reads: these keys would promise what cannot happen.
#[cors(
    origins = ["https://app.example.com"],
    websocket,
    methods = [GET],
    headers = ["x-request-id"],
    expose = ["x-total"],
    credentials,
    max_age = 600,
    private_network
)]
#[get("/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(live);
}
