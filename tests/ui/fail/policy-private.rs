use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

mod policies {
    use actix_route_cors::cors_policy;

    // Without a visibility, the policy is private to `policies`.
    cors_policy!(API, origins = ["https://app.example.com"]);
}

#[cors(policy = policies::API)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
