use actix_route_cors::cors;
use actix_web::{post, App, HttpResponse};

// With `*`, every origin may already write: the flag would change nothing.
#[cors(origins = ["*"], writes_from_any_origin)]
#[post("/events")]
async fn events() -> HttpResponse {
    HttpResponse::Accepted().finish()
}

fn main() {
    let _ = App::new().service(events);
}
