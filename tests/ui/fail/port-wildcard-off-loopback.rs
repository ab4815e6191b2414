use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// Any port is for local development: on another host, each port can be someone else's.
#[cors(origins = ["http://localhost:*", "https://app.example.com:*", "http://*.localhost:*"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
