//! A named policy used inside an actix-web `#[scope("/prefix")]` module, by a handler with
//! other attributes and a doc comment: the handler is expanded twice (the service type first,
//! then the route with the policy's keys), and both see the prefixed path.
#![deny(warnings)]

use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD,
    ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::App;

actix_route_cors::cors_policy!(pub(crate) SPA, origins = ["https://app.example.com"], credentials);

#[actix_web::scope("/api")]
mod api {
    use actix_route_cors::cors;
    use actix_web::{get, HttpResponse};

    /// The items.
    #[cors(policy = crate::SPA)]
    #[get("/items")]
    #[allow(clippy::unused_async)]
    pub async fn list_items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(api::list_items)).await;
    let preflight = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/api/items")
        .insert_header((ORIGIN, "https://app.example.com"))
        .insert_header((ACCESS_CONTROL_REQUEST_METHOD, "GET"))
        .to_request();
    let res = test::call_service(&app, preflight).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers().get(ACCESS_CONTROL_ALLOW_CREDENTIALS).unwrap(), "true");
    let get = TestRequest::get()
        .uri("/api/items")
        .insert_header((ORIGIN, "https://app.example.com"))
        .to_request();
    let res = test::call_service(&app, get).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
        "https://app.example.com"
    );
}
