use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// Only writes (not GET, HEAD or OPTIONS) are ever refused: the flag would change nothing here.
#[cors(origins = ["https://app.example.com"], writes_from_any_origin)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
