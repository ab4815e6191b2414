//! Route attributes written with their crate path (`#[actix_web::get]`), without importing
//! them; and `#[cors]` written with its own path.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{App, HttpResponse};

const APP: &str = "https://app.example.com";

#[actix_route_cors::cors(origins = ["https://app.example.com"])]
#[actix_web::get("/get")]
async fn qualified_get() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_route_cors::cors(origins = ["https://app.example.com"])]
#[::actix_web::put("/put")]
async fn absolute_put() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_route_cors::cors(origins = ["https://app.example.com"])]
#[actix_web::route("/route", method = "PATCH", method = "DELETE")]
async fn qualified_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[actix_route_cors::cors(origins = ["https://app.example.com"])]
#[actix_web::routes]
#[actix_web::get("/routes")]
#[actix_web::post("/routes")]
async fn qualified_routes() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn header<B>(res: &ServiceResponse<B>, name: HeaderName) -> Option<&str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(
        App::new()
            .service(qualified_get)
            .service(absolute_put)
            .service(qualified_route)
            .service(qualified_routes),
    )
    .await;
    for (path, method, allow) in [
        ("/get", "GET", "GET"),
        ("/put", "PUT", "PUT"),
        ("/route", "DELETE", "PATCH, DELETE"),
        ("/routes", "POST", "GET, POST"),
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
        assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_METHODS), Some(allow));
    }
}
