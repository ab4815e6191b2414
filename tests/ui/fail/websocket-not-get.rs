use actix_route_cors::cors;
use actix_web::{get, post, routes, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], websocket)]
#[routes]
#[get("/live")]
#[post("/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(live);
}
