//! Preflights and routing through a real actix-web `App`: SPEC §4 "Preflights", which follows
//! the Fetch standard's CORS-preflight fetch (§4.8: `OPTIONS` with `Origin` and
//! `Access-Control-Request-Method`; the answer is usable only if it is an ok status with a
//! matching `Access-Control-Allow-Origin`, and the method and headers asked for are allowed).

use crate::support;

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_route_cors::cors;
use actix_web::guard::GuardContext;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{
    delete, get, options, post, put, route, routes, web, App, HttpRequest, HttpResponse, Responder,
};

use crate::support::{preflight, send, PREFLIGHT_VARY, PREFLIGHT_VARY_PNA};

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example";

#[cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    methods = [PUT],
    credentials,
    max_age = 600
)]
#[put("/items/{id}")]
async fn put_item() -> impl Responder {
    HttpResponse::NoContent().finish()
}

#[cors(origins = ["https://app.example.com"])]
#[get("/bare")]
async fn bare() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["*"], headers = ["*"])]
#[get("/open")]
async fn open() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], headers = ["x-b", "*", "authorization"])]
#[get("/star-and-auth")]
async fn star_and_auth() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], private_network)]
#[get("/private")]
async fn private() -> impl Responder {
    HttpResponse::Ok().finish()
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
#[routes]
#[get("/narrow")]
#[post("/narrow")]
async fn narrow() -> impl Responder {
    HttpResponse::Ok().body("narrow")
}

// `#[routes]` over two paths: each path announces only the methods served there.
#[cors(origins = ["https://app.example.com"])]
#[routes]
#[put("/two/a")]
#[delete("/two/a")]
#[put("/two/b")]
async fn two_paths() -> impl Responder {
    HttpResponse::Ok().body("two")
}

#[cors(origins = ["https://app.example.com"])]
#[route("/r", method = "GET", method = "PUT")]
async fn two_methods() -> impl Responder {
    HttpResponse::Ok().body("r")
}

#[cors(origins = ["https://app.example.com"])]
#[routes]
#[get("/h")]
#[actix_web::head("/h")]
async fn get_and_head() -> impl Responder {
    HttpResponse::Ok().finish()
}

// Two handlers on ONE path, each with its own policy.
#[cors(origins = ["https://a.example"])]
#[get("/thing")]
async fn thing_a() -> impl Responder {
    HttpResponse::Ok().body("a")
}

#[cors(origins = ["https://b.example"], headers = ["x-b"])]
#[delete("/thing")]
async fn thing_b() -> impl Responder {
    HttpResponse::Ok().body("b")
}

// A plain OPTIONS route of the app (no cors) on a path that also has a `#[cors]` handler.
#[cors(origins = ["https://app.example.com"])]
#[get("/doc")]
async fn doc_get() -> impl Responder {
    HttpResponse::Ok().body("doc")
}

#[options("/doc")]
async fn doc_options() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("allow", "GET, OPTIONS"))
        .body("own options")
}

#[cors(origins = ["https://app.example.com"], credentials)]
#[get("/scoped")]
async fn scoped() -> impl Responder {
    HttpResponse::Ok().body("scoped")
}

#[actix_web::scope("/v1")]
mod v1 {
    use actix_route_cors::cors;
    use actix_web::{get, HttpResponse, Responder};

