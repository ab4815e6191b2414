use actix_route_cors::cors;
use actix_web::{route, HttpResponse};

#[cors(origins = ["https://app.example.com"])]
#[route("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {}
