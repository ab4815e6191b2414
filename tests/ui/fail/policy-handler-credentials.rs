use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);

// `credentials` comes from the policy: a handler cannot turn it on for itself.
#[cors(policy = API, credentials)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
