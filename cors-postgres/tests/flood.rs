//! A tenant's first visit during a flood of distinct unknown origins, with an `OriginLookup`
//! that asks PostgreSQL: at 10,000 unknown origins a second, every one a lookup, the lookups in
//! flight are the rate times a lookup's time, and once they reach `max_in_flight` an origin not
//! cached is refused as overloaded, a tenant's first visit too. This measures where that starts
//! (each lookup made slower by a set delay before its query). In-process, bounded (one second
//! per delay).
//!
//! ```text
//! cargo test --release -p cors-postgres --test flood -- --ignored --nocapture
//! ```
//!
//! With an `OriginSource` (the whole table in memory) no request waits for the database and
//! a tenant's first visit is allowed every time: `tests/source.rs`.

mod support;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_route_cors::{cors, LookupSettings, OriginLookup};
use actix_web::{get, test, App, HttpResponse, Responder};
use cors_postgres::SCHEMA;
use support::cluster::Cluster;
use support::connect;

static TENANTS: OriginLookup = OriginLookup::new("tenant origins in PostgreSQL (flood)");
/// The delay before each lookup's query, in microseconds.
static DELAY: AtomicU64 = AtomicU64::new(0);

#[cors(origins = TENANTS)]
#[get("/data")]
async fn data() -> impl Responder {
    HttpResponse::Ok().body("data")
}

const RATE: u32 = 10_000;
/// A tenant's first visit every this many flood requests (100 a second).
const TENANT_EVERY: u32 = 100;

#[actix_rt::test]
#[ignore = "a measurement: cargo test --release -p cors-postgres --test flood -- --ignored --nocapture"]
async fn a_tenants_first_visit_during_a_flood_of_unknown_origins() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let admin = connect(&cluster.config()).await;
    admin.batch_execute(SCHEMA).await.expect("the schema");
    admin
        .batch_execute(
            "INSERT INTO cors_origins SELECT 'https://tenant-' || r || '-' || k || '.example'
             FROM generate_series(0, 9) AS r, generate_series(0, 99) AS k",
        )
        .await
        .unwrap();
    let asker = Arc::new(connect(&cluster.config()).await);
    let settings = LookupSettings::default();
    TENANTS
        .install(settings, move |origin: String| {
            let asker = Arc::clone(&asker);
            async move {
                let delay = DELAY.load(Ordering::Relaxed);
                if delay > 0 {
                    actix_rt::time::sleep(Duration::from_micros(delay)).await;
                }
                let row = asker
                    .query_one(
                        "SELECT EXISTS (SELECT 1 FROM cors_origins WHERE origin = $1)",
                        &[&origin],
                    )
                    .await?;
                row.try_get::<_, bool>(0)
            }
        })
        .expect("installed once");
    let app = Rc::new(test::init_service(App::new().service(data)).await);
    println!(
        "{RATE} distinct unknown origins a second for 1 s, a tenant's first visit every {} ms; max_in_flight {}",
        1000 / (RATE / TENANT_EVERY),
        settings.max_in_flight
    );
    println!(
        "{:>14} {:>16} {:>17} {:>12}",
        "added delay", "tenants allowed", "flood overloaded", "peak flight"
    );
    for (round, delay_ms) in [0u64, 1, 2, 5, 10, 20].into_iter().enumerate() {
        TENANTS.clear();
        DELAY.store(delay_ms * 1000, Ordering::Relaxed);
        let before = TENANTS.stats();
        let allowed = Rc::new(Cell::new(0u32));
        let mut tasks = Vec::new();
        let mut peak = 0;
        let start = Instant::now();
        for i in 0..RATE {
            let due = Duration::from_micros(u64::from(i) * 1_000_000 / u64::from(RATE));
            if let Some(wait) = due.checked_sub(start.elapsed()) {
                if wait >= Duration::from_millis(1) {
                    actix_rt::time::sleep(wait).await;
                }
            }
            let origin = if i % TENANT_EVERY == 0 {
                format!("https://tenant-{round}-{}.example", i / TENANT_EVERY)
            } else {
                format!("https://flood-{round}-{i}.attacker.example")
            };
            let tenant = i % TENANT_EVERY == 0;
            let (app, allowed) = (Rc::clone(&app), Rc::clone(&allowed));
            tasks.push(actix_rt::spawn(async move {
                let request = test::TestRequest::get()
                    .uri("/data")
                    .insert_header(("origin", origin.as_str()))
                    .to_request();
                let response = test::call_service(&*app, request).await;
                if tenant
                    && response
                        .headers()
                        .contains_key("access-control-allow-origin")
                {
                    allowed.set(allowed.get() + 1);
                }
            }));
            if i % 100 == 0 {
                peak = peak.max(TENANTS.stats().in_flight);
                actix_rt::task::yield_now().await;
            }
        }
        for task in tasks {
            task.await.unwrap();
        }
        let after = TENANTS.stats();
        println!(
            "{:>11} ms {:>12}/{:<3} {:>17} {:>12}",
            delay_ms,
            allowed.get(),
            RATE / TENANT_EVERY,
            after.overloaded - before.overloaded,
            peak
        );
    }
}
