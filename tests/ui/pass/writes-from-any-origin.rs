//! `writes_from_any_origin`, written on a handler and in a named policy: writes from origins
//! the policy does not allow reach the handler (a webhook receiver posted to by browsers of
//! other sites, say).
use actix_route_cors::{cors, cors_policy};
use actix_web::{get, post, put, routes, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], writes_from_any_origin)]
#[post("/feedback")]
async fn feedback() -> HttpResponse {
    HttpResponse::Accepted().finish()
}

cors_policy!(OPEN_WRITES, origins = ["https://app.example.com"], writes_from_any_origin);

#[cors(policy = OPEN_WRITES)]
#[put("/draft")]
async fn draft() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

// The same policy on a route that only reads: the flag changes nothing there, and is no error
// (it is the policy's, shared with `draft`).
#[cors(policy = OPEN_WRITES)]
#[get("/draft")]
async fn read_draft() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// A route that serves GET and POST: the flag concerns its POST.
#[cors(origins = ["https://app.example.com"], writes_from_any_origin)]
#[routes]
#[get("/board")]
#[actix_web::post("/board")]
async fn board() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new()
        .service(feedback)
        .service(draft)
        .service(read_draft)
        .service(board);
}
