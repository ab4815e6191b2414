use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// The generated code goes through the `crate` path: a wrong one is reported on that path.
#[cors(origins = ["https://app.example.com"], crate = not_the_facade)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
