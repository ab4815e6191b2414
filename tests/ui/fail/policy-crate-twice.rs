use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(
    API,
    origins = ["https://app.example.com"],
    crate = ::actix_route_cors
);

// The policy already says where the facade is.
#[cors(policy = API, crate = ::actix_route_cors)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
