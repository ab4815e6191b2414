use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

#[cors(origins = ["https://app..example.com"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
