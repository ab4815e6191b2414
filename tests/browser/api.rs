//! The API under test: `#[cors]` endpoints, plus an App-level recorder of every request the
//! server saw (preflights included: the preflight resource is registered by `#[cors]` itself, so
//! only an App-level middleware sees it) and of the CORS headers it answered with.
//!
//! The pages live on fixed ports because an origin in `#[cors(origins = [..])]` is a literal that
//! includes the port; the API itself listens on an ephemeral port.

use actix_route_cors::{cors, cors_policy, OriginSource};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::{delete, error, get, patch, post, put, web, App, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Mutex;

/// The page origin most endpoints allow.
pub const PAGE_A: &str = "http://127.0.0.1:28461";
/// The same server as [`PAGE_A`] reached through another host name: another origin.
pub const PAGE_A_LOCALHOST: &str = "http://localhost:28461";
/// Differs from [`PAGE_A`] only by its port.
pub const PAGE_B: &str = "http://127.0.0.1:28462";
/// Allowed nowhere except on `origins = ["*"]`.
pub const PAGE_B_LOCALHOST: &str = "http://localhost:28462";
/// The ports of the two page servers (written into the origins above and in the attributes).
pub const PAGE_PORTS: [u16; 2] = [28461, 28462];

/// One request as the API server saw it and answered it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, as in the request line.
    pub target: String,
    pub origin: Option<String>,
    pub request_method: Option<String>,
    pub request_headers: Option<String>,
    pub cookie: Option<String>,
    /// `Sec-Fetch-Site` (Fetch Metadata), as the browser sent it.
    pub fetch_site: Option<String>,
    pub status: u16,
    pub allow_origin: Option<String>,
    pub allow_credentials: Option<String>,
    pub allow_methods: Option<String>,
    pub allow_headers: Option<String>,
    pub expose_headers: Option<String>,
    pub max_age: Option<String>,
    pub vary: Option<String>,
    /// The names of every response header (lowercase).
    pub header_names: Vec<String>,
}

static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

/// Every request the API answered whose query carries `t=<token>`, in order.
pub fn seen_with_token(token: &str) -> Vec<Seen> {
    let needle = format!("t={token}");
    let seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    seen.iter()
        .filter(|s| {
            s.target
                .split_once('?')
                .is_some_and(|(_, query)| query.split('&').any(|pair| pair == needle))
        })
        .cloned()
        .collect()
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    let mut values = headers.get_all(name).map(|v| {
        v.to_str()
            .map_or_else(|_| format!("{:?}", v.as_bytes()), str::to_owned)
    });
    let first = values.next()?;
    // Several fields are joined so that a duplicate shows up in an assertion.
    Some(values.fold(first, |all, v| format!("{all} | {v}")))
}

/// The App-level recorder (`.wrap_fn(record)`, outermost): what each request asked and what the
/// server answered, for [`seen_with_token`]. The browser suite's stack app is wrapped in it too.
///
/// An error (such as the `403` of a refused cross-origin write, which the route's middleware
/// returns as an `Err`) is recorded with the response it turns into, and passed on as it is.
pub fn record<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let h = req.headers();
    let method = req.method().to_string();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), |pq| pq.as_str().to_owned());
    let origin = header(h, "origin");
    let request_method = header(h, "access-control-request-method");
    let request_headers = header(h, "access-control-request-headers");
    let cookie = header(h, "cookie");
    let fetch_site = header(h, "sec-fetch-site");
    let fut = srv.call(req);
    async move {
        let result = fut.await;
        let (status, headers) = match &result {
            Ok(res) => (res.status(), res.headers().clone()),
            Err(e) => {
                let res = e.error_response();
                (res.status(), res.headers().clone())
            }
        };
        let h = &headers;
        let seen = Seen {
            method,
            target,
            origin,
            request_method,
            request_headers,
            cookie,
            fetch_site,
            status: status.as_u16(),
            allow_origin: header(h, "access-control-allow-origin"),
            allow_credentials: header(h, "access-control-allow-credentials"),
            allow_methods: header(h, "access-control-allow-methods"),
            allow_headers: header(h, "access-control-allow-headers"),
            expose_headers: header(h, "access-control-expose-headers"),
            max_age: header(h, "access-control-max-age"),
            vary: header(h, "vary"),
            header_names: h.keys().map(|n| n.as_str().to_owned()).collect(),
        };
        SEEN.lock().unwrap_or_else(|e| e.into_inner()).push(seen);
        result
    }
}

