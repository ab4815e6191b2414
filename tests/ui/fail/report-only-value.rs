use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], report_only = true)]
#[get("/a")]
async fn a() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], report_only = "writes")]
#[get("/b")]
async fn b() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(a).service(b);
}
