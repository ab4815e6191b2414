//! An `OriginLookup` kept current by the listener, against a real PostgreSQL: a change is
//! applied when it commits; a listener cut off (`pg_terminate_backend`, a restart of the
//! server) connects again and misses nothing.

mod support;

use std::sync::Arc;
use std::time::Duration;

use actix_route_cors::{cors, LookupSettings, OriginLookup};
use actix_web::{get, test, App, HttpResponse, Responder};
use cors_postgres::{OriginListener, SCHEMA};
use support::cluster::Cluster;
use support::{connect, within};

static TENANTS: OriginLookup = OriginLookup::new("tenant origins in PostgreSQL (test)");

#[cors(origins = TENANTS)]
#[get("/data")]
async fn data() -> impl Responder {
    HttpResponse::Ok().body("data")
}

/// Long enough that only the listener can make a change visible within the test.
const HOUR: Duration = Duration::from_secs(3600);
const SECOND: Duration = Duration::from_secs(1);

#[actix_rt::test]
async fn changes_are_applied_when_they_commit_and_none_is_missed_across_reconnections() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let admin = connect(&cluster.config()).await;
    admin.batch_execute(SCHEMA).await.expect("the schema");

    let asker = Arc::new(connect(&cluster.config()).await);
    TENANTS
        .install(
            LookupSettings::default().ttl(HOUR).refusal_ttl(HOUR),
            move |origin: String| {
                let asker = Arc::clone(&asker);
                async move {
                    let row = asker
                        .query_one(
                            "SELECT EXISTS (SELECT 1 FROM cors_origins WHERE origin = $1)",
                            &[&origin],
                        )
                        .await?;
                    row.try_get::<_, bool>(0)
                }
            },
        )
        .expect("installed once");
    let mut config = cluster.config();
    config.application_name("cors-listener");
    let listener = OriginListener::for_lookup(config, &TENANTS)
        .backoff(Duration::from_millis(20), Duration::from_millis(200))
        .heartbeat(Duration::from_millis(500));
    let status = listener.status();
    actix_rt::spawn(listener.run());
    assert!(within(10 * SECOND, || async { status.is_listening() })
        .await
        .is_some());

    let app = test::init_service(App::new().service(data)).await;
    let allowed = |origin: &'static str| {
        let request = test::TestRequest::get()
            .uri("/data")
            .insert_header(("origin", origin))
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

    // Refused, and the refusal cached for an hour; the insert is seen at once.
    assert!(!allowed("https://a.example").await);
    admin
        .execute("INSERT INTO cors_origins VALUES ('https://a.example')", &[])
        .await
        .unwrap();
    let took = within(SECOND, || allowed("https://a.example")).await;
    println!("added origin allowed after {took:?}");
    assert!(took.is_some(), "an added origin is allowed at once");

    // Allowed, and cached for an hour; the removal is seen at once.
    admin
        .execute(
            "DELETE FROM cors_origins WHERE origin = 'https://a.example'",
            &[],
        )
        .await
        .unwrap();
    let took = within(SECOND, || async { !allowed("https://a.example").await }).await;
    println!("removed origin refused after {took:?}");
    assert!(took.is_some(), "a removed origin is refused at once");

    // The listener's connection is killed; a change made before it listens again is not
    // lost: it forgets every cached answer when it is back.
    assert!(!allowed("https://b.example").await);
    let sessions = status.sessions();
    let killed = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cors-listener'",
            &[],
        )
        .await
        .unwrap()
        .get::<_, i64>(0);
    assert_eq!(killed, 1);
    admin
        .execute("INSERT INTO cors_origins VALUES ('https://b.example')", &[])
        .await
        .unwrap();
    let back = within(10 * SECOND, || async { status.sessions() > sessions }).await;
    println!("listener back after pg_terminate_backend in {back:?}");
    assert!(back.is_some());
    assert!(
        allowed("https://b.example").await,
        "the change made while away was not lost"
    );

    // A restart of the server: every connection drops; the lookup's own goes too.
    assert!(!allowed("https://c.example").await);
    let sessions = status.sessions();
    cluster.restart();
    let admin = connect(&cluster.config()).await;
    admin
        .execute("INSERT INTO cors_origins VALUES ('https://c.example')", &[])
        .await
        .unwrap();
    let back = within(20 * SECOND, || async { status.sessions() > sessions }).await;
    println!("listener back after a restart in {back:?}");
    assert!(back.is_some());
    assert!(
        within(SECOND, || async { TENANTS.stats().cached == 0 })
            .await
            .is_some(),
        "every answer forgotten on reconnection"
    );
}