    #[cors(origins = ["https://app.example.com"], headers = ["x-v"])]
    #[get("/x")]
    pub async fn x() -> impl Responder {
        HttpResponse::Ok().body("v1")
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/named/{id}", name = "named_item")]
async fn named(req: HttpRequest) -> impl Responder {
    match req.url_for("named_item", ["7"]) {
        Ok(url) => HttpResponse::Ok().body(url.to_string()),
        Err(_) => HttpResponse::InternalServerError().body("no such route name"),
    }
}

fn has_token(ctx: &GuardContext<'_>) -> bool {
    ctx.head().headers().contains_key("x-token")
}

#[cors(origins = ["https://app.example.com"], headers = ["x-token"])]
#[get("/guarded", guard = "has_token")]
async fn guarded() -> impl Responder {
    HttpResponse::Ok().body("guarded")
}

macro_rules! app {
    () => {
        init_service(
            App::new()
                .service(put_item)
                .service(bare)
                .service(open)
                .service(star_and_auth)
                .service(private)
                .service(narrow)
                .service(two_methods)
                .service(two_paths)
                .service(get_and_head)
                .service(thing_a)
                .service(thing_b)
                .service(doc_get)
                .service(doc_options)
                .service(web::scope("/api").service(scoped))
                .service(v1::x)
                .service(named)
                .service(guarded),
        )
        .await
    };
}

/// A preflight for `PUT /items/1` from `origin` asking for `headers` (one field).
fn put_preflight(origin: &str, headers: &str) -> TestRequest {
    preflight("/items/1", origin, "PUT").insert_header(("access-control-request-headers", headers))
}

/// Asserts the complete allowed answer of the `/items/{id}` policy.
fn assert_put_allowed(res: &support::Response) {
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-credentials"), ["true"]);
    assert_eq!(res.all("access-control-allow-methods"), ["PUT"]);
    assert_eq!(
        res.all("access-control-allow-headers"),
        ["content-type, x-request-id"]
    );
    assert_eq!(res.all("access-control-max-age"), ["600"]);
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY]);
    assert!(res.body.is_empty(), "body: {:?}", res.text());
    res.assert_no_cors_log();
}

/// Asserts a refused preflight: 403, plain text body saying why, no `Access-Control-*`
/// header, the preflight `Vary`, one log record containing `why`.
fn assert_refused(res: &support::Response, why: &str) {
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.one("content-type"), "text/plain; charset=utf-8");
    let body = res.text();
    assert!(
        body.starts_with("CORS preflight refused: "),
        "body: {body:?}"
    );
    assert!(body.ends_with('\n'), "body: {body:?}");
    assert!(body.contains(why), "body {body:?} does not say {why:?}");
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY]);
    res.assert_one_log_containing(&[why]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Preflights / Allowed": 204 with ACAO, ACAC, ACAM, ACAH, Max-Age as configured, Vary
// on the three request headers, empty body, handler not invoked (Fetch §4.8: the preflight
// response needs an ok status; 204 has no body).
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn allowed_preflight_answers_204_with_exact_headers() {
    let app = app!();
    let res = send(&app, put_preflight(APP, "content-type").to_request()).await;
    assert_put_allowed(&res);
    assert_eq!(
        res.cors_header_names(),
        [
            "access-control-allow-credentials",
            "access-control-allow-headers",
            "access-control-allow-methods",
            "access-control-allow-origin",
            "access-control-max-age",
        ]
    );
}

#[actix_web::test]
async fn allowed_preflight_does_not_run_the_handler() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    #[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
    #[put("/counted/{id}")]
    async fn counted() -> impl Responder {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::NoContent().finish()
    }
    let app = init_service(App::new().service(counted)).await;
    let req = preflight("/counted/1", APP, "PUT")
        .insert_header(("access-control-request-headers", "content-type"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
    // The counter does count: the actual request runs the handler once.
    let actual = TestRequest::put()
        .uri("/counted/1")
        .insert_header(("origin", APP))
        .to_request();
    assert_eq!(send(&app, actual).await.status, StatusCode::NO_CONTENT);
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn allowed_preflight_without_request_headers_still_lists_allowed_headers() {
    let app = app!();
    let res = send(&app, preflight("/items/1", APP, "PUT").to_request()).await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn minimal_policy_preflight_has_only_acao_and_acam() {
    let app = app!();
    let res = send(&app, preflight("/bare", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-methods"), ["GET"]);
    assert_eq!(
        res.cors_header_names(),
        [
            "access-control-allow-methods",
            "access-control-allow-origin"
        ]
    );
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY]);
}

#[actix_web::test]
async fn star_policy_preflight_answers_star_and_any_header() {
    let app = app!();
    let req = preflight("/open", "https://anyone.example", "GET")
        .insert_header(("access-control-request-headers", "x-anything, content-type"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-origin"), ["*"]);
    assert_eq!(res.all("access-control-allow-headers"), ["*"]);
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY]);
}

#[actix_web::test]
async fn star_headers_do_not_cover_authorization() {
    // Fetch §3.2.5 (CORS-unsafe request-header names): `*` never matches `Authorization`.
    let app = app!();
    let req = preflight("/open", "https://anyone.example", "GET")
        .insert_header(("access-control-request-headers", "authorization"))
        .to_request();
    assert_refused(&send(&app, req).await, "`authorization`");
}

#[actix_web::test]
async fn authorization_listed_next_to_star_is_allowed() {
    let app = app!();
    let req = preflight("/star-and-auth", APP, "GET")
        .insert_header(("access-control-request-headers", "Authorization, x-other"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.all("access-control-allow-headers"),
        ["*, x-b, authorization"]
    );
}

#[actix_web::test]
async fn methods_default_to_the_route_methods() {
    let app = app!();
    let res = send(&app, preflight("/r", APP, "PUT").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-methods"), ["GET, PUT"]);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn get_and_head_route_answers_a_head_preflight() {
    let app = app!();
    let res = send(&app, preflight("/h", APP, "HEAD").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-methods"), ["GET, HEAD"]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: `Access-Control-Request-Headers` is parsed leniently (case, spaces, empty items,
// duplicates, several fields) with bounded work (at most 4096 bytes).
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn request_headers_are_matched_case_insensitively() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, "Content-Type, X-Request-Id").to_request(),
    )
    .await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn request_headers_tolerate_spaces_and_empty_items() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, " x-request-id ,, content-type ").to_request(),
    )
    .await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn request_headers_tolerate_tabs() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, "\tx-request-id\t,content-type").to_request(),
    )
    .await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn request_headers_tolerate_duplicates() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, "content-type, content-type, CONTENT-TYPE").to_request(),
    )
    .await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn request_headers_may_come_in_several_fields() {
    let app = app!();
    let req = preflight("/items/1", APP, "PUT")
        .append_header(("access-control-request-headers", "content-type"))
        .append_header(("access-control-request-headers", "x-request-id"))
        .to_request();
    assert_put_allowed(&send(&app, req).await);
}

