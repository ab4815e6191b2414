//! The route attribute's own arguments keep working under `#[cors]`: `name` (for `url_for`),
//! `guard` (several) and `wrap` (several), with the CORS headers still added outermost.

use actix_route_cors::cors;
use actix_web::dev::ServiceResponse;
use actix_web::guard::GuardContext;
use actix_web::http::header::{HeaderName, ACCESS_CONTROL_ALLOW_ORIGIN, ORIGIN};
use actix_web::http::StatusCode;
use actix_web::middleware::DefaultHeaders;
use actix_web::test::{self, TestRequest};
use actix_web::{get, App, HttpRequest, HttpResponse};

const APP: &str = "https://app.example.com";

fn has_token(ctx: &GuardContext<'_>) -> bool {
    ctx.head().headers().contains_key("x-token")
}

fn not_blocked(ctx: &GuardContext<'_>) -> bool {
    !ctx.head().headers().contains_key("x-blocked")
}

#[cors(origins = ["https://app.example.com"])]
#[get(
    "/items/{id}",
    name = "item_by_id",
    guard = "has_token",
    guard = "not_blocked",
    wrap = "DefaultHeaders::new().add((\"x-inner\", \"1\"))",
    wrap = "DefaultHeaders::new().add((\"x-outer\", \"2\"))"
)]
async fn item(req: HttpRequest) -> HttpResponse {
    let url = req.url_for("item_by_id", ["42"]).unwrap();
    HttpResponse::Ok().body(url.path().to_owned())
}

fn header<B>(res: &ServiceResponse<B>, name: &str) -> Option<String> {
    let name = HeaderName::from_bytes(name.as_bytes()).unwrap();
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[actix_web::main]
async fn main() {
    let app = test::init_service(App::new().service(item)).await;

    let req = TestRequest::get()
        .uri("/items/7")
        .insert_header((ORIGIN, APP))
        .insert_header(("x-token", "t"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header(&res, ACCESS_CONTROL_ALLOW_ORIGIN.as_str()).as_deref(),
        Some(APP)
    );
    assert_eq!(header(&res, "x-inner").as_deref(), Some("1"));
    assert_eq!(header(&res, "x-outer").as_deref(), Some("2"));
    let body = test::read_body(res).await;
    assert_eq!(&body[..], b"/items/42");

    for guard_fails in [
        TestRequest::get()
            .uri("/items/7")
            .insert_header((ORIGIN, APP)),
        TestRequest::get()
            .uri("/items/7")
            .insert_header((ORIGIN, APP))
            .insert_header(("x-token", "t"))
            .insert_header(("x-blocked", "1")),
    ] {
        let res = test::call_service(&app, guard_fails.to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}
