use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(ACCOUNT, origins = ["https://app.example.com"], credentials);

// Whom a policy trusts is the policy's to say, not a handler's.
#[cors(policy = ACCOUNT, dangerously_trust_http_origins)]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(me);
}
