use actix_route_cors::cors;
use actix_web::dev::RequestHead;
use actix_web::{get, App, HttpResponse};

// An `async fn` cannot be an origin function (it returns a future, not a `bool`): a database
// query belongs in an `OriginLookup`, whose cache keeps it off the hot path.
async fn tenant_origin(origin: &str, _head: &RequestHead) -> bool {
    origin.ends_with(".tenants.example")
}

#[cors(origins = tenant_origin)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
