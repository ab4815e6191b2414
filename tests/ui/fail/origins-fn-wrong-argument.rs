use actix_route_cors::cors;
use actix_web::{get, App, HttpRequest, HttpResponse};

// An origin function gets the request head (`&RequestHead`), not the `HttpRequest`: it runs
// before routing, when preflights are answered first.
fn tenant_origin(origin: &str, req: &HttpRequest) -> bool {
    req.path().starts_with("/t/") && origin.ends_with(".tenants.example")
}

#[cors(origins = tenant_origin)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
