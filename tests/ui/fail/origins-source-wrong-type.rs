use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

const FRONTEND: [&str; 1] = ["https://app.example.com"];

// `origins = NAME` names an `OriginSource` static, not a constant holding a list of origins.
#[cors(origins = FRONTEND)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