#[actix_web::test]
async fn empty_request_headers_ask_for_nothing() {
    let app = app!();
    let res = send(&app, put_preflight(APP, "").to_request()).await;
    assert_put_allowed(&res);
}

/// An `Access-Control-Request-Headers` value of exactly `len` bytes naming only allowed headers.
fn request_headers_of_len(len: usize) -> String {
    let mut value = String::from("content-type");
    while value.len() + ",x-request-id".len() <= len {
        value.push_str(",x-request-id");
    }
    while value.len() < len {
        value.push(',');
    }
    assert_eq!(value.len(), len);
    value
}

#[actix_web::test]
async fn request_headers_of_exactly_4096_bytes_are_parsed() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, &request_headers_of_len(4096)).to_request(),
    )
    .await;
    assert_put_allowed(&res);
}

#[actix_web::test]
async fn request_headers_of_4097_bytes_are_refused() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, &request_headers_of_len(4097)).to_request(),
    )
    .await;
    assert_refused(&res, "4097 bytes long, over the limit of 4096");
}

#[actix_web::test]
async fn request_headers_of_5000_bytes_are_refused() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, &request_headers_of_len(5000)).to_request(),
    )
    .await;
    assert_refused(&res, "5000 bytes long");
}

#[actix_web::test]
async fn request_headers_limit_counts_all_fields_together() {
    let app = app!();
    let half = request_headers_of_len(2500);
    let req = preflight("/items/1", APP, "PUT")
        .append_header(("access-control-request-headers", half.as_str()))
        .append_header(("access-control-request-headers", half.as_str()))
        .to_request();
    assert_refused(&send(&app, req).await, "5000 bytes long");
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Preflights / Denied": 403, `text/plain` body saying what was refused, no
// `Access-Control-*` header (so the browser fails the preflight), the same `Vary`, handler not
// invoked, and a log record.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn preflight_from_a_disallowed_origin_is_refused() {
    let app = app!();
    let res = send(&app, put_preflight(EVIL, "content-type").to_request()).await;
    assert_refused(&res, "origin `https://evil.example` is not allowed");
}

