//! Named policies defined in their own module and used from others: imported with `use`,
//! named by their full path, and restricted with `pub(super)`.
#![deny(warnings)]
#![forbid(unsafe_code)]

mod policies {
    use actix_route_cors::cors_policy;

    cors_policy!(
        /// The single-page app's API: cookies, and preflights cached for ten minutes.
        pub(crate) API,
        origins = ["https://app.example.com"],
        credentials,
        max_age = 600
    );

    cors_policy!(pub(crate) PUBLIC, origins = ["*"]);
}

mod admin {
    mod policies {
        use actix_route_cors::cors_policy;

        cors_policy!(pub(super) ADMIN, origins = ["https://admin.example.com"]);
    }

    pub mod handlers {
        use super::policies::ADMIN;
        use actix_route_cors::cors;
        use actix_web::{delete, HttpResponse};

        #[cors(policy = ADMIN)]
        #[delete("/admin/users/{id}")]
        pub async fn delete_user() -> HttpResponse {
            HttpResponse::NoContent().finish()
        }
    }
}

mod handlers {
    use crate::policies::API;
    use actix_route_cors::cors;
    use actix_web::{get, put, HttpResponse};

    #[cors(policy = API)]
    #[get("/items")]
    pub async fn list_items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[cors(policy = crate::policies::API, headers = ["content-type"])]
    #[put("/items/{id}")]
    pub async fn put_item() -> HttpResponse {
        HttpResponse::NoContent().finish()
    }

    #[actix_route_cors::cors(policy = crate::policies::PUBLIC)]
    #[get("/status")]
    pub async fn status() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

#[actix_web::main]
async fn main() {
    use actix_web::dev::ServiceResponse;
    use actix_web::http::header::{
        ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
        ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
        ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
    };
    use actix_web::http::{Method, StatusCode};
    use actix_web::test::{self, TestRequest};
    use actix_web::App;

    fn header<B>(
        res: &ServiceResponse<B>,
        name: actix_web::http::header::HeaderName,
    ) -> Option<&str> {
        res.headers().get(name).map(|v| v.to_str().unwrap())
    }

    let app = test::init_service(
        App::new()
            .service(handlers::list_items)
            .service(handlers::put_item)
            .service(handlers::status)
            .service(admin::handlers::delete_user),
    )
    .await;

    let preflight = |path: &str, origin: &str, method: &str| {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header((ORIGIN, origin))
            .insert_header((ACCESS_CONTROL_REQUEST_METHOD, method))
    };

    let res = test::call_service(
        &app,
        preflight("/items/1", "https://app.example.com", "PUT")
            .insert_header((ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_ORIGIN),
        Some("https://app.example.com")
    );
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_METHODS), Some("PUT"));
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_HEADERS),
        Some("content-type")
    );
    assert_eq!(header(&res, ACCESS_CONTROL_MAX_AGE), Some("600"));

    let res = test::call_service(
        &app,
        preflight("/items", "https://app.example.com", "GET").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_METHODS), Some("GET"));

    // The admin policy allows the admin origin only.
    let res = test::call_service(
        &app,
        preflight("/admin/users/1", "https://admin.example.com", "DELETE").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_ORIGIN),
        Some("https://admin.example.com")
    );
    let res = test::call_service(
        &app,
        preflight("/admin/users/1", "https://app.example.com", "DELETE").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri("/status")
            .insert_header((ORIGIN, "https://anyone.example"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, ACCESS_CONTROL_ALLOW_ORIGIN), Some("*"));
}
