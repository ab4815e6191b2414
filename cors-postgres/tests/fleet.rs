//! A fleet measured: four server processes on one PostgreSQL, each keeping its origins current
//! through an `OriginListener`, under steady load from a bounded client (127.0.0.1 only).
//! Prints, for an origin set of 100,000 origins and for a lookup:
//! - each instance's start-up time and resident memory;
//! - how long an origin added or removed takes to be allowed or refused by each instance,
//!   counted from the moment its transaction committed (the distribution over every change
//!   and instance), and how many times a removed origin was still allowed 100 ms after;
//! - the same for changes made right after `pg_terminate_backend` kills every listener, and
//!   right after PostgreSQL restarts.
//!
//! ```text
//! cargo test --release -p cors-postgres --test fleet -- --ignored --nocapture
//! FLEET_CHANGES=500 cargo test --release -p cors-postgres --test fleet -- --ignored --nocapture
//! ```
//!
//! The instances are this test binary run again (`FLEET_INSTANCE` set): each serves one
//! worker on 127.0.0.1 and exits when its standard input closes.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_route_cors::{cors, LookupSettings, OriginLookup, OriginSource};
use actix_web::{get, App, HttpResponse, HttpServer, Responder};
use cors_postgres::tokio_postgres::{Client, Config, NoTls};
use cors_postgres::{OriginListener, ALL_ORIGINS, SCHEMA};
use support::cluster::Cluster;

#[path = "../../tests/support/keep_alive.rs"]
mod keep_alive;

const INSTANCES: usize = 4;
const TENANTS: usize = 100_000;
/// The lookup's `ttl` and `refusal_ttl`: the fallback when a listener is not listening.
const LOOKUP_TTL: Duration = Duration::from_secs(10);

static SET: OriginSource = OriginSource::startup("tenant origins (fleet)");
static LOOKUP: OriginLookup = OriginLookup::new("tenant origins (fleet)");

#[cors(origins = SET)]
#[get("/set")]
async fn set_route() -> impl Responder {
    HttpResponse::Ok().body("set")
}

#[cors(origins = LOOKUP)]
#[get("/lookup")]
async fn lookup_route() -> impl Responder {
    HttpResponse::Ok().body("lookup")
}

