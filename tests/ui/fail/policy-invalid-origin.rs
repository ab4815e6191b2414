use actix_route_cors::{cors, cors_policy};
use actix_web::{get, put, App, HttpResponse};

// The policy's origin has a trailing slash: reported once, at the policy; its handlers still compile.
cors_policy!(API, origins = ["https://app.example.com/"], credentials);

#[cors(policy = API)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = API, headers = ["content-type"])]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn main() {
    let _ = App::new().service(list_items).service(put_item);
}
