//! A policy whose origins come from an `OriginSource`, filled by `main` before the app is
//! built; the runtime is started by hand.
#![deny(warnings)]
#![forbid(unsafe_code)]

use actix_route_cors::{cors, cors_policy, OriginSource};
use actix_web::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN, VARY,
};
use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{get, App, HttpResponse};

static FRONTEND: OriginSource = OriginSource::startup("front-end origins");

mod policies {
    use actix_route_cors::cors_policy;

    cors_policy!(pub(crate) FRONT, origins = crate::FRONTEND, credentials);
}

mod handlers {
    use actix_route_cors::cors;
    use actix_web::{get, HttpResponse};

    #[cors(policy = crate::policies::FRONT)]
    #[get("/items")]
    pub async fn list_items() -> HttpResponse {
        HttpResponse::Ok().finish()
    }
}

// The same source in a policy of the crate root, where the absolute path is required too.
cors_policy!(LOCAL, origins = crate::FRONTEND);

#[cors(policy = LOCAL)]
#[get("/status")]
async fn status() -> HttpResponse {
    HttpResponse::Ok().finish()
}

// And directly in `#[cors]`, where a relative path is fine.
#[cors(origins = FRONTEND)]
#[get("/direct")]
async fn direct() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    FRONTEND
        .set(["https://app.example.com"])
        .expect("valid origins");
    actix_web::rt::System::new().block_on(async {
        let app = test::init_service(
            App::new()
                .service(handlers::list_items)
                .service(status)
                .service(direct),
        )
        .await;

        let res = test::call_service(
            &app,
            TestRequest::get()
                .uri("/items")
                .insert_header((ORIGIN, "https://app.example.com"))
                .to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(),
            "https://app.example.com"
        );
        assert_eq!(
            res.headers().get(ACCESS_CONTROL_ALLOW_CREDENTIALS).unwrap(),
            "true"
        );

        for path in ["/items", "/status", "/direct"] {
            let res = test::call_service(
                &app,
                TestRequest::get()
                    .uri(path)
                    .insert_header((ORIGIN, "https://evil.example.com"))
                    .to_request(),
            )
            .await;
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert!(
                res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
                "{path}"
            );
            assert_eq!(res.headers().get(VARY).unwrap(), "Origin", "{path}");
        }
        for path in ["/status", "/direct"] {
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
    });
}
