use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);

// `max_agee` is a typo of `max_age`, on a handler that uses a policy.
#[cors(policy = API, max_agee = 600)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
