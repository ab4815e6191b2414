//! The tenants API: its routes, the CORS lookup that asks the database, and the admin
//! endpoint that registers a tenant's front-end origin while the server runs.
//!
//! Served by `main.rs`, by this package's test (`tests/tenants.rs`) and by the browser suite
//! (`tests/browser`, through this package's library).

use std::time::Duration;

use actix_route_cors::rules::{check_origin, OriginSpec};
use actix_route_cors::{cors, AlreadyInstalled, CorsFirst, LookupSettings, OriginLookup};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::BlockingError;
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::http::StatusCode;
use actix_web::{delete, error, get, post, web, App, Error, HttpResponse, ResponseError};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use serde::Deserialize;

use crate::db::{Added, Db};

/// The origins of every tenant's front-ends, as the database has them.
pub static TENANTS: OriginLookup = OriginLookup::new("tenant origins in SQLite");

/// How long an allowed origin is reused without asking the database: the longest another
/// process keeps allowing an origin that was removed.
pub const TTL: Duration = Duration::from_secs(60);
/// How long a refused origin is reused without asking the database: the longest another
/// process keeps refusing an origin that was added (the process that added it calls
/// `TENANTS.forget`, and allows it at once). Short, because a tenant who has just registered
/// a front-end tries it at once; long enough that a page hammering the API from an unknown
/// origin costs one query per 5 s, not one per request.
pub const REFUSAL_TTL: Duration = Duration::from_secs(5);

/// The lookup's settings for a server: [`TTL`], [`REFUSAL_TTL`], the rest as the crate has it
/// (a 2 s time limit per query, at most 10,000 answers cached, 64 queries in flight).
pub fn settings() -> LookupSettings {
    LookupSettings::default().ttl(TTL).refusal_ttl(REFUSAL_TTL)
}

/// Installs the lookup on `db`: once per process, before the first `App` is built.
pub fn install(db: &Db, settings: LookupSettings) -> Result<(), AlreadyInstalled> {
    let db = db.clone();
    TENANTS.install(settings, move |origin: String| {
        is_registered(db.clone(), origin)
    })
}

/// The lookup's question: is `origin` the front-end of a tenant? Asked on the blocking thread
/// pool (SQLite blocks); an `Err` refuses the origin, and the crate logs it.
pub async fn is_registered(db: Db, origin: String) -> Result<bool, DbError> {
    blocking(move || db.is_registered(&origin)).await
}

/// A query failed (or its thread pool is gone): the request answers `500`.
#[derive(Debug)]
pub enum DbError {
    Sql(rusqlite::Error),
    Blocking(BlockingError),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sql(e) => write!(f, "SQLite: {e}"),
            DbError::Blocking(e) => write!(f, "no thread to query the database on: {e}"),
        }
    }
}

impl ResponseError for DbError {
    fn status_code(&self) -> StatusCode {
        StatusCode::INTERNAL_SERVER_ERROR
    }
    fn error_response(&self) -> HttpResponse {
        log::error!("database error: {self}");
        text(StatusCode::INTERNAL_SERVER_ERROR, "database error")
    }
}

/// Runs a query on actix-web's blocking thread pool.
async fn blocking<T, F>(query: F) -> Result<T, DbError>
where
    F: FnOnce() -> rusqlite::Result<T> + Send + 'static,
    T: Send + 'static,
{
    web::block(query)
        .await
        .map_err(DbError::Blocking)?
        .map_err(DbError::Sql)
}

/// The bearer token of `/admin` (a secret: `TENANTS_ADMIN_TOKEN` in `main.rs`).
#[derive(Clone)]
pub struct AdminToken(pub String);

/// A plain-text answer: `message` and a newline.
fn text(status: StatusCode, message: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(format!("{message}\n"))
}

// ---- the API: origins from the database ------------------------------------------------------

/// The items, for the front-ends of every tenant, with their cookies.
#[cors(origins = TENANTS, credentials)]
#[get("/api/items")]
async fn list_items(db: web::Data<Db>) -> Result<HttpResponse, DbError> {
    let db = db.get_ref().clone();
    let items = blocking(move || db.items()).await?;
    Ok(HttpResponse::Ok()
        // Per user (credentials): no cache keeps it.
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .json(items))
}

#[derive(Deserialize)]
struct NewItem {
    name: String,
}

/// A write: a JSON body, so browsers send a preflight, which the lookup answers too.
#[cors(origins = TENANTS, credentials, headers = ["content-type"])]
#[post("/api/items")]
async fn create_item(db: web::Data<Db>, item: web::Json<NewItem>) -> Result<HttpResponse, Error> {
    let name = item.into_inner().name;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Ok(text(
            StatusCode::BAD_REQUEST,
            "an item's name has 1 to 100 characters",
        ));
    }
    let db = db.get_ref().clone();
    let item = blocking(move || db.add_item(&name)).await?;
    Ok(HttpResponse::Created().json(item))
}

// ---- the admin endpoint: tenants' origins, changed while the server runs ---------------------

/// The body of `POST` and `DELETE /admin/origins`.
#[derive(Deserialize)]
pub struct TenantOrigin {
    pub tenant: String,
    pub origin: String,
}

