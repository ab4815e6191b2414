//! Tenant origins kept in PostgreSQL, every change pushed to every instance of the server at
//! once, for [actix-route-cors](https://docs.rs/actix-route-cors).
//!
//! An [`OriginLookup`](cors_runtime::OriginLookup) caches each answer for its `ttl`: without
//! this crate, an origin removed from the database stays allowed on the other instances until
//! their cached answer expires. Here each instance runs an [`OriginListener`]: a connection
//! that `LISTEN`s on a channel, to which a trigger on the origins table sends each origin
//! added or removed (`NOTIFY`, delivered when the transaction commits); the listener makes the
//! lookup forget that origin at once.
//!
//! # Set up
//! Run [`SCHEMA`] once (the table, the trigger), then start a listener next to the lookup:
//!
//! ```no_run
//! use actix_route_cors::{cors, LookupSettings, OriginLookup};
//! use actix_web::{get, App, HttpResponse, HttpServer, Responder};
//! use cors_postgres::OriginListener;
//!
//! static TENANTS: OriginLookup = OriginLookup::new("tenant origins in PostgreSQL");
//!
//! #[cors(origins = TENANTS, credentials)]
//! #[get("/api/me")]
//! async fn me() -> impl Responder {
//!     HttpResponse::Ok().body("{}")
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let config: cors_postgres::tokio_postgres::Config = "host=127.0.0.1 user=app dbname=app"
//!         .parse()
//!         .expect("a PostgreSQL connection string");
//!     # async fn query_the_table(_: &str) -> Result<bool, std::io::Error> { Ok(false) }
//!     TENANTS
//!         .install(LookupSettings::default(), |origin: String| async move {
//!             query_the_table(&origin).await // SELECT EXISTS (.. WHERE origin = $1)
//!         })
//!         .expect("installed once");
//!     actix_web::rt::spawn(OriginListener::for_lookup(config, &TENANTS).run());
//!     HttpServer::new(|| App::new().service(me))
//!         .bind(("127.0.0.1", 8080))?
//!         .run()
//!         .await
//! }
//! ```
//!
//! # A whole allowlist in memory
//! When the table fits in memory (100,000 origins take about 45 MB per instance),
//! [`OriginListener::for_source`] keeps an [`OriginSource`](cors_runtime::OriginSource) equal
//! to it instead: read with [`ALL_ORIGINS`] when the listener connects, then each notified
//! origin inserted or removed. A request then never waits for the database, and a flood of
//! unknown origins cannot crowd a tenant out (a lookup refuses an uncached origin once
//! `max_in_flight` lookups are in flight). The repository's `BENCHMARKS.md` has both measured
//! across four instances.
//!
//! # What it guarantees
//! - **A change reaches every listening instance when it commits**: the instance forgets the
//!   origin's cached answer when the notification arrives (a lookup in flight at that moment
//!   answers its waiting requests and is not cached), so its next request asks the database.
//! - **Nothing missed across a lost connection**: when the connection drops (a restart of
//!   PostgreSQL, `pg_terminate_backend`, a network cut noticed by the
//!   [heartbeat](OriginListener::heartbeat)), the instance falls back to the lookup's own
//!   times (`ttl`, `refusal_ttl`), connects again after a bounded, jittered
//!   [wait](OriginListener::backoff), and once listening again forgets every cached answer,
//!   since it may have missed changes. An origin set stays as it was meanwhile, and is read
//!   again whole once the listener is back.
//! - **Bounded**: at most 4,096 notifications wait to be applied; beyond that the listener
//!   drops them and forgets every answer, as after a reconnection.
//! - Its errors are logged (target `actix_route_cors`), never a panic; its
//!   [status](OriginListener::status) tells a health check whether it is listening.
//!
//! PostgreSQL folds identical notifications of one transaction into one; the trigger of
//! [`SCHEMA`] numbers each change so that none is folded (a transaction that adds, removes and
//! adds an origin must leave an origin set with it). A trigger of your own should do the same.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod backoff;
mod change;
mod listener;
mod schema;
mod status;
mod target;

pub use listener::OriginListener;
pub use schema::{ALL_ORIGINS, CHANNEL, SCHEMA};
pub use status::ListenerStatus;
pub use tokio_postgres;
