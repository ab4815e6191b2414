use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

const APP_ORIGIN: &str = "https://app.example.com";

#[cors(origins = [APP_ORIGIN])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().body(APP_ORIGIN)
}

fn main() {
    let _ = App::new().service(list_items);
}
