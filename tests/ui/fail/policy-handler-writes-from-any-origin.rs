use actix_route_cors::{cors, cors_policy};
use actix_web::{post, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);

// Who may write is the policy's decision: a handler cannot open itself to every origin.
#[cors(policy = API, writes_from_any_origin)]
#[post("/items")]
async fn create_item() -> HttpResponse {
    HttpResponse::Created().finish()
}

fn main() {
    let _ = App::new().service(create_item);
}
