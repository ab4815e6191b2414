use actix_route_cors::{cors, cors_policy, OriginSource};
use actix_web::{get, App, HttpResponse};

static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");

cors_policy!(API, origins = ["https://app.example.com"]);

// The handler's `OriginSource` would replace the policy's origins.
#[cors(policy = API, origins = crate::FRONTEND)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = &FRONTEND;
    let _ = App::new().service(list_items);
}
