use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// `github.io` and `vercel.app` are public suffixes of the list's private section: anyone gets
// a site there in a minute.
#[cors(origins = ["https://*.github.io", "https://*.vercel.app", "https://*.acme.github.io"])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
