use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);

// `#[get]` runs first and hides the function inside its service: `#[cors]` must come above it.
#[get("/items")]
#[cors(policy = API)]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
