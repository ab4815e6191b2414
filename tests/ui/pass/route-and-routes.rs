//! `#[route(path, method = ..)]` and `#[routes]` with several method attributes (on one path
//! and on two paths) under `#[cors]`: one preflight per path, for the methods served there.

use actix_route_cors::cors;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{delete, get, post, put, route, routes, App, HttpResponse};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"])]
#[route("/route", method = "GET", method = "PUT", method = "PURGE")]
async fn with_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], methods = [POST])]
#[routes]
#[get("/routes")]
#[post("/routes")]
async fn with_routes() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[routes]
#[put("/a/{id}")]
#[delete("/a/{id}")]
#[put("/b/{id}")]
async fn with_two_paths() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn header<B>(res: &ServiceResponse<B>, name: HeaderName) -> Option<&str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(
        App::new()
            .service(with_route)
            .service(with_routes)
            .service(with_two_paths),
    )
    .await;
    for (path, method, allow) in [
        ("/route", "GET", Some("GET, PUT, PURGE")),
        ("/route", "PURGE", Some("GET, PUT, PURGE")),
        ("/routes", "POST", Some("POST")),
        ("/a/1", "DELETE", Some("PUT, DELETE")),
        ("/b/1", "PUT", None),
    ] {
        let preflight = TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header((ORIGIN, APP))
            .insert_header((ACCESS_CONTROL_REQUEST_METHOD, method))
            .to_request();
        let res = test::call_service(&app, preflight).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{method} {path}");
        assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
        if let Some(allow) = allow {
            assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_METHODS), Some(allow));
        }
    }
    for (path, method) in [("/route", "PURGE"), ("/routes", "GET"), ("/b/7", "PUT")] {
        let actual = TestRequest::default()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(path)
            .insert_header((ORIGIN, APP))
            .to_request();
        let res = test::call_service(&app, actual).await;
        assert_eq!(res.status(), StatusCode::OK, "{method} {path}");
        assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    }
    // `/b` is served by PUT only: a DELETE there is not routed.
    let res = test::call_service(
        &app,
        TestRequest::delete()
            .uri("/b/7")
            .insert_header((ORIGIN, APP))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