#[actix_web::test]
async fn refused_preflight_body_is_exact() {
    let app = app!();
    let res = send(&app, put_preflight(EVIL, "content-type").to_request()).await;
    assert_eq!(
        res.text(),
        "CORS preflight refused: origin `https://evil.example` is not allowed (allowed origins: https://app.example.com)\n"
    );
}

#[actix_web::test]
async fn refused_preflight_does_not_run_the_handler() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    #[cors(origins = ["https://app.example.com"])]
    #[put("/counted-refused")]
    async fn counted() -> impl Responder {
        CALLS.fetch_add(1, Ordering::SeqCst);
        HttpResponse::NoContent().finish()
    }
    let app = init_service(App::new().service(counted)).await;
    let res = send(
        &app,
        preflight("/counted-refused", EVIL, "PUT").to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
}

#[actix_web::test]
async fn preflight_with_two_origin_fields_is_refused() {
    let app = app!();
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/items/1")
        .append_header(("origin", APP))
        .append_header(("origin", APP))
        .insert_header(("access-control-request-method", "PUT"))
        .to_request();
    assert_refused(&send(&app, req).await, "several `Origin`");
}

#[actix_web::test]
async fn preflight_from_a_case_variant_origin_is_refused() {
    let app = app!();
    let res = send(
        &app,
        put_preflight("https://App.example.com", "content-type").to_request(),
    )
    .await;
    assert_refused(&res, "`https://App.example.com`");
}

#[actix_web::test]
async fn preflight_for_a_served_method_outside_the_policy_is_refused() {
    let app = app!();
    let res = send(&app, preflight("/narrow", APP, "POST").to_request()).await;
    assert_refused(&res, "method `POST` is not allowed (allowed methods: GET)");
}

#[actix_web::test]
async fn narrowed_methods_still_allow_the_listed_method() {
    let app = app!();
    let res = send(&app, preflight("/narrow", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-methods"), ["GET"]);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn lowercase_requested_method_is_not_answered_as_allowed() {
    // Methods are case-sensitive (RFC 9110 §9.1): `put` is not `PUT`.
    let app = app!();
    let req = preflight("/items/1", APP, "put").to_request();
    let res = send(&app, req).await;
    assert!(!res.status.is_success(), "status {}", res.status);
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn preflight_for_an_unlisted_header_is_refused() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, "content-type, x-other").to_request(),
    )
    .await;
    assert_refused(&res, "request header `x-other` is not allowed");
}

#[actix_web::test]
async fn preflight_for_a_malformed_header_name_is_refused() {
    let app = app!();
    let res = send(
        &app,
        put_preflight(APP, "content-type, x(bad)").to_request(),
    )
    .await;
    assert_refused(&res, "`x(bad)`, which is not a header name");
}

#[actix_web::test]
async fn preflight_for_a_header_name_with_inner_space_is_refused() {
    let app = app!();
    let res = send(&app, put_preflight(APP, "content type").to_request()).await;
    assert_refused(&res, "`content type`, which is not a header name");
}

