use actix_route_cors::{cors, OriginSource};
use actix_web::{get, App, HttpResponse};

// A `const` is a new, empty `OriginSource` at each use: `.load()` would fill a copy the route never sees.
const FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");

#[cors(origins = FRONTEND)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
