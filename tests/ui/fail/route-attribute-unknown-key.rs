use actix_route_cors::cors;
use actix_web::{get, HttpResponse};

#[cors(origins = ["https://app.example.com"])]
#[get("/items", nme = "items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
