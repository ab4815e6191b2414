//! The forms that stay allowed: any port on loopback hosts (with credentials: local
//! development), a wildcard under one's own site on a public suffix, and a plain-HTTP origin
//! with credentials when the policy says so in words a reviewer sees.

use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

#[cors(
    origins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://*.acme.github.io"],
    credentials
)]
#[get("/dev")]
async fn dev() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(
    INTRANET,
    origins = ["http://intranet.corp.example"],
    credentials,
    dangerously_trust_http_origins
);

#[cors(policy = INTRANET)]
#[get("/intranet")]
async fn intranet() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(dev).service(intranet);
}
