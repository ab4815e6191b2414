//! Live reload of an `OriginSource`, through a running `HttpServer` with several workers and
//! real TCP connections: once `set` returns, every worker's next request reads the new list; a
//! bad list is refused with the start-up error and the old list stays; requests made while the
//! list flips see one list or the other, never an error.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use actix_route_cors::{cors, OriginSource};
use actix_web::{get, App, HttpResponse, HttpServer, Responder};

static PARTNERS: OriginSource = OriginSource::startup("partner origins (live reload test)");

#[cors(origins = PARTNERS, credentials)]
#[get("/partners")]
async fn partners() -> impl Responder {
    HttpResponse::Ok().body("partners")
}

/// `GET /partners` with `Origin: origin` on a new connection (so that the server's accept loop
/// hands it to any worker); the `Access-Control-Allow-Origin` value, if any.
fn allow_origin(addr: SocketAddr, origin: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /partners HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("a response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let head = response.split("\r\n\r\n").next().unwrap();
    assert!(
        head.lines().any(|l| l.eq_ignore_ascii_case("vary: origin")),
        "{head}"
    );
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("access-control-allow-origin")
            .then(|| value.trim().to_owned())
    })
}

#[test]
fn every_worker_reads_the_new_list_on_its_next_request() {
    PARTNERS.set(["https://a.example"]).unwrap();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(|| App::new().service(partners))
                .workers(4)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .unwrap();
            addr_tx.send(server.addrs()[0]).unwrap();
            let server = server.run();
            let handle = server.handle();
            // Stops by itself, whatever the test does.
            actix_web::rt::spawn(async move {
                actix_web::rt::time::sleep(Duration::from_secs(60)).await;
                handle.stop(false).await;
            });
            server.await
        })
    });
    let addr = addr_rx.recv().unwrap();

    for _ in 0..16 {
        assert_eq!(
            allow_origin(addr, "https://a.example").as_deref(),
            Some("https://a.example")
        );
        assert_eq!(allow_origin(addr, "https://b.example"), None);
    }

    // Replaced: from the next request on, on every worker, only the new list.
    PARTNERS.set(["https://b.example"]).unwrap();
    for _ in 0..16 {
        assert_eq!(allow_origin(addr, "https://a.example"), None);
        assert_eq!(
            allow_origin(addr, "https://b.example").as_deref(),
            Some("https://b.example")
        );
    }

    // A bad list is refused with the start-up error; the list in force stays.
    let error = PARTNERS
        .set(["https://c.example", "https://c.example/"])
        .unwrap_err();
    assert!(
        error.to_string().starts_with(
            "invalid CORS origins in start-up value `partner origins (live reload test)`"
        ),
        "{error}"
    );
    for _ in 0..8 {
        assert_eq!(
            allow_origin(addr, "https://b.example").as_deref(),
            Some("https://b.example")
        );
        assert_eq!(allow_origin(addr, "https://c.example"), None);
    }

    // While the list flips, each request is answered by one list or the other.
    let flipping = std::thread::spawn(|| {
        for i in 0..2_000 {
            let list = if i % 2 == 0 {
                ["https://a.example"]
            } else {
                ["https://b.example"]
            };
            PARTNERS.set(list).unwrap();
        }
        PARTNERS.set(["https://a.example"]).unwrap();
    });
    let mut seen = [0usize; 2];
    while !flipping.is_finished() {
        match allow_origin(addr, "https://a.example").as_deref() {
            Some("https://a.example") => seen[0] += 1,
            None => seen[1] += 1,
            Some(other) => panic!("echoed {other}"),
        }
    }
    flipping.join().unwrap();
    assert_eq!(
        allow_origin(addr, "https://a.example").as_deref(),
        Some("https://a.example")
    );
    println!("while flipping: {} allowed, {} refused", seen[0], seen[1]);
    drop(server);
}