#[test]
#[ignore = "a measurement: cargo test --release -p cors-postgres --test fleet -- --ignored --nocapture"]
fn fleet() {
    if std::env::var("FLEET_INSTANCE").is_ok() {
        instance();
        return;
    }
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let changes: usize = std::env::var("FLEET_CHANGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let runtime = actix_rt::System::new();
    let admin = runtime.block_on(connect(&cluster.config()));
    runtime
        .block_on(admin.batch_execute(SCHEMA))
        .expect("the schema");
    runtime
        .block_on(admin.batch_execute(&format!(
            "INSERT INTO cors_origins SELECT 'https://tenant-' || i || '.example' FROM generate_series(1, {TENANTS}) AS i"
        )))
        .expect("the tenants");
    for mode in ["set", "lookup"] {
        let admin = runtime.block_on(connect(&cluster.config()));
        measure(&runtime, &cluster, &admin, mode, changes);
    }
}

/// One mode's measurements.
fn measure(
    runtime: &actix_rt::SystemRunner,
    cluster: &Cluster,
    admin: &Client,
    mode: &str,
    changes: usize,
) {
    println!("\n=== {mode}: {INSTANCES} instances, {TENANTS} tenants in the table ===");
    let instances: Vec<Instance> = (0..INSTANCES)
        .map(|n| Instance::spawn(cluster, mode, n))
        .collect();
    for (n, i) in instances.iter().enumerate() {
        println!(
            "instance {n}: ready in {} ms (listening, origins loaded), RSS {} KiB",
            i.ready_ms, i.rss_kib
        );
    }
    // Steady load: every instance asked for known tenants, 500 requests a second each.
    let stop = Arc::new(AtomicBool::new(false));
    let load_refused = Arc::new(AtomicU64::new(0));
    let load_sent = Arc::new(AtomicU64::new(0));
    let load: Vec<_> = instances
        .iter()
        .map(|i| {
            let (port, path) = (i.port, format!("/{mode}"));
            let (stop, refused, sent) = (stop.clone(), load_refused.clone(), load_sent.clone());
            std::thread::spawn(move || {
                let mut conn = connect_http(port);
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let origin = format!("https://tenant-{}.example", 1 + n % 1000);
                    if !keep_alive::allowed(&mut conn, &path, &origin) {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    sent.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                    std::thread::sleep(Duration::from_millis(2));
                }
            })
        })
        .collect();

    let mut watcher = Watcher::new(&instances, mode);
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut late = 0usize;
    for c in 0..changes.div_ceil(2) {
        let origin = format!("https://change-{c}.example");
        // Asked once first, so that a lookup has the refusal cached.
        watcher.all(&origin);
        let committed = execute(
            runtime,
            admin,
            &format!("INSERT INTO cors_origins VALUES ('{origin}')"),
        );
        added.extend(
            watcher
                .until(&origin, true, committed, Duration::from_secs(5))
                .0,
        );
        let committed = execute(
            runtime,
            admin,
            &format!("DELETE FROM cors_origins WHERE origin = '{origin}'"),
        );
        let (times, after_100ms) = watcher.until(&origin, false, committed, Duration::from_secs(5));
        removed.extend(times);
        late += after_100ms;
    }
    print_distribution("added origin allowed", &mut added, changes.div_ceil(2));
    print_distribution("removed origin refused", &mut removed, changes.div_ceil(2));
    println!(
        "a removed origin allowed by an instance more than 100 ms after its removal committed: {late} of {} (change, instance) pairs",
        changes.div_ceil(2) * INSTANCES
    );

    // Every listener killed; changes made at once.
    let fallback = match mode {
        "set" => Duration::from_secs(6),
        _ => LOOKUP_TTL,
    };
    for (what, cut) in [
        ("pg_terminate_backend on every listener", Cut::Terminate),
        ("a PostgreSQL restart", Cut::Restart),
    ] {
        let origins: Vec<String> = (0..5)
            .map(|k| format!("https://tenant-{}.example", 2000 + k + 10 * cut as usize))
            .collect();
        for origin in &origins {
            assert!(
                watcher.all(origin).iter().all(|a| *a),
                "{origin} allowed before"
            );
        }
        let admin_now;
        let admin = match cut {
            Cut::Terminate => {
                let killed = execute_count(runtime, admin, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE 'cors-listener-%'");
                println!("\n{what}: {killed} listeners killed");
                admin
            }
            Cut::Restart => {
                cluster.restart();
                println!("\n{what}");
                admin_now = runtime.block_on(connect(&cluster.config()));
                &admin_now
            }
        };
        let mut times = Vec::new();
        let mut worst_late = 0usize;
        for origin in &origins {
            let committed = execute(
                runtime,
                admin,
                &format!("DELETE FROM cors_origins WHERE origin = '{origin}'"),
            );
            let (t, _) = watcher.until(origin, false, committed, fallback + Duration::from_secs(2));
            worst_late += INSTANCES - t.len();
            times.extend(t);
        }
        print_distribution(
            &format!("removed after {what}: refused"),
            &mut times,
            origins.len(),
        );
        let max = times.iter().max().copied().unwrap_or_default();
        println!(
            "never refused within {:?}: {worst_late}; slowest {:?} (fallback {:?})",
            fallback + Duration::from_secs(2),
            max,
            fallback
        );
        // Put them back, and check every instance follows again.
        for origin in &origins {
            let committed = execute(
                runtime,
                admin,
                &format!("INSERT INTO cors_origins VALUES ('{origin}')"),
            );
            let (t, _) = watcher.until(origin, true, committed, fallback + Duration::from_secs(2));
            assert_eq!(t.len(), INSTANCES, "{origin} allowed again everywhere");
        }
        let committed = execute(
            runtime,
            admin,
            "INSERT INTO cors_origins VALUES ('https://after.example')",
        );
        let (t, _) = watcher.until(
            "https://after.example",
            true,
            committed,
            Duration::from_secs(5),
        );
        println!(
            "a change after recovery reached {} of {INSTANCES} instances, slowest {:?}",
            t.len(),
            t.iter().max()
        );
        execute(
            runtime,
            admin,
            "DELETE FROM cors_origins WHERE origin = 'https://after.example'",
        );
        let _ = watcher.until(
            "https://after.example",
            false,
            Instant::now(),
            Duration::from_secs(5),
        );
    }

    stop.store(true, Ordering::Relaxed);
    for t in load {
        t.join().unwrap();
    }
    println!(
        "\nsteady load: {} requests for known tenants, {} refused (restarts included)",
        load_sent.load(Ordering::Relaxed),
        load_refused.load(Ordering::Relaxed)
    );
    drop(instances);
}

#[derive(Clone, Copy)]
enum Cut {
    Terminate = 0,
    Restart = 1,
}

fn print_distribution(what: &str, times: &mut [Duration], changes: usize) {
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{what}: {} samples ({changes} changes x {INSTANCES} instances) p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}

/// Polls every instance, one kept-alive connection each.
struct Watcher {
    conns: Vec<BufReader<TcpStream>>,
    path: String,
}

impl Watcher {
    fn new(instances: &[Instance], mode: &str) -> Self {
        Self {
            conns: instances.iter().map(|i| connect_http(i.port)).collect(),
            path: format!("/{mode}"),
        }
    }

    fn all(&mut self, origin: &str) -> Vec<bool> {
        let path = self.path.clone();
        self.conns
            .iter_mut()
            .map(|c| keep_alive::allowed(c, &path, origin))
            .collect()
    }

    /// How long after `since` each instance first answered `allowed` for `origin` (the
    /// instances that never did within `limit` are missing), and how many answers were the
    /// instances that still gave the old answer more than 100 ms after `since`.
    fn until(
        &mut self,
        origin: &str,
        allowed: bool,
        since: Instant,
        limit: Duration,
    ) -> (Vec<Duration>, usize) {
        let path = self.path.clone();
        let mut seen: Vec<Option<Duration>> = vec![None; self.conns.len()];
        let mut late = vec![false; self.conns.len()];
        while seen.iter().any(Option::is_none) && since.elapsed() < limit {
            for (n, conn) in self.conns.iter_mut().enumerate() {
                if seen[n].is_some() {
                    continue;
                }
                let answer = keep_alive::allowed(conn, &path, origin);
                let at = since.elapsed();
                if answer == allowed {
                    seen[n] = Some(at);
                } else if at > Duration::from_millis(100) {
                    late[n] = true;
                }
            }
        }
        let late = late.into_iter().filter(|l| *l).count();
        (seen.into_iter().flatten().collect(), late)
    }
}

/// Runs a statement; when its transaction committed (the call returned).
fn execute(runtime: &actix_rt::SystemRunner, admin: &Client, sql: &str) -> Instant {
    runtime
        .block_on(admin.batch_execute(sql))
        .expect("the statement");
    Instant::now()
}

fn execute_count(runtime: &actix_rt::SystemRunner, admin: &Client, sql: &str) -> i64 {
    runtime
        .block_on(admin.query_one(sql, &[]))
        .expect("the query")
        .get(0)
}

async fn connect(config: &Config) -> Client {
    let (client, connection) = config.connect(NoTls).await.expect("connects");
    actix_rt::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// A server process of the fleet.
struct Instance {
    child: Child,
    port: u16,
    ready_ms: u64,
    rss_kib: u64,
}

impl Instance {
    fn spawn(cluster: &Cluster, mode: &str, n: usize) -> Self {
        let started = Instant::now();
        let mut child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "fleet",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("FLEET_INSTANCE", n.to_string())
            .env("FLEET_MODE", mode)
            .env("FLEET_PG_PORT", cluster.port().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("an instance starts");
        let stdout = child.stdout.take().expect("its output");
        let mut port = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            // After libtest's "test fleet ... ", on the same line.
            if let Some(at) = line.find("FLEET READY ") {
                port = line[at + "FLEET READY ".len()..].trim().parse().ok();
                break;
            }
        }
        let port = port.expect("the instance says where it listens");
        let ready_ms = started.elapsed().as_millis() as u64;
        let rss_kib = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            })
            .unwrap_or(0);
        Self {
            child,
            port,
            ready_ms,
            rss_kib,
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // Its standard input closes: it exits.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn connect_http(port: u16) -> BufReader<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_nodelay(true).expect("TCP_NODELAY");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a timeout");
    BufReader::new(stream)
}

/// One server of the fleet (in a child process).
fn instance() {
    let n: usize = std::env::var("FLEET_INSTANCE").unwrap().parse().unwrap();
    let set_mode = std::env::var("FLEET_MODE").as_deref() == Ok("set");
    let port: u16 = std::env::var("FLEET_PG_PORT").unwrap().parse().unwrap();
    let mut config = Config::new();
    config
        .host("127.0.0.1")
        .port(port)
        .user("postgres")
        .dbname("postgres");
    // Exits when the driver closes its standard input (or after 15 minutes at most).
    std::thread::spawn(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        std::process::exit(0);
    });
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(900));
        std::process::exit(0);
    });
    actix_rt::System::new()
        .block_on(async move {
            let mut listening = config.clone();
            listening.application_name(format!("cors-listener-{n}"));
            let listener = if set_mode {
                OriginListener::for_source(listening, &SET, ALL_ORIGINS)
            } else {
                let asking = config.clone();
                let client: Arc<Mutex<Option<Arc<Client>>>> = Arc::default();
                LOOKUP
                    .install(
                        LookupSettings::default()
                            .ttl(LOOKUP_TTL)
                            .refusal_ttl(LOOKUP_TTL),
                        move |origin: String| {
                            let (client, asking) = (client.clone(), asking.clone());
                            async move {
                                let current = client.lock().unwrap().clone();
                                let current = match current {
                                    Some(c) if !c.is_closed() => c,
                                    _ => {
                                        // While PostgreSQL restarts this fails: the
                                        // lookup refuses for `failure_ttl`, as documented.
                                        let (c, connection) = asking.connect(NoTls).await?;
                                        actix_rt::spawn(async move {
                                            let _ = connection.await;
                                        });
                                        let c = Arc::new(c);
                                        *client.lock().unwrap() = Some(c.clone());
                                        c
                                    }
                                };
                                let row = current
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
                OriginListener::for_lookup(listening, &LOOKUP)
            };
            let status = listener.status();
            actix_rt::spawn(listener.run());
            while !status.is_listening() {
                actix_rt::time::sleep(Duration::from_millis(1)).await;
            }
            let server = HttpServer::new(move || {
                let app = App::new();
                if set_mode {
                    app.service(set_route)
                } else {
                    app.service(lookup_route)
                }
            })
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .expect("bind");
            let port = server.addrs()[0].port();
            println!("FLEET READY {port}");
            server.run().await
        })
        .expect("the server runs");
}
