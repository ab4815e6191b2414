//! Every single-method route attribute under `#[cors]`: each handler is registered, answers its
//! own preflight and gets the CORS headers on its actual requests.

use actix_route_cors::cors;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{
    connect, delete, get, head, options, patch, post, put, query, trace, App, HttpResponse,
};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"])]
#[get("/get")]
async fn on_get() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[post("/post")]
async fn on_post() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[put("/put")]
async fn on_put() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[patch("/patch")]
async fn on_patch() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[delete("/delete")]
async fn on_delete() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[head("/head")]
async fn on_head() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[trace("/trace")]
async fn on_trace() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[connect("/connect")]
async fn on_connect() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[query("/query")]
async fn on_query() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[options("/options")]
async fn on_options() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn header<B>(res: &ServiceResponse<B>, name: HeaderName) -> Option<&str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(
        App::new()
            .service(on_get)
            .service(on_post)
            .service(on_put)
            .service(on_patch)
            .service(on_delete)
            .service(on_head)
            .service(on_trace)
            .service(on_connect)
            .service(on_query)
            .service(on_options),
    )
    .await;
    for method in [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "CONNECT", "QUERY",
    ] {
        let path = format!("/{}", method.to_ascii_lowercase());
        let preflight = TestRequest::default()
            .method(Method::OPTIONS)
            .uri(&path)
            .insert_header((ORIGIN, APP))
            .insert_header((ACCESS_CONTROL_REQUEST_METHOD, method))
            .to_request();
        let res = test::call_service(&app, preflight).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "preflight {path}");
        assert_eq!(
            header(&res, ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(APP),
            "{path}"
        );
        assert_eq!(
            header(&res, ACCESS_CONTROL_ALLOW_METHODS),
            Some(method),
            "{path}"
        );

        let actual = TestRequest::default()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&path)
            .insert_header((ORIGIN, APP))
            .to_request();
        let res = test::call_service(&app, actual).await;
        assert_eq!(res.status(), StatusCode::OK, "{method} {path}");
        assert_eq!(
            header(&res, ACCESS_CONTROL_ALLOW_ORIGIN),
            Some(APP),
            "{path}"
        );
    }
    // `OPTIONS` without `Access-Control-Request-Method` is not a preflight: the handler answers.
    let plain_options = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/options")
        .insert_header((ORIGIN, APP))
        .to_request();
    let res = test::call_service(&app, plain_options).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
}
