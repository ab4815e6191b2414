use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);
cors_policy!(ADMIN, origins = ["https://admin.example.com"]);

// A handler uses one policy.
#[cors(policy = API, policy = ADMIN)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
