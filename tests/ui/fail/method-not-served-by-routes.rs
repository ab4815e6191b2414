use actix_route_cors::cors;
use actix_web::{get, post, routes, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], methods = [GET, POST, DELETE])]
#[routes]
#[get("/items")]
#[post("/items")]
async fn items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(items);
}
