use actix_route_cors::cors;
use actix_web::{get, post, HttpResponse};

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
#[post("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