#[actix_web::test]
async fn preflight_with_an_empty_requested_method_is_not_answered_as_allowed() {
    let app = app!();
    let res = send(&app, preflight("/items/1", APP, "").to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn private_network_request_is_refused_when_not_allowed() {
    let app = app!();
    let req = preflight("/bare", APP, "GET")
        .insert_header(("access-control-request-private-network", "true"))
        .to_request();
    assert_refused(&send(&app, req).await, "private network access");
}

#[actix_web::test]
async fn private_network_request_is_answered_when_allowed() {
    let app = app!();
    let req = preflight("/private", APP, "GET")
        .insert_header(("access-control-request-private-network", "true"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-private-network"), ["true"]);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY_PNA]);
}

/// The answer depends on `Access-Control-Request-Private-Network`, so a cache must keep the
/// two answers apart: `Vary` names it, whether it was asked or not, and on a refusal.
#[actix_web::test]
async fn private_network_is_not_answered_when_not_asked() {
    let app = app!();
    let res = send(&app, preflight("/private", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    res.assert_absent("access-control-allow-private-network");
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY_PNA]);
    let refused = preflight("/private", "https://evil.example", "GET")
        .insert_header(("access-control-request-private-network", "true"))
        .to_request();
    let res = send(&app, refused).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.all("vary"), [PREFLIGHT_VARY_PNA]);
}

// ---------------------------------------------------------------------------------------------
// SPEC §4 "Routed by path AND requested method": two handlers on one path with different
// policies each answer their own preflight, whatever the registration order (SPEC §6 order
// pitfall); a method nobody serves falls through to 404.
// ---------------------------------------------------------------------------------------------

async fn check_two_policies_on_one_path<S, R, B>(app: &S, make: impl Fn(TestRequest) -> R)
where
    S: actix_web::dev::Service<
        R,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    // GET → thing_a's policy.
    let res = send(app, make(preflight("/thing", "https://a.example", "GET"))).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["https://a.example"]
    );
    assert_eq!(res.all("access-control-allow-methods"), ["GET"]);
    res.assert_absent("access-control-allow-headers");
    // b's origin asking for GET is refused by a's policy.
    let res = send(app, make(preflight("/thing", "https://b.example", "GET"))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
    // DELETE → thing_b's policy.
    let req = preflight("/thing", "https://b.example", "DELETE")
        .insert_header(("access-control-request-headers", "x-b"));
    let res = send(app, make(req)).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["https://b.example"]
    );
    assert_eq!(res.all("access-control-allow-methods"), ["DELETE"]);
    assert_eq!(res.all("access-control-allow-headers"), ["x-b"]);
    // a's origin asking for DELETE is refused by b's policy.
    let res = send(
        app,
        make(preflight("/thing", "https://a.example", "DELETE")),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
}

#[actix_web::test]
async fn two_handlers_on_one_path_answer_their_own_preflights() {
    let app = init_service(App::new().service(thing_a).service(thing_b)).await;
    check_two_policies_on_one_path(&app, TestRequest::to_request).await;
}

#[actix_web::test]
async fn two_handlers_on_one_path_answer_their_own_preflights_in_reverse_order() {
    let app = init_service(App::new().service(thing_b).service(thing_a)).await;
    check_two_policies_on_one_path(&app, TestRequest::to_request).await;
}

#[actix_web::test]
async fn two_handlers_on_one_path_serve_their_own_actual_requests() {
    let app = init_service(App::new().service(thing_b).service(thing_a)).await;
    let res = send(
        &app,
        support::get("/thing", "https://a.example").to_request(),
    )
    .await;
    assert_eq!(res.text(), "a");
    assert_eq!(
        res.all("access-control-allow-origin"),
        ["https://a.example"]
    );
    // `thing_b`'s DELETE does not allow `https://a.example`: a write from it is refused before
    // the handler; from the same origin, the handler answers without CORS headers.
    let req = TestRequest::delete()
        .uri("/thing")
        .insert_header(("origin", "https://a.example"))
        .to_request();
    let res = support::send_fallible(&app, req).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_no_cors_headers();
    let req = TestRequest::delete()
        .uri("/thing")
        .insert_header(("origin", "https://a.example"))
        .insert_header(("sec-fetch-site", "same-origin"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.text(), "b");
    res.assert_no_cors_headers();
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn preflight_for_a_method_nobody_serves_on_the_path_is_not_allowed() {
    let app = app!();
    let res = send(
        &app,
        preflight("/thing", "https://a.example", "PATCH").to_request(),
    )
    .await;
    assert!(!res.status.is_success(), "status {}", res.status);
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_no_cors_headers();
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: `OPTIONS` without `Access-Control-Request-Method` is not a preflight (Fetch §4.8):
// it reaches the app's own routes untouched.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn options_without_request_method_reaches_the_apps_own_options_route() {
    let app = app!();
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/doc")
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "own options");
    assert_eq!(res.one("allow"), "GET, OPTIONS");
    res.assert_no_cors_headers();
    res.assert_absent("vary");
}

#[actix_web::test]
async fn options_with_origin_but_without_request_method_reaches_the_apps_own_options_route() {
    let app = app!();
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/doc")
        .insert_header(("origin", APP))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "own options");
    res.assert_no_cors_headers();
    res.assert_no_cors_log();
}

#[actix_web::test]
async fn real_preflight_on_a_path_with_an_own_options_route_is_answered_by_cors() {
    let app = app!();
    let res = send(&app, preflight("/doc", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(res.body.is_empty());
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn options_without_origin_is_not_a_preflight() {
    let app = app!();
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/doc")
        .insert_header(("access-control-request-method", "GET"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.text(), "own options");
    res.assert_no_cors_headers();
}

// ---------------------------------------------------------------------------------------------
// SPEC §3: `#[cors]` works with `#[route]`, `#[routes]`, `web::scope`, `#[scope]` modules, and
// keeps the route attribute's `name` and `guard` working.
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn route_with_two_methods_serves_both_with_cors() {
    let app = app!();
    for method in [Method::GET, Method::PUT] {
        let req = TestRequest::default()
            .method(method.clone())
            .uri("/r")
            .insert_header(("origin", APP))
            .to_request();
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::OK, "{method}");
        assert_eq!(res.text(), "r");
        assert_eq!(res.all("access-control-allow-origin"), [APP], "{method}");
    }
}

#[actix_web::test]
async fn routes_over_two_paths_announce_per_path_methods() {
    let app = app!();
    let res = send(&app, preflight("/two/a", APP, "DELETE").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-methods"), ["PUT, DELETE"]);
    let res = send(&app, preflight("/two/b", APP, "PUT").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-methods"), ["PUT"]);
    // DELETE is not served on /two/b: no preflight resource takes it.
    let res = send(&app, preflight("/two/b", APP, "DELETE").to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn route_with_two_methods_does_not_serve_a_third() {
    let app = app!();
    let req = TestRequest::post()
        .uri("/r")
        .insert_header(("origin", APP))
        .to_request();
    assert_eq!(send(&app, req).await.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn handler_in_web_scope_answers_preflight_and_actual_request() {
    let app = app!();
    let res = send(&app, preflight("/api/scoped", APP, "GET").to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("access-control-allow-credentials"), ["true"]);
    let res = send(&app, support::get("/api/scoped", APP).to_request()).await;
    assert_eq!(res.text(), "scoped");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
    assert_eq!(res.all("vary"), ["Origin"]);
}

#[actix_web::test]
async fn handler_in_scope_module_answers_preflight_and_actual_request() {
    let app = app!();
    let req =
        preflight("/v1/x", APP, "GET").insert_header(("access-control-request-headers", "x-v"));
    let res = send(&app, req.to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-headers"), ["x-v"]);
    let res = send(&app, support::get("/v1/x", APP).to_request()).await;
    assert_eq!(res.text(), "v1");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn route_name_still_works_with_url_for() {
    let app = app!();
    let res = send(&app, support::get("/named/1", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "http://localhost:8080/named/7");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn route_guard_still_applies() {
    let app = app!();
    let res = send(&app, support::get("/guarded", APP).to_request()).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let req = support::get("/guarded", APP)
        .insert_header(("x-token", "t"))
        .to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "guarded");
    assert_eq!(res.all("access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn preflight_is_answered_without_passing_the_route_guard() {
    // A preflight never carries the author's credentials or custom headers (Fetch §4.8).
    let app = app!();
    let req = preflight("/guarded", APP, "GET")
        .insert_header(("access-control-request-headers", "x-token"));
    let res = send(&app, req.to_request()).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.all("access-control-allow-headers"), ["x-token"]);
}

// The record of a refused preflight names the route, what was asked for (origin,
// method, headers) and what the policy allows.
#[actix_web::test]
async fn refused_preflight_log_names_route_request_and_policy() {
    let app = app!();
    let req = put_preflight(APP, "content-type,x-trace").to_request();
    let res = send(&app, req).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let record = res.assert_one_log_containing(&["/items/1"]);
    assert_eq!(
        record,
        format!(
            "CORS preflight refused for /items/1 (route `put_item`): origin `{APP}` asked for \
             method `PUT` with headers `content-type,x-trace`; request header `x-trace` is not \
             allowed (allowed headers: content-type, x-request-id)"
        )
    );
}
