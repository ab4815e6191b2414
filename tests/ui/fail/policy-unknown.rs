use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// No policy `NOPE` is defined with `cors_policy!`.
#[cors(policy = NOPE)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
