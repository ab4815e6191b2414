//! `origins = NAME` names a function, an `OriginLookup` or an `OriginSource`, in `#[cors]`
//! and in `cors_policy!`.
use std::time::Duration;

use actix_route_cors::{cors, cors_policy, LookupSettings, OriginLookup, OriginSource};
use actix_web::dev::RequestHead;
use actix_web::{get, post, App, HttpResponse};

fn by_host(origin: &str, head: &RequestHead) -> bool {
    head.headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| origin.ends_with(host))
}

static TENANTS: OriginLookup = OriginLookup::new("tenant origins");
static PARTNERS: OriginSource = OriginSource::env("PARTNER_ORIGINS");

#[cors(origins = by_host, credentials)]
#[get("/by-host")]
async fn host_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = TENANTS, credentials)]
#[post("/tenant")]
async fn tenant_route() -> HttpResponse {
    HttpResponse::Ok().finish()
}

mod policies {
    actix_route_cors::cors_policy!(pub(crate) HOSTED, origins = crate::by_host, credentials);
}

cors_policy!(TENANT, origins = crate::TENANTS);

#[cors(policy = policies::HOSTED)]
#[get("/hosted")]
async fn hosted() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(policy = TENANT)]
#[get("/tenant")]
async fn tenant_get() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = PARTNERS)]
#[get("/partners")]
async fn partners() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    TENANTS
        .install(
            LookupSettings::default().ttl(Duration::from_secs(30)),
            |origin: String| async move { Ok::<_, std::io::Error>(origin.len() < 64) },
        )
        .unwrap();
    let _ = App::new()
        .service(host_route)
        .service(tenant_route)
        .service(hosted)
        .service(tenant_get)
        .service(partners);
}
