use actix_route_cors::cors;
use actix_web::{get, put, App, HttpResponse};

// Every mistake of an attribute is reported in one compilation, each at its own token.
#[cors(
    origins = ["https://app.example.com/", "*", "https://app.example.com/"],
    methods = [get, PUT],
    headers = ["cookie", "*"],
    expose = ["set-cookie"],
    credentials,
    max_age = 100000,
    allow_origin = ["https://app.example.com"],
    credentials,
)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A second handler in the same file is checked on its own.
#[cors(origins = ["https://app.example.com:443"], max_age = -5)]
#[put("/items/{id}")]
async fn put_item() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn main() {
    // Both handlers are still emitted with their route attribute: no cascading error here.
    let _ = App::new().service(list_items).service(put_item);
}
