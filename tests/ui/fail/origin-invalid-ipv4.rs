use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

#[cors(origins = ["http://192.168.1.300:8080"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
