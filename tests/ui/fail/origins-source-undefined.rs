use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// No `FRONTEND` is defined: `origins = FRONTEND` names a static `OriginSource`.
#[cors(origins = FRONTEND)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