/// Why `origin` cannot be a tenant's front-end, by the rules `#[cors]` applies to the origins
/// written in its attributes (the lookup compares the `Origin` byte for byte, so an origin
/// those rules refuse would never match), and a few more: a tenant registers its own
/// front-ends, one exact origin each.
pub fn check_tenant_origin(origin: &str) -> Result<(), String> {
    match check_origin(origin) {
        // The rules bound a host to 253 bytes: an origin they accept is never longer than
        // `MAX_ASKED_ORIGIN_LEN`, the longest `Origin` the lookup is asked about.
        // The tenants' routes allow credentials: a plain-HTTP front-end off loopback would let
        // anyone on its network path read them (the rule `#[cors]` applies to written origins).
        Ok(spec @ OriginSpec::Exact(_)) if spec.is_plain_http_off_loopback() => Err(format!(
            "`{origin}` is a plain-HTTP origin, and the tenants' routes allow credentials: anyone \
             on the network path to that host could run script in its pages and read them; \
             register its https:// origin"
        )),
        Ok(OriginSpec::Exact(_)) => Ok(()),
        Ok(OriginSpec::Any) => Err(
            "`*` is not a tenant origin: a tenant registers its own front-ends, one origin each"
                .to_owned(),
        ),
        Ok(OriginSpec::Null) => Err(
            "`null` is not a tenant origin: it is the opaque origin of sandboxed documents \
             and `file:` pages, which any page can take on"
                .to_owned(),
        ),
        Ok(OriginSpec::Subdomains { .. } | OriginSpec::AnyPort { .. }) => Err(format!(
            "`{origin}` is a pattern, but the lookup compares the `Origin` exactly: register \
             each front-end's origin"
        )),
        Err(violation) => Err(violation.to_string()),
    }
}

/// A tenant's name: 1 to 64 lowercase ASCII letters, digits and `-`.
pub fn check_tenant(tenant: &str) -> Result<(), String> {
    let valid = (1..=64).contains(&tenant.len())
        && tenant
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "tenant {tenant:?}: a tenant's name has 1 to 64 lowercase letters, digits and `-`"
        ))
    }
}

/// Registers a front-end origin for a tenant: `201`; `409` if it had it; `400` for an origin
/// the rules refuse.
#[post("/origins")]
async fn add_origin(
    db: web::Data<Db>,
    body: web::Json<TenantOrigin>,
) -> Result<HttpResponse, DbError> {
    if let Err(why) = check_tenant(&body.tenant).and_then(|()| check_tenant_origin(&body.origin)) {
        return Ok(text(StatusCode::BAD_REQUEST, why));
    }
    let TenantOrigin { tenant, origin } = body.into_inner();
    let db = db.get_ref().clone();
    let (t, o) = (tenant.clone(), origin.clone());
    match blocking(move || db.add_origin(&t, &o)).await? {
        Added::Added => {
            // After the commit: this process's next request from `origin` asks the database
            // again (instead of reusing a cached refusal), and is allowed. The other processes
            // reuse their refusal until it expires, REFUSAL_TTL at most. (A lookup of this
            // origin already in flight here, started before the commit, is not cancelled by
            // `forget`: in that rare case its refusal is kept for REFUSAL_TTL here too.)
            TENANTS.forget(&origin);
            log::info!("tenant `{tenant}` may now call the API from `{origin}`");
            Ok(text(
                StatusCode::CREATED,
                format_args!("tenant `{tenant}` may now call the API from `{origin}`"),
            ))
        }
        Added::AlreadyThere => Ok(text(
            StatusCode::CONFLICT,
            format_args!("tenant `{tenant}` has the origin `{origin}` already"),
        )),
    }
}

/// Removes a tenant's front-end origin: `204`; `404` if it was not one. This process refuses
/// it at once (if no other tenant has it); the others allow it until their cached answer
/// expires, [`TTL`] at most.
#[delete("/origins")]
async fn remove_origin(
    db: web::Data<Db>,
    body: web::Json<TenantOrigin>,
) -> Result<HttpResponse, DbError> {
    let TenantOrigin { tenant, origin } = body.into_inner();
    let db = db.get_ref().clone();
    let (t, o) = (tenant.clone(), origin.clone());
    if blocking(move || db.remove_origin(&t, &o)).await? {
        TENANTS.forget(&origin);
        log::info!("tenant `{tenant}` may no longer call the API from `{origin}`");
        Ok(HttpResponse::NoContent().finish())
    } else {
        Ok(text(
            StatusCode::NOT_FOUND,
            format_args!("tenant `{tenant}` has no origin `{origin}`"),
        ))
    }
}

/// The tenants' origins, as `tenant origin` lines.
#[get("/origins")]
async fn list_origins(db: web::Data<Db>) -> Result<HttpResponse, DbError> {
    let db = db.get_ref().clone();
    let origins = blocking(move || db.origins()).await?;
    let lines: String = origins
        .iter()
        .map(|(tenant, origin)| format!("{tenant} {origin}\n"))
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(lines))
}

/// The admin scope's bearer-token check (for `HttpAuthentication::bearer`): the token must be
/// the app's [`AdminToken`]. Shared with the PostgreSQL sibling (`examples/tenants-postgres`).
pub async fn validator(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    let expected = req.app_data::<web::Data<AdminToken>>().map(|t| t.0.clone());
    match expected {
        Some(expected) if same_secret(credentials.token(), &expected) => Ok(req),
        _ => Err((error::ErrorUnauthorized("invalid token\n"), req)),
    }
}

/// Compares two secrets in a time that depends on their lengths only.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The app: the API (`#[cors]`, origins from [`TENANTS`], which must be installed) and the
/// admin endpoint behind the bearer token. `CorsFirst` is its last `wrap`, as for any app with
/// authentication: the admin scope's has no `#[cors]` route today, but one added there later
/// would have its preflights answered before the token is asked for.
pub fn app(
    db: Db,
    admin_token: AdminToken,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(db))
        .app_data(web::Data::new(admin_token))
        .service(list_items)
        .service(create_item)
        .service(
            web::scope("/admin")
                .wrap(HttpAuthentication::bearer(validator))
                .service(add_origin)
                .service(remove_origin)
                .service(list_origins),
        )
        .wrap(CorsFirst::new())
}
