use actix_route_cors::{cors, OriginSource};
use actix_web::{get, App, HttpResponse};

static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");

// An `OriginSource` is the whole `origins`, not an entry of a list.
#[cors(origins = [FRONTEND])]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
