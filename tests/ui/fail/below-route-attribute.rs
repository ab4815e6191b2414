use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// `#[get]` runs first and hides the function inside its service: `#[cors]` must come above it.
#[get("/items")]
#[cors(origins = ["https://app.example.com"])]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
