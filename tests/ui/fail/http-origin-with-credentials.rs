use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// Loopback origins are fine with credentials (local development); a plain-HTTP origin on
// another host is not, unless the policy says so.
#[cors(
    origins = ["http://localhost:3000", "http://intranet.example.com", "http://*.corp.example"],
    credentials
)]
#[get("/me")]
async fn me() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(me);
}
