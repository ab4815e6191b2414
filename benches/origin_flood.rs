//! The memory of an `OriginLookup` under a flood of distinct origins:
//! a real `HttpServer` on 127.0.0.1, clients sending 10,000 requests per second, each from an
//! origin never seen before, for `FLOOD_SECONDS` (default 5), while one allowed origin keeps
//! being used. Live heap bytes (counted by the global allocator), the process's resident set
//! and the lookup's stats are sampled every half second.
//!
//! ```text
//! cargo bench -p cors-benches --bench origin_flood
//! FLOOD_SECONDS=10 FLOOD_RATE=20000 cargo bench -p cors-benches --bench origin_flood
//! ```
//!
//! Traffic goes to 127.0.0.1 only, and the run stops by itself.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::BufReader;
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_route_cors::{cors, LookupSettings, OriginLookup};

#[path = "../tests/support/keep_alive.rs"]
mod keep_alive;
use actix_web::{get, App, HttpResponse, HttpServer, Responder};

/// Counts the bytes the process holds on the heap.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract is `System`'s; the counting touches one atomic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is (see above).
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: forwarded as is (see above).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: forwarded as is (see above).
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static TENANTS: OriginLookup = OriginLookup::new("tenant origins (flood)");
const KEPT: &str = "https://kept.example";

#[cors(origins = TENANTS, credentials)]
#[get("/items")]
async fn items() -> impl Responder {
    HttpResponse::Ok().body("[]")
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The resident set, from `/proc/self/statm` (pages of 4 KiB); 0 where there is none.
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn main() {
    // `cargo test --benches` runs bench targets too: run briefly there.
    let benching = std::env::args().any(|a| a == "--bench");
    let seconds = if benching { env("FLOOD_SECONDS", 5) } else { 1 };
    let rate = env("FLOOD_RATE", 10_000);
    let settings = LookupSettings::default();
    TENANTS
        .install(settings, |origin: String| async move {
            // A database answer: refused unless it is the kept tenant.
            actix_web::rt::task::yield_now().await;
            Ok::<_, std::io::Error>(origin == KEPT)
        })
        .expect("installed once");

    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(|| App::new().service(items))
                .workers(1)
                .disable_signals()
                .bind(("127.0.0.1", 0))
                .expect("bind");
            addr_tx.send(server.addrs()[0]).unwrap();
            let server = server.run();
            let handle = server.handle();
            actix_web::rt::spawn(async move {
                actix_web::rt::time::sleep(Duration::from_secs(seconds + 30)).await;
                handle.stop(false).await;
            });
            server.await
        })
    });
    let addr: SocketAddr = addr_rx.recv().unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let before_live = LIVE.load(Ordering::Relaxed);
    let before_rss = rss_bytes();
    println!(
        "flood: {rate} distinct origins per second for {seconds} s against one worker; capacity {}, max in flight {}, refusals kept {:?}",
        settings.capacity, settings.max_in_flight, settings.refusal_ttl
    );
    println!(
        "{:>5} {:>9} {:>9} {:>7} {:>9} {:>11} {:>13} {:>10}",
        "t", "sent", "lookups", "cached", "in flight", "overloaded", "heap (+KiB)", "RSS (+KiB)"
    );

    let clients = 2u64;
    let sent = Arc::new(AtomicU64::new(0));
    let kept_refused = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|c| {
            let (sent, kept_refused, stop) = (sent.clone(), kept_refused.clone(), stop.clone());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(addr).expect("connect");
                stream.set_nodelay(true).expect("TCP_NODELAY");
                let mut stream = BufReader::new(stream);
                let per_client = rate / clients;
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    // Paced: request `n` of this client is due at `n / per_client` seconds.
                    let due = Duration::from_secs_f64(n as f64 / per_client as f64);
                    if let Some(wait) = due.checked_sub(start.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let origin = format!("https://flood-{c}-{n}.tenants.example");
                    keep_alive::allowed(&mut stream, "/items", &origin);
                    if n.is_multiple_of(100) && !keep_alive::allowed(&mut stream, "/items", KEPT) {
                        kept_refused.fetch_add(1, Ordering::Relaxed);
                    }
                    n += 1;
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    let mut peak_live = 0isize;
    let mut peak_rss = 0u64;
    let mut peak_cached = 0usize;
    // Heap bytes per cached answer, at the sample holding the most answers.
    let mut per_answer = 0isize;
    let end = Duration::from_secs(seconds);
    while start.elapsed() < end {
        // Not a divisor of the time a generation takes to fill (half the capacity at the
        // flood's rate): samples fall at every point of the cycle, the fullest included.
        std::thread::sleep(Duration::from_millis(370));
        let stats = TENANTS.stats();
        let live = LIVE.load(Ordering::Relaxed) - before_live;
        let rss = rss_bytes().saturating_sub(before_rss);
        peak_live = peak_live.max(live);
        peak_rss = peak_rss.max(rss);
        if stats.cached > peak_cached {
            peak_cached = stats.cached;
            per_answer = live / stats.cached as isize;
        }
        println!(
            "{:>4.1}s {:>9} {:>9} {:>7} {:>9} {:>11} {:>13} {:>10}",
            start.elapsed().as_secs_f64(),
            sent.load(Ordering::Relaxed),
            stats.lookups,
            stats.cached,
            stats.in_flight,
            stats.overloaded,
            live / 1024,
            rss / 1024
        );
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let total = sent.load(Ordering::Relaxed);
    let stats = TENANTS.stats();
    println!(
        "sent {total} distinct origins in {elapsed:.1} s ({:.0}/s); the kept origin was refused {} times",
        total as f64 / elapsed,
        kept_refused.load(Ordering::Relaxed)
    );
    println!(
        "peak: {peak_cached} answers cached (capacity {}), heap +{} KiB, RSS +{} KiB; {per_answer} heap bytes per cached answer at the fullest sample",
        settings.capacity,
        peak_live / 1024,
        peak_rss / 1024,
    );
    assert!(stats.cached <= settings.capacity, "{stats:?}");
    assert!(peak_cached <= settings.capacity);
}
