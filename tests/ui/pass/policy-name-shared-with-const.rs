//! A policy's name lives in the macro namespace: a `const` or a `static` of the same name, in
//! the value namespace, can stand next to it.
#![deny(warnings)]
#![forbid(unsafe_code)]

use actix_route_cors::{cors, cors_policy};
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::test::{self, TestRequest};
use actix_web::{get, App, HttpResponse};

/// The API's version, sent in each response.
const API: &str = "v1";

cors_policy!(API, origins = ["https://app.example.com"]);

mod admin {
    use actix_route_cors::{cors, cors_policy};
    use actix_web::{get, HttpResponse};

    pub(crate) static ADMIN: &str = "admin";

    cors_policy!(pub(crate) ADMIN, origins = ["https://admin.example.com"]);

    #[cors(policy = ADMIN)]
    #[get("/admin")]
    pub async fn admin() -> HttpResponse {
        HttpResponse::Ok().body(ADMIN)
    }
}

#[cors(policy = API)]
#[get("/version")]
async fn version() -> HttpResponse {
    HttpResponse::Ok().body(API)
}

#[cors(policy = admin::ADMIN)]
#[get("/admin-version")]
async fn admin_version() -> HttpResponse {
    HttpResponse::Ok().body(format!("{}-{}", admin::ADMIN, API))
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(
        App::new()
            .service(version)
            .service(admin::admin)
            .service(admin_version),
    )
    .await;
    for (path, origin, body) in [
        ("/version", "https://app.example.com", "v1"),
        ("/admin", "https://admin.example.com", "admin"),
        ("/admin-version", "https://admin.example.com", "admin-v1"),
    ] {
        let res = test::call_service(
            &app,
            TestRequest::get()
                .uri(path)
                .insert_header((ORIGIN, origin))
                .to_request(),
        )
        .await;
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            origin,
            "{path}"
        );
        assert_eq!(&test::read_body(res).await[..], body.as_bytes(), "{path}");
    }
}
