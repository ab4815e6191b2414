use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

const FRONTEND: [&str; 1] = ["https://app.example.com"];

// The policy's `origins = crate::FRONTEND` names a constant list, not an `OriginSource` static.
cors_policy!(API, origins = crate::FRONTEND);

#[cors(policy = API)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
