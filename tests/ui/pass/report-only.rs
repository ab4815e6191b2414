//! `report_only` on a handler, on a named policy, and on a handler whose policy leaves it out;
//! and the switch for every route.
use actix_route_cors::{cors, cors_policy, report_only_everywhere, ReportOnly};
use actix_web::{get, put, App, HttpResponse};

#[cors(origins = ["https://app.example.com"], report_only)]
#[get("/a")]
async fn a() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(REPORTED, origins = ["https://app.example.com"], report_only = writes);

#[cors(policy = REPORTED)]
#[put("/b")]
async fn b() -> HttpResponse {
    HttpResponse::Ok().finish()
}

cors_policy!(API, origins = ["https://app.example.com"]);

#[cors(policy = API, report_only)]
#[put("/c")]
async fn c() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    report_only_everywhere(ReportOnly::Nothing);
    let _ = App::new().service(a).service(b).service(c);
}
