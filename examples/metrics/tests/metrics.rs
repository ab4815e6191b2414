//! `examples/metrics`: the example's app served by a real `HttpServer` on 127.0.0.1 (a port
//! the system picks), driven over TCP with raw HTTP/1.1 requests, and its `GET /metrics` read
//! over HTTP as Prometheus would: each decision made here is counted once, under its route,
//! kind, outcome and reason, and nowhere else; no label is an origin; a flood of made-up
//! origins adds no series; the lookup's counters and gauges follow its cache.
//!
//! The recorder is process-wide and the routes' counters are `static`s, so the whole story is
//! one test: its counts are exact.

#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use actix_web::HttpServer;
use metrics_example::{APP_ORIGIN, PARTNER_ORIGINS};
use metrics_exporter_prometheus::PrometheusHandle;

/// The longest the whole conversation with the server may take (a busy 2-core machine).
const DEADLINE: Duration = Duration::from_secs(120);
/// The longest one socket operation may wait.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// An origin no route allows.
const EVIL: &str = "https://evil.example";
/// The requests of the flood, each from an origin of its own.
const FLOOD: usize = 500;

const DECISIONS: &str = "actix_route_cors_decisions_total";
const LOOKUP_METRICS: [&str; 6] = [
    "actix_route_cors_lookup_hits_total",
    "actix_route_cors_lookup_misses_total",
    "actix_route_cors_lookup_failures_total",
    "actix_route_cors_lookup_overloaded_total",
    "actix_route_cors_lookup_cache_entries",
    "actix_route_cors_lookups_in_flight",
];

/// The recorder and the lookup, installed once per process.
fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = metrics_example::install_recorder().expect("the first recorder");
            metrics_example::install_lookup().expect("the first lookup function");
            handle
        })
        .clone()
}

#[actix_web::test]
async fn every_decision_is_counted_once_under_bounded_labels() {
    let handle = handle();
    let server = HttpServer::new(move || metrics_example::app(handle.clone()))
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .bind(("127.0.0.1", 0))
        .expect("a port on 127.0.0.1");
    let addr = server.addrs()[0];
    let server = server.run();
    let stop = server.handle();
    let running = actix_web::rt::spawn(server);

    // The client blocks (std sockets): on a thread of its own, so that this thread's runtime,
    // which serves the app, keeps running.
    let client = actix_web::rt::task::spawn_blocking(move || conversation(addr));
    let outcome = actix_web::rt::time::timeout(DEADLINE, client).await;

    stop.stop(true).await;
    actix_web::rt::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the server stops within 10 s")
        .expect("the server task ends")
        .expect("the server ran without an I/O error");
    match outcome {
        Err(_) => panic!("the conversation took more than {DEADLINE:?}"),
        Ok(Err(failed)) => std::panic::resume_unwind(failed.into_panic()),
        Ok(Ok(())) => {}
    }
}

