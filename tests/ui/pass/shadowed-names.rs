//! The generated code names everything by absolute paths: a module that shadows `actix_web`,
//! `core`, `std`, the facade and the prelude's types does not change what it means.
#![deny(warnings)]

mod handlers {
    mod actix_web {}
    mod core {}
    mod std {}
    mod cors_runtime {}
    mod __private {}
    #[allow(unused_imports)]
    use ::core as actix_route_cors;

    #[allow(dead_code)]
    struct Option;
    #[allow(dead_code)]
    struct Some;
    #[allow(dead_code)]
    struct None;
    #[allow(dead_code)]
    struct Result;
    #[allow(dead_code)]
    struct Ok;
    #[allow(dead_code)]
    struct Err;
    #[allow(dead_code)]
    struct Vec;
    #[allow(dead_code)]
    struct String;
    #[allow(dead_code)]
    struct Box;
    #[allow(dead_code)]
    struct Resource;
    #[allow(dead_code)]
    struct AppService;
    #[allow(dead_code)]
    struct Cors;
    #[allow(dead_code)]
    struct RouteCors;
    #[allow(dead_code)]
    struct Policy;
    #[allow(dead_code)]
    trait HttpServiceFactory {}
    #[allow(dead_code)]
    trait Send {}
    #[allow(dead_code)]
    trait Sync {}
    #[allow(dead_code)]
    fn register_preflight() {}

    #[::actix_route_cors::cors(
        origins = ["https://app.example.com", "https://*.example.org"],
        headers = ["content-type", "*"],
        expose = ["x-total"],
        max_age = 600,
        private_network
    )]
    #[::actix_web::get("/items", name = "items")]
    pub async fn list_items() -> ::actix_web::HttpResponse {
        ::actix_web::HttpResponse::Ok().finish()
    }

    #[::actix_route_cors::cors(origins = ["https://app.example.com"], credentials)]
    #[::actix_web::routes]
    #[::actix_web::put("/items/{id}")]
    #[::actix_web::delete("/items/{id}")]
    pub async fn change_item() -> ::actix_web::HttpResponse {
        ::actix_web::HttpResponse::NoContent().finish()
    }
}

#[actix_web::main]
async fn main() {
    use actix_web::http::header::{
        ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
    };
    use actix_web::http::{Method, StatusCode};
    use actix_web::test::{self, TestRequest};

    let app = test::init_service(
        actix_web::App::new()
            .service(handlers::list_items)
            .service(handlers::change_item),
    )
    .await;
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items/1")
        .insert_header((ORIGIN, "https://app.example.com"))
        .insert_header((ACCESS_CONTROL_REQUEST_METHOD, "DELETE"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        res.headers().get(ACCESS_CONTROL_ALLOW_METHODS).unwrap(),
        "PUT, DELETE"
    );
}