/// Registers every endpoint of the API, with the recorder outermost.
/// Origins from configuration, filled when the app is built (idempotent: every
/// worker builds its own `App`).
pub static PAGES: OriginSource = OriginSource::startup("browser test pages");

cors_policy!(
    /// A named policy whose origins come from [`PAGES`].
    PAGES_POLICY,
    origins = crate::api::PAGES,
    credentials,
    max_age = 0
);

/// A named policy with configured origins, plus the handler's own `headers`.
#[cors(policy = PAGES_POLICY, headers = ["content-type"])]
#[put("/orders/{id}")]
async fn update_order(id: web::Path<u32>, item: web::Json<Item>) -> HttpResponse {
    HttpResponse::Ok().body(format!("order {} name={}", id.into_inner(), item.name))
}

pub fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    PAGES.set([PAGE_A]).expect("valid origins");
    App::new()
        .wrap_fn(record)
        .service(list_items)
        .service(plain)
        .service(public)
        .service(me)
        .service(put_item)
        .service(delete_item)
        .service(with_header)
        .service(any_header)
        .service(echo)
        .service(number)
        .service(fail)
        .service(old_items)
        .service(profile)
        .service(cached)
        .service(uncached)
        .service(ttl2)
        .service(ttl_default)
        .service(expose_all)
        .service(cacheable)
        .service(update_order)
        .service(write)
        .service(form)
        .configure(crate::websocket_app::routes)
}

/// A list with one exposed header (`x-total`) and one that is not (`x-secret`).
#[cors(
    origins = ["http://127.0.0.1:28461", "http://localhost:28461"],
    expose = ["x-total"]
)]
#[get("/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-total", "42"))
        .insert_header(("x-secret", "hidden"))
        .content_type("application/json")
        .body("[1,2,3]")
}

/// No `#[cors]`: the control case.
#[get("/plain")]
async fn plain() -> HttpResponse {
    HttpResponse::Ok().body("plain")
}

/// Anyone may read it, without credentials.
#[cors(origins = ["*"])]
#[get("/public")]
async fn public() -> HttpResponse {
    HttpResponse::Ok().body("public data")
}

/// Credentialed: sets the cookie `c_<t>` when it is missing, and says whether it came back.
#[cors(origins = ["http://127.0.0.1:28461"], credentials)]
#[get("/me")]
async fn me(req: HttpRequest) -> HttpResponse {
    let token = token_of(&req);
    let name = format!("c_{token}");
    let sent = req
        .headers()
        .get_all("cookie")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim() == format!("{name}=1"));
    if sent {
        HttpResponse::Ok().body(format!("cookie {name} came back"))
    } else {
        HttpResponse::Ok()
            .insert_header(("set-cookie", format!("{name}=1; Path=/")))
            .body("no cookie yet")
    }
}

fn token_of(req: &HttpRequest) -> String {
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("t="))
        .unwrap_or("none")
        .to_owned()
}

#[derive(Debug, Serialize, Deserialize)]
struct Item {
    name: String,
    qty: u32,
}

/// PUT and DELETE on one path, each with its own policy (and so its own allowed origin).
#[cors(
    origins = ["http://127.0.0.1:28461"],
    methods = [PUT],
    headers = ["content-type", "x-request-id"]
)]
#[put("/items/{id}")]
async fn put_item(req: HttpRequest, id: web::Path<u32>, item: web::Json<Item>) -> HttpResponse {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    HttpResponse::Ok().body(format!(
        "put {} name={} qty={} request-id={request_id}",
        id.into_inner(),
        item.name,
        item.qty
    ))
}

#[cors(origins = ["http://localhost:28461"])]
#[delete("/items/{id}")]
async fn delete_item(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("deleted {}", id.into_inner()))
}

/// One allowed custom request header; its value is echoed.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["x-request-id"])]
#[get("/with-header")]
async fn with_header(req: HttpRequest) -> HttpResponse {
    let value = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    HttpResponse::Ok().body(format!("x-request-id={value}"))
}

/// `headers = ["*"]`: any request header except `authorization`.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["*"])]
#[get("/any-header")]
async fn any_header(req: HttpRequest) -> HttpResponse {
    let value = req
        .headers()
        .get("x-anything")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    HttpResponse::Ok().body(format!("x-anything={value}"))
}

/// A JSON body: the `web::Json` extractor answers 400 to bad JSON or another content type.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["content-type"])]
#[post("/echo")]
async fn echo(item: web::Json<Item>) -> HttpResponse {
    HttpResponse::Ok().json(item.into_inner())
}

