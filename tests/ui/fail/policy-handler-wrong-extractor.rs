use actix_route_cors::{cors, cors_policy};
use actix_web::{get, App, HttpResponse};

cors_policy!(API, origins = ["https://app.example.com"]);

struct NotAnExtractor;

// rustc's note says the route's code comes from `cors`, as without a named policy: the hidden
// second pass of a named policy is never named.
#[cors(policy = API)]
#[get("/items")]
async fn list_items(_query: NotAnExtractor) -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(list_items);
}