/// What the test says to the server, and what it checks in `/metrics`.
fn conversation(addr: SocketAddr) {
    let http = Client(addr);

    // Nothing is registered before a route decides: handles are created on first use.
    let scrape = http.metrics();
    assert!(
        scrape.of(DECISIONS).is_empty(),
        "no decision yet: {:?}",
        scrape.of(DECISIONS)
    );

    // ---- items: written origins; allowed, refused, and without Origin -------------------------
    for _ in 0..2 {
        let res = http.send("GET", "/api/items", &[("Origin", APP_ORIGIN)]);
        assert_eq!(res.status, 200);
        assert_eq!(res.header("access-control-allow-origin"), Some(APP_ORIGIN));
    }
    let res = http.send("GET", "/api/items", &[("Origin", EVIL)]);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), None);
    // Not a CORS request: not counted.
    let res = http.send("GET", "/api/items", &[]);
    assert_eq!(res.status, 200);

    // ---- update_item: preflights allowed and refused (header, origin), then the PUT ------------
    let preflight = |origin, headers| {
        http.send(
            "OPTIONS",
            "/api/items/7",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", headers),
            ],
        )
    };
    let res = preflight(APP_ORIGIN, "content-type, x-request-id");
    assert_eq!(res.status, 204, "{}", res.body);
    assert_eq!(res.header("access-control-allow-origin"), Some(APP_ORIGIN));
    let res = preflight(APP_ORIGIN, "x-forbidden");
    assert_eq!(res.status, 403);
    assert!(res.body.contains("x-forbidden"), "{}", res.body);
    let res = preflight(EVIL, "content-type");
    assert_eq!(res.status, 403);
    let res = http.send(
        "PUT",
        "/api/items/7",
        &[("Origin", APP_ORIGIN), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "item 7 updated");

    // ---- transfer: a cross-origin write refused before the handler, one allowed ----------------
    let res = http.send(
        "POST",
        "/api/transfer",
        &[("Origin", EVIL), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(res.status, 403);
    assert!(
        res.body.starts_with("cross-origin write refused"),
        "{}",
        res.body
    );
    let res = http.send(
        "POST",
        "/api/transfer",
        &[("Origin", APP_ORIGIN), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(res.status, 200);
    assert_eq!(res.body, "transferred");

    // ---- beta_items, report-only: nothing changes in the answers, every decision is counted ----
    let res = http.send("GET", "/api/beta/items", &[("Origin", EVIL)]);
    assert_eq!(res.status, 200);
    assert_eq!(res.header("access-control-allow-origin"), None);
    let res = http.send("GET", "/api/beta/items", &[("Origin", APP_ORIGIN)]);
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("access-control-allow-origin"),
        None,
        "report-only adds no header"
    );
    // Its preflight is not answered (it goes where it would without #[cors]: no OPTIONS route).
    let res = http.send(
        "OPTIONS",
        "/api/beta/items",
        &[("Origin", EVIL), ("Access-Control-Request-Method", "GET")],
    );
    assert_ne!(res.status, 204);
    assert_ne!(res.status, 403);
    assert_eq!(res.header("access-control-allow-origin"), None);

    // ---- comments, report_only = writes: the write reaches the handler -------------------------
    let res = http.send(
        "POST",
        "/api/comments",
        &[("Origin", EVIL), ("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(res.status, 201);
    assert_eq!(res.body, "comment stored");
    assert_eq!(res.header("access-control-allow-origin"), None);

    // ---- partner_catalogue: origins looked up ---------------------------------------------------
    let [partner_a, partner_b] = PARTNER_ORIGINS;
    let stranger = "https://stranger.example";
    let broken = "https://partner.invalid";
    let asked = [
        partner_a, partner_a, partner_a, partner_b, stranger, stranger, broken,
    ];
    for origin in asked {
        let res = http.send("GET", "/api/partner/catalogue", &[("Origin", origin)]);
        assert_eq!(res.status, 200);
        let allowed = PARTNER_ORIGINS.contains(&origin);
        assert_eq!(
            res.header("access-control-allow-origin"),
            allowed.then_some(origin),
            "{origin}"
        );
    }

    // ---- every decision, exactly ----------------------------------------------------------------
    let expected: BTreeMap<Labels, u64> = [
        (("items", "actual", "allowed", "none"), 2),
        (("items", "actual", "refused", "origin"), 1),
        (("update_item", "preflight", "allowed", "none"), 1),
        (("update_item", "preflight", "refused", "header"), 1),
        (("update_item", "preflight", "refused", "origin"), 1),
        (("update_item", "actual", "allowed", "none"), 1),
        // One decision per request: the refused write is not an `actual` refusal too.
        (("transfer", "write", "refused", "write"), 1),
        (("transfer", "actual", "allowed", "none"), 1),
        (("beta_items", "actual", "would_refuse", "origin"), 1),
        (("beta_items", "actual", "allowed", "none"), 1),
        (("beta_items", "preflight", "would_refuse", "origin"), 1),
        (("comments", "write", "would_refuse", "write"), 1),
        (("partner_catalogue", "actual", "allowed", "none"), 4),
        (("partner_catalogue", "actual", "refused", "origin"), 2),
        (
            ("partner_catalogue", "actual", "refused", "lookup_failed"),
            1,
        ),
    ]
    .into_iter()
    .map(|((route, kind, outcome, reason), n)| (decision(route, kind, outcome, reason), n))
    .collect();
    let scrape = http.metrics();
    assert_eq!(scrape.counts(DECISIONS), expected);
    let sent: Vec<&str> = [APP_ORIGIN, EVIL, stranger, broken]
        .into_iter()
        .chain(PARTNER_ORIGINS)
        .collect();
    scrape.assert_bounded_labels(&sent);

    // ---- the lookup's metrics -------------------------------------------------------------------
    let lookup = |name: &str| scrape.lookup_value(name, "partner origins");
    let distinct = asked.iter().collect::<BTreeSet<_>>().len() as f64;
    let repeats = asked.len() as f64 - distinct;
    // One lookup per distinct origin; the others were answered from a cache.
    assert_eq!(lookup("actix_route_cors_lookup_misses_total"), distinct);
    assert_eq!(lookup("actix_route_cors_lookup_failures_total"), 1.0);
    assert_eq!(lookup("actix_route_cors_lookup_overloaded_total"), 0.0);
    // A repeated origin is answered from the shared cache (counted), or, on a worker that has
    // just read it there, from that worker's memo of its last few answers (not counted).
    let hits = lookup("actix_route_cors_lookup_hits_total");
    assert!(
        (1.0..=repeats).contains(&hits),
        "{hits} hits for {repeats} repeated origins"
    );
    // Every answer is cached (the failure for `failure_ttl`), none in flight any more.
    assert_eq!(lookup("actix_route_cors_lookup_cache_entries"), distinct);
    assert_eq!(lookup("actix_route_cors_lookups_in_flight"), 0.0);

    // ---- a flood of made-up origins adds no series ----------------------------------------------
    // `items` has refused an origin already: the flood adds to that one series, and nothing else
    // changes, in any metric.
    let before = scrape.all();
    for i in 0..FLOOD {
        let origin = format!("https://flood-{i}.example");
        let res = http.send("GET", "/api/items", &[("Origin", &origin)]);
        assert_eq!(res.status, 200);
        assert_eq!(res.header("access-control-allow-origin"), None);
    }
    let scrape = http.metrics();
    let after = scrape.all();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the flood changed the set of series"
    );
    let flooded = series(DECISIONS, decision("items", "actual", "refused", "origin"));
    for (key, value) in &after {
        let was = before[key];
        if *key == flooded {
            assert_eq!(*value, was + FLOOD as f64, "{key:?}");
        } else {
            assert_eq!(*value, was, "{key:?} changed during the flood");
        }
    }
    assert!(!scrape.text.contains("flood-"), "an origin in /metrics");
    scrape.assert_bounded_labels(&sent);

    // What the scraper reads after this test's traffic (`cargo test -- --nocapture`).
    println!("GET /metrics after the test's traffic (the crate's metrics):");
    for line in scrape
        .text
        .lines()
        .filter(|l| l.contains("actix_route_cors"))
    {
        println!("{line}");
    }
}

// ---- Prometheus text format -----------------------------------------------------------------------

/// A series' labels, by name.
type Labels = BTreeMap<String, String>;

fn decision(route: &str, kind: &str, outcome: &str, reason: &str) -> Labels {
    [
        ("route", route),
        ("kind", kind),
        ("outcome", outcome),
        ("reason", reason),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn series(name: &str, labels: Labels) -> (String, Labels) {
    (name.to_owned(), labels)
}

/// One sample line: `name{label="value",...} value`.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: Labels,
    value: f64,
}

/// A `/metrics` answer, parsed.
struct Scrape {
    text: String,
    samples: Vec<Sample>,
}

impl Scrape {
    fn parse(text: String) -> Scrape {
        let samples = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| parse_sample(l).unwrap_or_else(|| panic!("not a sample line: {l:?}")))
            .collect();
        Scrape { text, samples }
    }

    /// The samples of the metric `name`.
    fn of(&self, name: &str) -> Vec<&Sample> {
        self.samples.iter().filter(|s| s.name == name).collect()
    }

    /// The counts of the counter `name`, by labels (each label set once).
    fn counts(&self, name: &str) -> BTreeMap<Labels, u64> {
        let mut counts = BTreeMap::new();
        for s in self.of(name) {
            assert!(s.value >= 0.0 && s.value.fract() == 0.0, "a count: {s:?}");
            let previous = counts.insert(s.labels.clone(), s.value as u64);
            assert!(previous.is_none(), "a series twice: {s:?}");
        }
        counts
    }

    /// Every series of the crate's metrics, with its value.
    fn all(&self) -> BTreeMap<(String, Labels), f64> {
        self.samples
            .iter()
            .filter(|s| s.name.starts_with("actix_route_cors_"))
            .map(|s| ((s.name.clone(), s.labels.clone()), s.value))
            .collect()
    }

    /// The value of the lookup metric `name` for the lookup `lookup` (one series).
    fn lookup_value(&self, name: &str, lookup: &str) -> f64 {
        let found: Vec<_> = self.of(name);
        assert_eq!(found.len(), 1, "one series of {name}: {found:?}");
        assert_eq!(
            found[0].labels,
            Labels::from([("lookup".to_owned(), lookup.to_owned())]),
            "{name}"
        );
        found[0].value
    }

    /// The crate's metrics have the labels they are documented with, from their fixed lists
    /// (the route and lookup names are the app's); no label value is an origin.
    fn assert_bounded_labels(&self, origins: &[&str]) {
        let routes = [
            "items",
            "update_item",
            "transfer",
            "beta_items",
            "comments",
            "partner_catalogue",
        ];
        let kinds = ["actual", "preflight", "write", "handshake"];
        let outcomes = ["allowed", "refused", "would_refuse"];
        let reasons = [
            "none",
            "origin",
            "method",
            "header",
            "size",
            "private_network",
            "write",
            "handshake",
            "lookup_failed",
            "lookup_overloaded",
        ];
        let ours: Vec<&Sample> = self
            .samples
            .iter()
            .filter(|s| s.name.starts_with("actix_route_cors_"))
            .collect();
        assert!(!ours.is_empty());
        for s in ours {
            for value in s.labels.values() {
                assert!(
                    !value.contains("://") && !origins.contains(&value.as_str()),
                    "an origin as a label: {s:?}"
                );
            }
            let label = |k: &str| s.labels.get(k).map(String::as_str).unwrap_or("");
            if s.name == DECISIONS {
                assert_eq!(s.labels.len(), 4, "{s:?}");
                assert!(routes.contains(&label("route")), "{s:?}");
                assert!(kinds.contains(&label("kind")), "{s:?}");
                assert!(outcomes.contains(&label("outcome")), "{s:?}");
                assert!(reasons.contains(&label("reason")), "{s:?}");
                // An allowed decision has no reason, a refusal always has one.
                assert_eq!(
                    label("outcome") == "allowed",
                    label("reason") == "none",
                    "{s:?}"
                );
            } else {
                assert!(LOOKUP_METRICS.contains(&s.name.as_str()), "{s:?}");
                assert_eq!(s.labels.len(), 1, "{s:?}");
                assert_eq!(label("lookup"), "partner origins", "{s:?}");
            }
        }
    }
}

/// Parses `name{a="x",b="y"} value` (label values with the format's escapes `\\`, `\"`,
/// `\n`), or `name value`.
fn parse_sample(line: &str) -> Option<Sample> {
    let (head, value) = line.rsplit_once(' ')?;
    let value: f64 = value.parse().ok()?;
    let Some((name, rest)) = head.split_once('{') else {
        return Some(Sample {
            name: head.to_owned(),
            labels: Labels::new(),
            value,
        });
    };
    let mut labels = Labels::new();
    let mut rest = rest.strip_suffix('}')?;
    while !rest.is_empty() {
        let (key, after) = rest.split_once("=\"")?;
        let mut chars = after.char_indices();
        let mut text = String::new();
        let end = loop {
            match chars.next()? {
                (i, '"') => break i,
                (_, '\\') => match chars.next()?.1 {
                    'n' => text.push('\n'),
                    c @ ('\\' | '"') => text.push(c),
                    _ => return None,
                },
                (_, c) => text.push(c),
            }
        };
        if labels.insert(key.to_owned(), text).is_some() {
            return None;
        }
        rest = &after[end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
    Some(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

#[test]
fn the_parser_reads_the_formats_escapes() {
    let s = parse_sample(r#"m_total{a="x\"y",b="1\\2\n"} 3"#).unwrap();
    assert_eq!(s.name, "m_total");
    assert_eq!(s.labels["a"], "x\"y");
    assert_eq!(s.labels["b"], "1\\2\n");
    assert_eq!(s.value, 3.0);
    assert_eq!(parse_sample("g 0.5").unwrap().value, 0.5);
    assert!(parse_sample(r#"m{a="x} 1"#).is_none());
    assert!(parse_sample(r#"m{a="x",a="y"} 1"#).is_none());
    assert!(parse_sample("m{} x").is_none());
}

// ---- a small HTTP/1.1 client -----------------------------------------------------------------------

/// Sends each request on a connection of its own (`Connection: close`), and reads the answer
/// to its end.
struct Client(SocketAddr);

/// An answer: status, header fields (names in lowercase), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    /// The one field `name` (lowercase), if present; several fail the test.
    fn header(&self, name: &str) -> Option<&str> {
        let mut found = self.headers.iter().filter(|(n, _)| n == name);
        let first = found.next().map(|(_, v)| v.as_str());
        assert!(found.next().is_none(), "several {name} fields");
        first
    }
}

impl Client {
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut stream = TcpStream::connect(self.0).expect("connects to the test server");
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.0
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if matches!(method, "POST" | "PUT") {
            request.push_str("Content-Length: 0\r\n");
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).expect("sends");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("reads the answer");
        let raw = String::from_utf8(raw).expect("a UTF-8 answer");
        let (head, body) = raw.split_once("\r\n\r\n").expect("a complete head");
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.strip_prefix("HTTP/1.1 "))
            .and_then(|l| l.get(..3))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("a status line: {head}"));
        let headers: Vec<(String, String)> = lines
            .map(|l| {
                let (n, v) = l.split_once(':').expect("a header field");
                (n.trim().to_ascii_lowercase(), v.trim().to_owned())
            })
            .collect();
        let response = Response {
            status,
            headers,
            body: body.to_owned(),
        };
        assert_ne!(
            response.header("transfer-encoding"),
            Some("chunked"),
            "this client reads Content-Length bodies only"
        );
        if let Some(length) = response.header("content-length") {
            assert_eq!(length.parse::<usize>().ok(), Some(body.len()), "{head}");
        }
        response
    }

    /// `GET /metrics`, parsed.
    fn metrics(&self) -> Scrape {
        let res = self.send("GET", "/metrics", &[]);
        assert_eq!(res.status, 200);
        assert_eq!(
            res.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        Scrape::parse(res.body)
    }
}
