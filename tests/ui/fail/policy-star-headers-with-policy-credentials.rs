use actix_route_cors::{cors, cors_policy};
use actix_web::{put, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"], credentials);

// The handler's `*` meets the policy's `credentials`: the error is on the handler's `*`.
#[cors(policy = API, headers = ["*"])]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn main() {
    let _ = App::new().service(put_item);
}
