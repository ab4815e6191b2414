//! `#[cors]` inside an actix-web `#[scope("/prefix")]` module: the route attribute it reads is
//! already prefixed, so the preflight is registered on the prefixed path.

use actix_web::dev::ServiceResponse;
use actix_web::http::header::{
    HeaderName, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::App;

const APP: &str = "https://app.example.com";

#[actix_web::scope("/api")]
mod api {
    use actix_route_cors::cors;
    use actix_web::{get, put, routes, HttpResponse};

    #[cors(origins = ["https://app.example.com"])]
    #[get("/items")]
    pub async fn list_items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
    #[routes]
    #[put("/items/{id}")]
    #[get("/items/{id}")]
    pub async fn item() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

fn header<B>(res: &ServiceResponse<B>, name: HeaderName) -> Option<&str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(api::list_items).service(api::item)).await;
    for (path, method, allow) in [
        ("/api/items", "GET", "GET"),
        ("/api/items/7", "PUT", "PUT, GET"),
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
    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri("/api/items")
            .insert_header((ORIGIN, APP))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some(APP));
    // Without the prefix there is no route, and no preflight either.
    let res = test::call_service(
        &app,
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header((ORIGIN, APP))
            .insert_header((ACCESS_CONTROL_REQUEST_METHOD, "GET"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
