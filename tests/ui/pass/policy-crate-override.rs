//! `crate = path` in a named policy: the facade under another name, used by handlers in the
//! policy's module and in others.
#![deny(warnings)]
#![forbid(unsafe_code)]

use actix_route_cors as renamed;

use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::test::{self, TestRequest};
use actix_web::{get, App, HttpResponse};

/// A crate that re-exports the facade, as a framework built on top of it would.
mod framework {
    pub mod reexports {
        pub use ::actix_route_cors as cors_facade;
    }
}

renamed::cors_policy!(API, origins = ["https://app.example.com"], crate = renamed);

renamed::cors_policy!(
    pub(crate) SHARED,
    origins = ["https://app.example.com"],
    crate = crate::framework::reexports::cors_facade
);

#[renamed::cors(policy = API)]
#[get("/local")]
async fn local() -> HttpResponse {
    HttpResponse::Ok().finish()
}

mod handlers {
    use actix_web::{get, HttpResponse};

    #[crate::framework::reexports::cors_facade::cors(policy = crate::SHARED)]
    #[get("/shared")]
    pub async fn shared() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(local).service(handlers::shared)).await;
    for path in ["/local", "/shared"] {
        let res = test::call_service(
            &app,
            TestRequest::get()
                .uri(path)
                .insert_header((ORIGIN, "https://app.example.com"))
                .to_request(),
        )
        .await;
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "https://app.example.com",
            "{path}"
        );
    }
}
