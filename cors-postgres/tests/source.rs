//! An `OriginSource` kept equal to a PostgreSQL table by the listener: 100,000 origins loaded
//! at start-up, each change applied when it commits, a removal made while the listener was cut
//! off applied when it is back, and a tenant's first visit allowed during a flood of unknown
//! origins (nothing waits for the database).

mod support;

use std::time::{Duration, Instant};

use actix_route_cors::{cors, OriginSource};
use actix_web::{get, test, App, HttpResponse, Responder};
use cors_postgres::{OriginListener, ALL_ORIGINS, SCHEMA};
use support::cluster::Cluster;
use support::{connect, within};

static TENANTS: OriginSource = OriginSource::startup("tenant origins in PostgreSQL (test)");

#[cors(origins = TENANTS)]
#[get("/data")]
async fn data() -> impl Responder {
    HttpResponse::Ok().body("data")
}

const SECOND: Duration = Duration::from_secs(1);
const TENANT_COUNT: usize = 100_000;

#[actix_rt::test]
async fn a_table_of_100000_origins_is_followed_change_by_change() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let admin = connect(&cluster.config()).await;
    admin.batch_execute(SCHEMA).await.expect("the schema");
    admin
        .batch_execute(&format!(
            "INSERT INTO cors_origins SELECT 'https://tenant-' || i || '.example' FROM generate_series(1, {TENANT_COUNT}) AS i;
             INSERT INTO cors_origins VALUES ('https://*.preview.example'), ('https://Bad.example');"
        ))
        .await
        .unwrap();

    let mut config = cluster.config();
    config.application_name("cors-listener");
    let listener = OriginListener::for_source(config, &TENANTS, ALL_ORIGINS)
        .backoff(Duration::from_millis(20), Duration::from_millis(200))
        .heartbeat(Duration::from_millis(500));
    let status = listener.status();
    let started = Instant::now();
    actix_rt::spawn(listener.run());
    let loaded = within(60 * SECOND, || async { status.is_listening() }).await;
    println!(
        "{TENANT_COUNT} origins loaded in {:?}",
        loaded.map(|_| started.elapsed())
    );
    assert!(loaded.is_some());
    // The bad entry is left out; the others are all there.
    assert_eq!(TENANTS.origins().unwrap().len(), TENANT_COUNT + 1);

    let app = test::init_service(App::new().service(data)).await;
    let allowed = |origin: String| {
        let request = test::TestRequest::get()
            .uri("/data")
            .insert_header(("origin", origin.as_str()))
            .to_request();
        let app = &app;
        async move {
            let response = test::call_service(app, request).await;
            response
                .headers()
                .get("access-control-allow-origin")
                .is_some_and(|v| v.as_bytes() == origin.as_bytes())
        }
    };
    assert!(allowed("https://tenant-1.example".into()).await);
    assert!(allowed("https://tenant-100000.example".into()).await);
    assert!(allowed("https://pr-1.preview.example".into()).await);
    assert!(!allowed("https://tenant-100001.example".into()).await);

    // Each change is applied when it commits.
    admin
        .execute(
            "INSERT INTO cors_origins VALUES ('https://new.example')",
            &[],
        )
        .await
        .unwrap();
    let took = within(SECOND, || allowed("https://new.example".into())).await;
    println!("added origin allowed after {took:?}");
    assert!(took.is_some());
    admin
        .execute(
            "DELETE FROM cors_origins WHERE origin = 'https://tenant-7.example'",
            &[],
        )
        .await
        .unwrap();
    let took = within(SECOND, || async {
        !allowed("https://tenant-7.example".into()).await
    })
    .await;
    println!("removed origin refused after {took:?}");
    assert!(took.is_some());

    // A transaction that adds, removes and adds an origin leaves it allowed: the trigger numbers
    // each change, so that PostgreSQL does not fold the two identical additions into one.
    let changes = status.changes();
    admin
        .batch_execute(
            "BEGIN;
             INSERT INTO cors_origins VALUES ('https://twice.example');
             DELETE FROM cors_origins WHERE origin = 'https://twice.example';
             INSERT INTO cors_origins VALUES ('https://twice.example');
             COMMIT;",
        )
        .await
        .unwrap();
    assert!(within(SECOND, || async { status.changes() == changes + 3 })
        .await
        .is_some());
    assert!(allowed("https://twice.example".into()).await);

    // A removal made while the listener is cut off is applied when it is back.
    let sessions = status.sessions();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cors-listener'",
            &[],
        )
        .await
        .unwrap();
    admin
        .execute(
            "DELETE FROM cors_origins WHERE origin = 'https://tenant-8.example'",
            &[],
        )
        .await
        .unwrap();
    assert!(
        within(20 * SECOND, || async { status.sessions() > sessions })
            .await
            .is_some()
    );
    assert!(!allowed("https://tenant-8.example".into()).await);
    assert!(allowed("https://tenant-9.example".into()).await);

    // A flood of distinct unknown origins (10,000 a second, for one second) does not keep a
    // tenant out: every tenant's first visit during it is allowed.
    let flood_start = Instant::now();
    let mut first_visits = 0;
    for i in 0..10_000u32 {
        assert!(!allowed(format!("https://flood-{i}.attacker.example")).await);
        if i % 100 == 0 {
            let tenant = format!("https://tenant-{}.example", 1000 + i / 100);
            assert!(
                allowed(tenant).await,
                "a tenant's first visit during the flood"
            );
            first_visits += 1;
        }
        // 10,000 a second at most.
        let due = Duration::from_micros(100 * u64::from(i));
        if let Some(wait) = due.checked_sub(flood_start.elapsed()) {
            actix_rt::time::sleep(wait).await;
        }
    }
    println!(
        "flood: 10,000 unknown origins in {:?}, {first_visits} tenants' first visits all allowed",
        flood_start.elapsed()
    );
}
