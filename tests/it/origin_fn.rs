//! Origins decided by a function of the request: `origins = FUNCTION`, where the function is
//! `fn(&str, &RequestHead) -> bool`, in `#[cors]` and in `cors_policy!`: what the function sees
//! and when it is asked. The wrong signature is a compile error:
//! `tests/ui/fail/origins-fn-wrong-signature.rs`. Preflights, refused writes, `CorsFirst` and
//! the audit, as for every form of origins, are in `origin_forms.rs`.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_route_cors::{cors, cors_policy, CorsFirst};
use actix_web::dev::RequestHead;
use actix_web::http::StatusCode;
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, web, App, HttpResponse, Responder};

use crate::support::{get, preflight, require_authorization, send};

/// Each tenant's front-end, as a real application would read it from its configuration.
const TENANTS: [(&str, &str); 2] = [
    ("acme", "https://acme.example"),
    ("globex", "https://app.globex.example"),
];

/// The tenant is the first path segment after `/t/`: a tenant's front-end may read that
/// tenant's resources only.
fn tenant_front_end(origin: &str, head: &RequestHead) -> bool {
    let tenant = head
        .uri
        .path()
        .strip_prefix("/t/")
        .and_then(|rest| rest.split('/').next());
    TENANTS
        .iter()
        .any(|(name, front)| Some(*name) == tenant && *front == origin)
}

#[cors(origins = tenant_front_end, credentials, expose = ["x-tenant"])]
#[get("/t/{tenant}/items")]
async fn items(tenant: web::Path<String>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-tenant", tenant.into_inner()))
        .body("items")
}

/// Sandboxed documents (`null`) are allowed only where a function says so explicitly.
fn sandboxed_too(origin: &str, _: &RequestHead) -> bool {
    origin == "null" || origin == "https://acme.example"
}

#[cors(origins = sandboxed_too)]
#[get("/widget")]
async fn widget() -> impl Responder {
    HttpResponse::Ok().finish()
}

mod policies {
    use actix_route_cors::cors_policy;

    cors_policy!(pub(crate) TENANT, origins = crate::origin_fn::tenant_front_end, credentials);
}

#[cors(policy = policies::TENANT)]
#[get("/t/{tenant}/me")]
async fn me() -> impl Responder {
    HttpResponse::Ok().finish()
}

cors_policy!(PARTNERS, origins = crate::origin_fn::sandboxed_too);

#[cors(policy = PARTNERS)]
#[get("/partners")]
async fn partners() -> impl Responder {
    HttpResponse::Ok().finish()
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .service(items)
        .service(widget)
        .service(me)
        .service(partners)
}

#[actix_web::test]
async fn the_function_decides_from_the_origin_and_the_request_head() {
    let app = init_service(app()).await;

    let res = send(
        &app,
        get("/t/acme/items", "https://acme.example").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://acme.example"
    );
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.one("access-control-expose-headers"), "x-tenant");
    assert_eq!(res.one("vary"), "Origin");

    // Another tenant's front-end, on acme's resources: refused.
    let res = send(
        &app,
        get("/t/acme/items", "https://app.globex.example").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    res.assert_one_log_containing(&[
        "origin `https://app.globex.example` is not allowed",
        "those function `it::origin_fn::tenant_front_end` allows; it refused the origin",
    ]);

    let res = send(
        &app,
        get("/t/globex/items", "https://app.globex.example").to_request(),
    )
    .await;
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://app.globex.example"
    );
}

#[actix_web::test]
async fn without_origin_the_function_is_not_asked_and_the_response_varies() {
    let app = init_service(App::new().service(counted_route())).await;
    let res = send(&app, TestRequest::get().uri("/quiet").to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    assert_eq!(QUIET_ASKED.load(Ordering::Relaxed), 0);
}

static QUIET_ASKED: AtomicUsize = AtomicUsize::new(0);

fn quiet(_: &str, _: &RequestHead) -> bool {
    QUIET_ASKED.fetch_add(1, Ordering::Relaxed);
    true
}

#[cors(origins = quiet)]
#[get("/quiet")]
async fn quiet_route() -> impl Responder {
    HttpResponse::Ok().finish()
}

fn counted_route() -> quiet_route {
    quiet_route
}

#[actix_web::test]
async fn null_is_allowed_only_when_the_function_allows_it() {
    let app = init_service(app()).await;
    let res = send(&app, get("/t/acme/items", "null").to_request()).await;
    res.assert_no_cors_headers();
    let res = send(&app, get("/widget", "null").to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), "null");
    assert_eq!(res.one("vary"), "Origin");
}

#[actix_web::test]
async fn an_origin_that_is_not_visible_ascii_is_refused_without_asking() {
    fn counting(origin: &str, _: &RequestHead) -> bool {
        COUNT.fetch_add(1, Ordering::Relaxed);
        !origin.is_empty()
    }
    static COUNT: AtomicUsize = AtomicUsize::new(0);

    #[cors(origins = counting)]
    #[get("/counted")]
    async fn counted() -> impl Responder {
        HttpResponse::Ok().finish()
    }

    let app = init_service(App::new().service(counted)).await;
    let long = format!("https://{}.example", "a".repeat(400));
    for origin in [
        actix_web::http::header::HeaderValue::from_bytes(b"https://\xff.example").unwrap(),
        actix_web::http::header::HeaderValue::from_str(&long).unwrap(),
    ] {
        let res = send(
            &app,
            TestRequest::get()
                .uri("/counted")
                .insert_header(("origin", origin))
                .to_request(),
        )
        .await;
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
        res.assert_one_log_containing(&["the origin was not asked about"]);
    }
    assert_eq!(COUNT.load(Ordering::Relaxed), 0);
    let res = send(&app, get("/counted", "https://ok.example").to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), "https://ok.example");
    assert_eq!(COUNT.load(Ordering::Relaxed), 1);
}

#[actix_web::test]
async fn named_policies_take_functions_too() {
    let app = init_service(app()).await;
    let res = send(&app, get("/t/acme/me", "https://acme.example").to_request()).await;
    assert_eq!(
        res.one("access-control-allow-origin"),
        "https://acme.example"
    );
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    let res = send(
        &app,
        get("/t/globex/me", "https://acme.example").to_request(),
    )
    .await;
    res.assert_no_cors_headers();
    let res = send(&app, get("/partners", "null").to_request()).await;
    assert_eq!(res.one("access-control-allow-origin"), "null");
}

#[actix_web::test]
async fn cors_first_gives_the_function_the_path_the_request_has() {
    let app = init_service(
        App::new()
            .service(
                web::scope("/api")
                    .wrap(actix_web::middleware::from_fn(require_authorization))
                    .service(items),
            )
            .wrap(CorsFirst::new()),
    )
    .await;
    // The function reads the path as the request has it: `/api/t/acme/items`, which names no
    // tenant at `/t/`: refused, answered first (not the 401).
    let res = send(
        &app,
        preflight("/api/t/acme/items", "https://acme.example", "GET").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.text().contains("tenant_front_end"), "{}", res.text());
}
