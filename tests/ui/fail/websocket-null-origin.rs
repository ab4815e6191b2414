use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

#[cors(origins = ["https://app.example.com", "null"], websocket)]
#[get("/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(live);
}
