use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// An origin function takes the origin and the request head: this one forgot the head.
fn tenant_origin(origin: &str) -> bool {
    origin.ends_with(".tenants.example")
}

#[cors(origins = tenant_origin)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
