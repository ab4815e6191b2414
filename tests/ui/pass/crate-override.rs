//! `crate = path` names the facade where the user's crate reaches it: through a re-export, or
//! an `extern crate` under another name (as a path or as a string).
#![deny(warnings)]

extern crate actix_route_cors as renamed;

use actix_web::{get, put, App, HttpResponse};

/// A crate that re-exports the facade, as a framework built on top of it would.
mod framework {
    pub mod reexports {
        pub use ::actix_route_cors as cors_facade;
    }
}

#[renamed::cors(origins = ["https://app.example.com"], crate = crate::framework::reexports::cors_facade)]
#[get("/through-a-reexport")]
async fn through_a_reexport() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[renamed::cors(origins = ["https://app.example.com"], crate = renamed)]
#[put("/renamed")]
async fn renamed_path() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[renamed::cors(origins = ["https://app.example.com"], crate = "::renamed")]
#[get("/renamed-string")]
async fn renamed_string() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_web::main]
async fn main() {
    use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
    use actix_web::http::{Method, StatusCode};
    use actix_web::test::{self, TestRequest};

    let app = test::init_service(
        App::new()
            .service(through_a_reexport)
            .service(renamed_path)
            .service(renamed_string),
    )
    .await;
    for (path, method) in [
        ("/through-a-reexport", "GET"),
        ("/renamed", "PUT"),
        ("/renamed-string", "GET"),
    ] {
        let req = TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header((ORIGIN, "https://app.example.com"))
            .insert_header((ACCESS_CONTROL_REQUEST_METHOD, method))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
    }
}
