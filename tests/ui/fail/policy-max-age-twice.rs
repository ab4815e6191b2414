use actix_route_cors::{cors, cors_policy};
use actix_web::{put, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"], max_age = 600);

// The policy sets `max_age` already: the handler's value would silently override it.
#[cors(policy = API, max_age = 60)]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn main() {
    let _ = App::new().service(put_item);
}
