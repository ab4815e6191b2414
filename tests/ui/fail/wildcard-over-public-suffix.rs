use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// `co.uk` is a public suffix (ICANN section): anyone can register `evil.co.uk`.
#[cors(origins = ["https://*.co.uk"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
