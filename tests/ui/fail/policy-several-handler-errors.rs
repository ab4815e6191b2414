use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(
    API,
    origins = ["https://app.example.com"],
    headers = ["content-type"],
    credentials
);

// Every mistake of a handler that uses a policy is reported in one compilation, each at its token.
#[cors(
    policy = API,
    origins = ["https://admin.example.com"],
    methods = [GET, PUT],
    headers = ["x-request-id"],
    expose = ["*"],
    credentials,
    max_agee = 600,
)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
