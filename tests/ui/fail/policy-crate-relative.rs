use actix_route_cors as renamed;

renamed::cors_policy!(pub(crate) API, origins = ["https://app.example.com"], crate = renamed);

mod handlers {
    use actix_web::{get, HttpResponse};

    // The policy's `crate = renamed` is read in this module, where `renamed` is not imported.
    #[::actix_route_cors::cors(policy = crate::API)]
    #[get("/items")]
    pub async fn list_items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

fn main() {
    let _ = actix_web::App::new().service(handlers::list_items);
}
