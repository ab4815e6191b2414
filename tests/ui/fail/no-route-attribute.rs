use actix_route_cors::cors;
use actix_web::HttpResponse;

#[cors(origins = ["https://app.example.com"])]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    // The function is still emitted: no second error here.
    let _ = list_items();
}