/// `web::Path<u32>`: anything but a number is a 404 from the extractor.
#[cors(origins = ["http://127.0.0.1:28461"])]
#[get("/num/{n}")]
async fn number(n: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("n={}", n.into_inner()))
}

/// The handler fails.
#[cors(origins = ["http://127.0.0.1:28461"])]
#[get("/fail")]
async fn fail() -> Result<HttpResponse, actix_web::Error> {
    Err(error::ErrorConflict("version conflict"))
}

/// A redirect to `/items` (same query).
#[cors(origins = ["http://127.0.0.1:28461"])]
#[get("/old-items")]
async fn old_items(req: HttpRequest) -> HttpResponse {
    HttpResponse::TemporaryRedirect()
        .insert_header(("location", format!("/items?{}", req.query_string())))
        .finish()
}

/// Credentialed and preflighted (PATCH is not a CORS-safelisted method).
#[cors(
    origins = ["http://127.0.0.1:28461"],
    headers = ["content-type"],
    credentials
)]
#[patch("/profile")]
async fn profile() -> HttpResponse {
    HttpResponse::Ok().body("patched")
}

/// Preflight results may be cached for 600 s.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["x-request-id"], max_age = 600)]
#[put("/cached/{id}")]
async fn cached(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("cached {}", id.into_inner()))
}

/// `Access-Control-Max-Age: 0`: every preflighted request needs its own preflight.
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["x-request-id"], max_age = 0)]
#[put("/uncached/{id}")]
async fn uncached(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("uncached {}", id.into_inner()))
}

/// `Access-Control-Max-Age: 2`: a preflight kept 2 s (`cache.rs` times it).
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["x-request-id"], max_age = 2)]
#[put("/ttl2/{id}")]
async fn ttl2(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("ttl2 {}", id.into_inner()))
}

/// No `Access-Control-Max-Age`: browsers keep the preflight 5 s (`cache.rs` times it).
#[cors(origins = ["http://127.0.0.1:28461"], headers = ["x-request-id"])]
#[put("/ttl-default/{id}")]
async fn ttl_default(id: web::Path<u32>) -> HttpResponse {
    HttpResponse::Ok().body(format!("ttl-default {}", id.into_inner()))
}

/// `expose = ["*"]`: every response header is readable (no credentials).
#[cors(origins = ["http://127.0.0.1:28461"], expose = ["*"])]
#[get("/expose-all")]
async fn expose_all() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-a", "1"))
        .insert_header(("x-b", "2"))
        .body("all exposed")
}

/// Cacheable for 600 s, readable from two origins of one site (127.0.0.1, whatever the port),
/// which share Chromium's HTTP cache: only `Vary: Origin` keeps one origin's cached answer (with
/// its `Access-Control-Allow-Origin`) from being served to the other.
#[cors(origins = ["http://127.0.0.1:28461", "http://127.0.0.1:28462"])]
#[get("/cacheable")]
async fn cacheable(req: HttpRequest) -> HttpResponse {
    let origin = req
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    HttpResponse::Ok()
        .insert_header(("cache-control", "max-age=600"))
        .body(format!("answered for {origin}"))
}

/// How many times [`write`] ran, by token (`t=<token>`).
static WRITES: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());

/// How many times the handler of `POST /write` ran for requests with `t=<token>`.
pub fn writes_with_token(token: &str) -> usize {
    let writes = WRITES.lock().unwrap_or_else(|e| e.into_inner());
    writes.get(token).copied().unwrap_or(0)
}

/// A write (cross-origin writes are refused before the handler runs, except from the allowed
/// origin): counts its runs by token, for [`writes_with_token`].
#[cors(origins = ["http://127.0.0.1:28461"])]
#[post("/write")]
async fn write(req: HttpRequest) -> HttpResponse {
    let token = token_of(&req);
    *WRITES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(token.clone())
        .or_default() += 1;
    HttpResponse::Ok().body(format!("written {token}"))
}

/// No `#[cors]`: a page of the API's own origin with a form that posts to `/write` (same
/// origin), with this request's token.
#[get("/form")]
async fn form(req: HttpRequest) -> HttpResponse {
    let token = token_of(&req);
    // Case names: nothing to escape in HTML or in a query.
    if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return HttpResponse::BadRequest().body("t must be a case name");
    }
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <link rel=\"icon\" href=\"data:,\"><title>form</title></head><body>\
             <form id=\"write\" method=\"post\" action=\"/write?t={token}\">\
             <input name=\"x\" value=\"1\"></form></body></html>"
        ))
}
