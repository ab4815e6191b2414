use actix_route_cors::{cors, cors_policy};
use actix_web::{put, App, HttpResponse};

cors_policy!(
    API,
    origins = ["https://app.example.com"],
    headers = ["content-type"]
);

// The policy sets `headers` already: the handler's list would silently replace or extend it.
#[cors(policy = API, headers = ["content-type", "x-request-id"])]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn main() {
    let _ = App::new().service(put_item);
}
