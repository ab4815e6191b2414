use actix_route_cors::cors;
use actix_web::{post, App, HttpResponse};

// Every origin may write already: there is nothing to report.
#[cors(origins = ["*"], report_only = writes)]
#[post("/feedback")]
async fn feedback() -> HttpResponse {
    HttpResponse::Accepted().finish()
}

fn main() {
    let _ = App::new().service(feedback);
}
