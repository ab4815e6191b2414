//! `#[utoipa::path]` next to `#[cors]`, written above it or below it: in both orders utoipa's
//! generated `__path_<handler>` is at the handler's own level, where `#[derive(OpenApi)]`
//! finds it, and the route still answers with its CORS headers.
#![deny(warnings)]

use actix_route_cors::{cors, cors_policy};
use actix_web::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::test::{self, TestRequest};
use actix_web::{get, put, App, HttpResponse};
use utoipa::OpenApi;

cors_policy!(API, origins = ["https://app.example.com"]);

#[utoipa::path(get, path = "/above", responses((status = 200, description = "ok")))]
#[cors(origins = ["https://app.example.com"])]
#[get("/above")]
async fn above() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[utoipa::path(get, path = "/below", responses((status = 200, description = "ok")))]
#[get("/below")]
async fn below() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// Below a handler that uses a named policy (expanded twice).
#[cors(policy = API)]
#[utoipa::path(put, path = "/with-policy", responses((status = 204, description = "stored")))]
#[put("/with-policy")]
async fn with_policy() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[derive(OpenApi)]
#[openapi(paths(above, below, with_policy))]
struct ApiDoc;

#[actix_web::main]
async fn main() {
    let doc = ApiDoc::openapi();
    for path in ["/above", "/below", "/with-policy"] {
        assert!(doc.paths.paths.contains_key(path), "{path} is in the OpenAPI document");
    }
    let app = test::init_service(App::new().service(above).service(below).service(with_policy)).await;
    for (method, path) in [("GET", "/above"), ("GET", "/below"), ("PUT", "/with-policy")] {
        let req = TestRequest::default()
            .method(method.parse().unwrap())
            .uri(path)
            .insert_header((ORIGIN, "https://app.example.com"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert!(res.status().is_success(), "{method} {path}");
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "https://app.example.com",
            "{method} {path}"
        );
    }
}
