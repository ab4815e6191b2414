//! The PostgreSQL tenants example served in-process on 127.0.0.1:0, against a PostgreSQL
//! cluster of the test's own (cors-postgres's test support): a tenant's origin added through
//! the admin endpoint is allowed, and once removed it is refused within a second (the time
//! taken is printed), though the lookup would reuse its cached answer for an hour: the
//! listener made it forget. A second is what cors-postgres's own tests allow too: one sample on
//! a machine running other tests says whether the notification arrived, not how fast it does;
//! the fleet measurement (`cors-postgres/tests/fleet.rs`) gives the distribution, under
//! 100 ms at the 99th percentile.

#[path = "../../../cors-postgres/tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpServer;
use support::cluster::Cluster;
use support::within;
use tenants_postgres_example as tenants;

const TOKEN: &str = "test-admin-token";
const ORIGIN: &str = "https://shop.acme.example";
/// Long enough that only the listener can make a change visible within the test.
const HOUR: Duration = Duration::from_secs(3600);
const SECOND: Duration = Duration::from_secs(1);

/// One HTTP/1.1 request on a connection of its own: the status and the response's head.
async fn http(addr: SocketAddr, request: String) -> (u16, String) {
    actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response[9..12].parse().expect("a status line");
        (status, response.to_ascii_lowercase())
    })
    .await
    .expect("the request's thread")
}

/// Whether a request from `origin` is allowed (its origin echoed).
async fn allowed(addr: SocketAddr, origin: &str) -> bool {
    let (status, response) = http(
        addr,
        format!(
            "GET /api/items HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
        ),
    )
    .await;
    assert_eq!(status, 200);
    response.contains(&format!("access-control-allow-origin: {origin}\r\n"))
}

/// `method /admin/origins` for tenant acme and `origin`: the status.
async fn admin(addr: SocketAddr, method: &str, origin: &str) -> u16 {
    let body = format!("{{\"tenant\":\"acme\",\"origin\":\"{origin}\"}}");
    let request = format!(
        "{method} /admin/origins HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    http(addr, request).await.0
}

#[actix_rt::test]
async fn a_removed_origin_is_refused_at_once() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let config = cluster.config();
    let client = tenants::connect(&config).await.expect("connects");
    tenants::migrate(&client).await.expect("the schema");
    let client = Arc::new(client);
    tenants::install(
        Arc::clone(&client),
        tenants::settings().ttl(HOUR).refusal_ttl(HOUR),
    )
    .expect("installed once");
    let listener = tenants::listener(config);
    let status = listener.status();
    let listening = actix_web::rt::spawn(listener.run());
    assert!(
        within(Duration::from_secs(10), || async { status.is_listening() })
            .await
            .is_some(),
        "the listener listens"
    );

    let server = {
        let client = Arc::clone(&client);
        HttpServer::new(move || {
            tenants::app(Arc::clone(&client), tenants::AdminToken(TOKEN.to_owned()))
        })
        .workers(1)
        .disable_signals()
        .bind(("127.0.0.1", 0))
        .expect("binds")
    };
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    let serving = actix_web::rt::spawn(server);

    let steps = async {
        assert!(!allowed(addr, ORIGIN).await, "unknown: refused (cached)");
        assert_eq!(admin(addr, "POST", ORIGIN).await, 201);
        let took = within(SECOND, || allowed(addr, ORIGIN)).await;
        println!("added origin allowed after {took:?}");
        assert!(took.is_some(), "an added origin is allowed at once");
        assert!(allowed(addr, ORIGIN).await);

        assert_eq!(admin(addr, "DELETE", ORIGIN).await, 204);
        let took = within(SECOND, || async { !allowed(addr, ORIGIN).await }).await;
        println!("removed origin refused after {took:?}");
        assert!(
            took.is_some(),
            "a removed origin is refused within a second"
        );
        assert_eq!(admin(addr, "DELETE", ORIGIN).await, 404);
    };
    let done = actix_web::rt::time::timeout(Duration::from_secs(60), steps).await;

    handle.stop(true).await;
    let _ = serving.await;
    listening.abort();
    done.expect("the test's steps finish within 60 s");
}
