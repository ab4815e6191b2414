//! The tenants example (`examples/tenants`) with its origins in PostgreSQL: the table and
//! trigger of [`cors_postgres::SCHEMA`], an admin endpoint that writes to it, a lookup that
//! asks it, and an [`OriginListener`] that makes the lookup forget each origin added or removed
//! when the change commits, in every instance listening. Served by `main.rs` and by this
//! package's test (`tests/tenants_postgres.rs`).
//!
//! The rules for a tenant's name and origin are the tenants example's
//! ([`tenants_example::app::check_tenant`], [`tenants_example::app::check_tenant_origin`]).
//! One difference: [`SCHEMA`](cors_postgres::SCHEMA)'s table is keyed by origin, so here an
//! origin is the front-end of one tenant (the column `tenant`, added by [`MIGRATION`]), where
//! the SQLite example lets several tenants share one.

#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::Duration;

use actix_route_cors::{cors, AlreadyInstalled, CorsFirst, LookupSettings, OriginLookup};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{delete, get, post, web, App, Error, HttpResponse, ResponseError};
use actix_web_httpauth::middleware::HttpAuthentication;
use cors_postgres::tokio_postgres::{self, Client, Config, NoTls};
use cors_postgres::OriginListener;
use tenants_example::app::{check_tenant, check_tenant_origin, validator, TenantOrigin};

pub use tenants_example::app::AdminToken;

/// The origins of every tenant's front-ends, as PostgreSQL has them.
pub static TENANTS: OriginLookup = OriginLookup::new("tenant origins in PostgreSQL");

/// How long an answer is reused without asking PostgreSQL while the listener is away (a lost
/// connection): while it listens, a change is applied when it commits, whatever this is.
pub const TTL: Duration = Duration::from_secs(60);
/// The same for a refusal.
pub const REFUSAL_TTL: Duration = Duration::from_secs(5);

/// The lookup's settings for a server: [`TTL`], [`REFUSAL_TTL`], the rest as the crate has it.
pub fn settings() -> LookupSettings {
    LookupSettings::default().ttl(TTL).refusal_ttl(REFUSAL_TTL)
}

/// Run after [`cors_postgres::SCHEMA`]: which tenant an origin is the front-end of.
pub const MIGRATION: &str = "ALTER TABLE cors_origins ADD COLUMN IF NOT EXISTS tenant text";

/// Connects (no TLS: see cors-postgres), its connection driven on the current runtime.
pub async fn connect(config: &Config) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(NoTls).await?;
    actix_web::rt::spawn(async move {
        if let Err(e) = connection.await {
            log::error!("PostgreSQL connection: {e}");
        }
    });
    Ok(client)
}

/// Creates the table and trigger of [`cors_postgres::SCHEMA`] and the column of [`MIGRATION`]
/// (both may run again).
pub async fn migrate(client: &Client) -> Result<(), tokio_postgres::Error> {
    client.batch_execute(cors_postgres::SCHEMA).await?;
    client.batch_execute(MIGRATION).await
}

/// Installs the lookup on `client`: once per process, before the first `App` is built.
pub fn install(client: Arc<Client>, settings: LookupSettings) -> Result<(), AlreadyInstalled> {
    TENANTS.install(settings, move |origin: String| {
        let client = Arc::clone(&client);
        async move {
            let row = client
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM cors_origins WHERE origin = $1)",
                    &[&origin],
                )
                .await?;
            row.try_get::<_, bool>(0)
        }
    })
}

/// The listener to spawn next to the lookup (`actix_web::rt::spawn(listener(config).run())`).
pub fn listener(config: Config) -> OriginListener {
    OriginListener::for_lookup(config, &TENANTS)
}

/// A query failed: the request answers `500`.
#[derive(Debug)]
pub struct DbError(tokio_postgres::Error);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostgreSQL: {}", self.0)
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

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        DbError(e)
    }
}

fn text(status: StatusCode, message: impl std::fmt::Display) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/plain; charset=utf-8")
        .body(format!("{message}\n"))
}

/// The API: a fixed list (the items are not the point here), for every tenant's front-ends.
#[cors(origins = TENANTS, credentials)]
#[get("/api/items")]
async fn list_items() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("cache-control", "no-store"))
        .json([(1, "tea"), (2, "cake")])
}

/// Registers a front-end origin for a tenant: `201`; `409` if it is registered already (for
/// this tenant or another); `400` for an origin the rules refuse. The listener of every
/// instance, this one included, forgets the origin when the insert commits.
#[post("/origins")]
async fn add_origin(
    client: web::Data<Client>,
    body: web::Json<TenantOrigin>,
) -> Result<HttpResponse, DbError> {
    if let Err(why) = check_tenant(&body.tenant).and_then(|()| check_tenant_origin(&body.origin)) {
        return Ok(text(StatusCode::BAD_REQUEST, why));
    }
    let inserted = client
        .execute(
            "INSERT INTO cors_origins (origin, tenant) VALUES ($1, $2) ON CONFLICT (origin) DO NOTHING",
            &[&body.origin, &body.tenant],
        )
        .await?;
    let (tenant, origin) = (&body.tenant, &body.origin);
    Ok(if inserted == 1 {
        log::info!("tenant `{tenant}` may now call the API from `{origin}`");
        text(
            StatusCode::CREATED,
            format_args!("tenant `{tenant}` may now call the API from `{origin}`"),
        )
    } else {
        text(
            StatusCode::CONFLICT,
            format_args!("`{origin}` is registered already (one tenant per origin)"),
        )
    })
}

/// Removes a tenant's front-end origin: `204`; `404` if it was not one. Every listening
/// instance refuses it as soon as the delete commits.
#[delete("/origins")]
async fn remove_origin(
    client: web::Data<Client>,
    body: web::Json<TenantOrigin>,
) -> Result<HttpResponse, DbError> {
    let deleted = client
        .execute(
            "DELETE FROM cors_origins WHERE origin = $1 AND tenant = $2",
            &[&body.origin, &body.tenant],
        )
        .await?;
    let (tenant, origin) = (&body.tenant, &body.origin);
    Ok(if deleted == 1 {
        log::info!("tenant `{tenant}` may no longer call the API from `{origin}`");
        HttpResponse::NoContent().finish()
    } else {
        text(
            StatusCode::NOT_FOUND,
            format_args!("tenant `{tenant}` has no origin `{origin}`"),
        )
    })
}

/// The tenants' origins, as `tenant origin` lines.
#[get("/origins")]
async fn list_origins(client: web::Data<Client>) -> Result<HttpResponse, DbError> {
    let rows = client
        .query(
            "SELECT coalesce(tenant, '-'), origin FROM cors_origins ORDER BY 1, 2",
            &[],
        )
        .await?;
    let lines: String = rows
        .iter()
        .map(|row| format!("{} {}\n", row.get::<_, String>(0), row.get::<_, String>(1)))
        .collect();
    Ok(text(StatusCode::OK, lines.trim_end()))
}

/// The app: the API (`#[cors]`, origins from [`TENANTS`], which must be installed) and the
/// admin endpoint behind the bearer token, `CorsFirst` last as in the tenants example.
pub fn app(
    client: Arc<Client>,
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
        .app_data(web::Data::from(client))
        .app_data(web::Data::new(admin_token))
        .service(list_items)
        .service(
            web::scope("/admin")
                .wrap(HttpAuthentication::bearer(validator))
                .service(add_origin)
                .service(remove_origin)
                .service(list_origins),
        )
        .wrap(CorsFirst::new())
}
