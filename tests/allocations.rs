//! Heap allocations per request, counted by a global allocator.
//!
//! Allocation counts are deterministic, so they are asserted: `#[cors]` adds **no** allocation
//! over the bare handler for allowed, disallowed and no-`Origin` actual requests, and an allowed
//! preflight allocates no more than a bare `GET` of the same route. Times are never asserted
//! (see `benches/cors.rs` and `BENCHMARKS.md` for those).
//!
//! How: each case is warmed up first (actix-web pools request and response heads, so the first
//! calls allocate more), then every allocation made **on this thread** is counted in a window
//! around one `call_service` (the request is built before the window, the response dropped
//! after it), over [`CALLS`] calls; the per-call count must divide evenly.
//!
//! No `log` logger is installed in this test binary, so `log::max_level()` is `Off` and the
//! `log::info!` record of a refused request is never formatted: the counts are those of a
//! server without a logger at `info` for target `actix_route_cors`. With such a logger, the
//! record is formatted once per refused request, whatever that logger allocates.
//!
//! Run `cargo test --test allocations -- --nocapture` to see the table.
//!
//! With feature `metrics` (on in `cargo test --workspace`, where `examples/metrics` turns it
//! on), a recorder is installed before anything is measured (`support/recorder.rs`, atomics in
//! a map, as an exporter keeps them), so every decision is also counted: the counts above hold
//! with the metrics on (each route's handles are registered during the warm-up).
//!
//! A test binary of its own: its `#[global_allocator]` counts for the whole program, and
//! `log::max_level()` must stay `Off`, so no other test may install a logger in its process.
//! The policy measured is the benches' (`tests/support/policy.rs`, included by both).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::ORIGIN;
use actix_web::http::StatusCode;
use actix_web::test::{call_service, init_service, TestRequest};
use actix_web::{get, App, Error, HttpResponse, Resource};

#[path = "support/policy.rs"]
mod policy;
#[path = "support/read_buffer.rs"]
mod read_buffer;
#[cfg(feature = "metrics")]
#[path = "support/recorder.rs"]
mod recorder;
use policy::{
    actix_cors, bare, cors, cors_configured, cors_fn, cors_lookup, cors_named, get, get_from,
    items_response, plain, plain_resource, preflight, APP, CONFIGURED, EVIL, LOOKUP,
};
use read_buffer::value_in_read_buffer;

/// Counts the allocations (and reallocations, which are growth) of the threads that opted in.
struct Counting;

thread_local! {
    // `const` thread-locals without `Drop` need no lazy initialisation, so the allocator can
    // read them without allocating itself.
    static ON: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn record(size: usize) {
    let _ = ON.try_with(|on| {
        if on.get() {
            ALLOCS.with(|a| a.set(a.get() + 1));
            BYTES.with(|b| b.set(b.get() + size as u64));
        }
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract is `System`'s; the counting touches only const thread-locals.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: forwarded as is (see above).
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size());
        // SAFETY: forwarded as is (see above).
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size);
        // SAFETY: forwarded as is (see above).
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is (see above).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Calls made before counting.
const WARM_UP: u64 = 64;
/// Calls counted.
const CALLS: u64 = 256;

/// Allocations of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    allocs: u64,
    bytes: u64,
}

/// Installs the metrics recorder (feature `metrics`): every test calls it first.
fn metrics_on() {
    #[cfg(feature = "metrics")]
    recorder::recorder();
}

fn start() {
    ALLOCS.with(|a| a.set(0));
    BYTES.with(|b| b.set(0));
    ON.with(|on| on.set(true));
}

fn stop() -> Counts {
    ON.with(|on| on.set(false));
    Counts {
        allocs: ALLOCS.with(Cell::get),
        bytes: BYTES.with(Cell::get),
    }
}

#[actix_route_cors::cors(origins = ["https://*.example.com"], credentials, expose = ["x-total"])]
#[get("/items")]
async fn cors_wildcard() -> HttpResponse {
    items_response()
}

#[actix_route_cors::cors(origins = ["*"], expose = ["x-total"])]
#[get("/items")]
async fn cors_any() -> HttpResponse {
    items_response()
}

const NONE: Vec<String> = Vec::new();

/// Warms `app` up with `make`, then counts the allocations of [`CALLS`] calls; returns the
/// per-call count and the last response.
async fn measure<S, R, B>(app: &S, make: impl Fn() -> R) -> (Counts, ServiceResponse<B>)
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    for _ in 0..WARM_UP {
        drop(call_service(app, make()).await);
    }
    let mut allocs = 0;
    let mut bytes = 0;
    let mut last = None;
    for i in 0..CALLS {
        let req = make();
        start();
        let res = call_service(app, req).await;
        let counts = stop();
        allocs += counts.allocs;
        bytes += counts.bytes;
        // Responses are dropped before the next call, as in the warm-up (a response kept alive
        // holds its pooled head, and the next call would allocate another).
        if i + 1 == CALLS {
            last = Some(res);
        }
    }
    assert_eq!(allocs % CALLS, 0, "allocations differ between calls");
    let last = last.expect("CALLS > 0");
    (
        Counts {
            allocs: allocs / CALLS,
            bytes: bytes / CALLS,
        },
        last,
    )
}

fn header<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers()
        .get_all(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}

fn one<B>(res: &ServiceResponse<B>, name: &str) -> String {
    let all = header(res, name);
    assert_eq!(all.len(), 1, "expected one `{name}`, got {all:?}");
    all.into_iter().next().unwrap_or_default()
}

fn row(case: &str, c: Counts, base: (&str, Counts)) {
    let (base_name, base) = base;
    println!(
        "{case:<38} {:>3} allocs {:>5} bytes   {:+} allocs, {:+} bytes vs {base_name}",
        c.allocs,
        c.bytes,
        c.allocs as i64 - base.allocs as i64,
        c.bytes as i64 - base.bytes as i64,
    );
}

#[actix_rt::test]
async fn cors_adds_no_allocation() {
    assert_eq!(log::max_level(), log::LevelFilter::Off, "no logger here");

    // The baselines: `#[get]` as a user writes it, and the resource `#[cors]` builds without
    // its CORS parts (same handler, same method guard).
    let bare_app = init_service(App::new().service(bare)).await;
    let (bare_get, res) = measure(&bare_app, || get().to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (bare_origin, res) = measure(&bare_app, || get_from(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    let plain_app = init_service(App::new().service(plain_resource())).await;
    let (plain_get, res) = measure(&plain_app, || get().to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (plain_origin, res) = measure(&plain_app, || get_from(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "vary"), NONE);

    let app = init_service(App::new().service(cors)).await;
    let (allowed, res) = measure(&app, || get_from(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "access-control-allow-credentials"), "true");
    assert_eq!(one(&res, "access-control-expose-headers"), "x-total");
    assert_eq!(one(&res, "vary"), "Origin");
    let (disallowed, res) = measure(&app, || get_from(EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    assert_eq!(one(&res, "vary"), "Origin");
    let (no_origin, res) = measure(&app, || get().to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    assert_eq!(one(&res, "vary"), "Origin");
    let (pre_allowed, res) = measure(&app, || preflight(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "access-control-allow-methods"), "GET");
    assert_eq!(
        one(&res, "access-control-allow-headers"),
        "content-type, x-request-id"
    );
    assert_eq!(one(&res, "access-control-max-age"), "600");
    let (pre_denied, res) = measure(&app, || preflight(EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);

    let wild_app = init_service(App::new().service(cors_wildcard)).await;
    let (wild_owned, res) = measure(&wild_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (wild_shared, res) = measure(&wild_app, || {
        get()
            .insert_header((ORIGIN, value_in_read_buffer(APP)))
            .to_request()
    })
    .await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);

    let any_app = init_service(App::new().service(cors_any)).await;
    let (any_allowed, res) = measure(&any_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), "*");
    let (any_no_origin, res) = measure(&any_app, || get().to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), "*");
    assert_eq!(header(&res, "vary"), NONE);

    CONFIGURED
        .set([APP, "https://*.preview.example.com"])
        .expect("valid origins");
    let conf_app = init_service(App::new().service(cors_configured)).await;
    let (conf_allowed, res) = measure(&conf_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "vary"), "Origin");
    let (conf_disallowed, res) = measure(&conf_app, || get_from(EVIL).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    let (conf_pre_allowed, res) = measure(&conf_app, || preflight(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);

    let named_app = init_service(App::new().service(cors_named)).await;
    let (named_allowed, res) = measure(&named_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "access-control-allow-credentials"), "true");

    let ac_app = init_service(App::new().wrap(actix_cors()).service(bare)).await;
    let (ac_allowed, res) = measure(&ac_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (ac_disallowed, res) = measure(&ac_app, || get_from(EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    let (ac_no_origin, res) = measure(&ac_app, || get().to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (ac_pre_allowed, res) = measure(&ac_app, || preflight(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (ac_pre_denied, res) = measure(&ac_app, || preflight(EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    println!("per request, after {WARM_UP} warm-up calls, averaged over {CALLS} calls");
    let bare_get = ("#[get]", bare_get);
    let bare_origin = ("#[get]", bare_origin);
    let plain_get = ("no CORS", plain_get);
    let plain_origin = ("no CORS", plain_origin);
    println!(
        "(\"no CORS\": the resource #[cors] builds, without its CORS parts; same request headers)"
    );
    let rows = [
        ("bare #[get], GET", bare_get.1, bare_get),
        ("bare #[get], GET + Origin", bare_origin.1, bare_origin),
        ("resource without CORS, GET", plain_get.1, plain_get),
        (
            "resource without CORS, GET + Origin",
            plain_origin.1,
            plain_origin,
        ),
        ("#[cors] allowed origin", allowed, plain_origin),
        ("#[cors] disallowed origin", disallowed, plain_origin),
        ("#[cors] no Origin", no_origin, plain_get),
        ("#[cors] allowed preflight", pre_allowed, plain_origin),
        ("#[cors] denied preflight", pre_denied, plain_origin),
        (
            "#[cors] wildcard, owned Origin value",
            wild_owned,
            plain_origin,
        ),
        (
            "#[cors] wildcard, shared Origin value",
            wild_shared,
            plain_origin,
        ),
        (
            "#[cors] origins = [\"*\"], allowed",
            any_allowed,
            plain_origin,
        ),
        (
            "#[cors] origins = [\"*\"], no Origin",
            any_no_origin,
            plain_get,
        ),
        (
            "#[cors] configured origins, allowed",
            conf_allowed,
            plain_origin,
        ),
        (
            "#[cors] configured origins, disallowed",
            conf_disallowed,
            plain_origin,
        ),
        (
            "#[cors] configured origins, preflight",
            conf_pre_allowed,
            plain_origin,
        ),
        ("#[cors(policy = ..)] allowed", named_allowed, plain_origin),
        ("actix-cors allowed origin", ac_allowed, bare_origin),
        ("actix-cors disallowed origin", ac_disallowed, bare_origin),
        ("actix-cors no Origin", ac_no_origin, bare_get),
        ("actix-cors allowed preflight", ac_pre_allowed, bare_origin),
        ("actix-cors denied preflight", ac_pre_denied, bare_origin),
    ];
    for (case, counts, base) in rows {
        row(case, counts, base);
    }
    let (bare_get, bare_origin, plain_get, plain_origin) =
        (bare_get.1, bare_origin.1, plain_get.1, plain_origin.1);

    // `#[get]`'s method guard records the route's methods in the request's extensions (a `Vec`,
    // a box and the extensions' map); `#[cors]` routes use their own guard, which does not.
    assert_eq!(
        bare_origin.allocs,
        plain_origin.allocs + 3,
        "#[get]'s guard"
    );
    assert_eq!(bare_get.allocs, plain_get.allocs + 3, "#[get]'s guard");

    // Actual requests: not one allocation more than the same resource without CORS.
    assert_eq!(allowed.allocs, plain_origin.allocs, "allowed origin");
    assert_eq!(disallowed.allocs, plain_origin.allocs, "disallowed origin");
    assert_eq!(no_origin.allocs, plain_get.allocs, "no Origin");
    assert_eq!(any_allowed.allocs, plain_origin.allocs, "[\"*\"], allowed");
    assert_eq!(any_no_origin.allocs, plain_get.allocs, "[\"*\"], no Origin");
    assert_eq!(wild_shared.allocs, plain_origin.allocs, "wildcard, shared");
    // Origins from configuration and named policies: exactly what written origins cost.
    assert_eq!(
        conf_allowed.allocs, plain_origin.allocs,
        "configured, allowed"
    );
    assert_eq!(
        conf_disallowed.allocs, plain_origin.allocs,
        "configured, disallowed"
    );
    assert_eq!(conf_pre_allowed, pre_allowed, "configured, preflight");
    assert_eq!(named_allowed, allowed, "named policy, allowed");
    // A wildcard match echoes the request's own value: cloning one that owns its bytes (as
    // `TestRequest` makes them) allocates once to share them. Over the wire the value is a
    // slice of the shared read buffer (the case above) and cloning it allocates nothing.
    assert_eq!(
        wild_owned.allocs,
        plain_origin.allocs + 1,
        "wildcard, owned"
    );

    // An allowed preflight allocates no more than a GET of the same route.
    assert!(
        pre_allowed.allocs <= plain_origin.allocs,
        "allowed preflight {pre_allowed:?}, GET {plain_origin:?}"
    );

    // A refused preflight allocates its body (which names the reason), once, and still less
    // than a `#[get]` GET.
    assert_eq!(
        pre_denied.allocs,
        pre_allowed.allocs + 1,
        "denied preflight"
    );
    assert!(pre_denied.allocs < bare_origin.allocs, "denied preflight");

    // And fewer than actix-cors in every case.
    for (ours, theirs, case) in [
        (allowed, ac_allowed, "allowed"),
        (disallowed, ac_disallowed, "disallowed"),
        (no_origin, ac_no_origin, "no Origin"),
        (pre_allowed, ac_pre_allowed, "allowed preflight"),
    ] {
        assert!(
            ours.allocs < theirs.allocs,
            "{case}: {ours:?} vs {theirs:?}"
        );
    }
}

/// A route without `#[cors]` next to the `#[cors]` one, for the `CorsFirst` cases.
fn other_resource() -> Resource {
    Resource::new("/other").guard(policy::is_get()).to(plain)
}

/// `CorsFirst` adds no allocation: not to requests without `Origin`, not to requests
/// for routes without `#[cors]`, not to allowed actual requests; and a preflight it answers
/// before routing allocates no more than the routed one.
#[actix_rt::test]
async fn cors_first_adds_no_allocation() {
    use actix_route_cors::CorsFirst;

    let without = init_service(App::new().service(cors).service(other_resource())).await;
    let with = init_service(
        App::new()
            .service(cors)
            .service(other_resource())
            .wrap(CorsFirst::new()),
    )
    .await;
    let other_from = |origin: &str| {
        TestRequest::get()
            .uri("/other")
            .insert_header(("origin", origin))
    };

    let (no_origin, _) = measure(&without, || get().to_request()).await;
    let (first_no_origin, res) = measure(&with, || get().to_request()).await;
    assert_eq!(one(&res, "vary"), "Origin");
    let (other, _) = measure(&without, || other_from(APP).to_request()).await;
    let (first_other, res) = measure(&with, || other_from(APP).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    let (allowed, _) = measure(&without, || get_from(APP).to_request()).await;
    let (first_allowed, res) = measure(&with, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "vary"), "Origin");
    let (preflight_routed, _) = measure(&without, || preflight(APP).to_request()).await;
    let (preflight_first, res) = measure(&with, || preflight(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);

    println!("CorsFirst, per request (same app without it in parentheses)");
    for (case, ours, base) in [
        ("no Origin", first_no_origin, no_origin),
        ("route without #[cors], Origin", first_other, other),
        ("#[cors] allowed origin", first_allowed, allowed),
        (
            "preflight, answered first",
            preflight_first,
            preflight_routed,
        ),
    ] {
        println!("{case:<32} {:>2} allocs ({})", ours.allocs, base.allocs);
    }
    assert_eq!(first_no_origin.allocs, no_origin.allocs, "no Origin");
    assert_eq!(first_other.allocs, other.allocs, "route without #[cors]");
    assert_eq!(first_allowed.allocs, allowed.allocs, "allowed origin");
    assert!(
        preflight_first.allocs <= preflight_routed.allocs,
        "preflight {preflight_first:?} vs {preflight_routed:?}"
    );
}

#[actix_route_cors::cors(origins = ["https://app.example.com"], credentials)]
#[actix_web::post("/items")]
async fn write() -> HttpResponse {
    items_response()
}

#[actix_route_cors::cors(origins = ["https://app.example.com"], credentials, writes_from_any_origin)]
#[actix_web::post("/items")]
async fn write_unchecked() -> HttpResponse {
    items_response()
}

/// The refusal of cross-origin writes adds no allocation to an allowed write (what
/// a browser sends with a cross-origin `fetch()` POST), nor to a read.
#[actix_rt::test]
async fn the_write_check_adds_no_allocation() {
    let checked = init_service(App::new().service(write)).await;
    let unchecked = init_service(App::new().service(write_unchecked)).await;
    let post = || {
        TestRequest::post()
            .uri("/items")
            .insert_header(("origin", APP))
            .insert_header(("sec-fetch-site", "same-site"))
            .to_request()
    };
    let (with_check, res) = measure(&checked, post).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (without, _) = measure(&unchecked, post).await;
    println!(
        "allowed write: {} allocs ({} without the check)",
        with_check.allocs, without.allocs
    );
    assert_eq!(with_check.allocs, without.allocs, "allowed write");
}

/// Origins decided at run time: a function, a warm lookup and a reloaded
/// source cost the allocations written origins cost, not one more.
#[actix_web::test]
async fn origins_decided_at_run_time_add_no_allocation() {
    metrics_on();
    let app = init_service(App::new().service(cors)).await;
    let (written, _) = measure(&app, || get_from(APP).to_request()).await;
    let (written_refused, _) = measure(&app, || get_from(EVIL).to_request()).await;
    let (written_pre, _) = measure(&app, || preflight(APP).to_request()).await;

    let fn_app = init_service(App::new().service(cors_fn)).await;
    let shared = || {
        get()
            .insert_header((ORIGIN, value_in_read_buffer(APP)))
            .to_request()
    };
    let (fn_shared, res) = measure(&fn_app, shared).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(one(&res, "access-control-allow-credentials"), "true");
    let (fn_owned, _) = measure(&fn_app, || get_from(APP).to_request()).await;
    let (fn_refused, res) = measure(&fn_app, || get_from(EVIL).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    assert_eq!(one(&res, "vary"), "Origin");

    LOOKUP
        .install(
            actix_route_cors::LookupSettings::default(),
            |origin: String| async move { Ok::<_, std::io::Error>(origin == APP) },
        )
        .expect("installed once");
    let lookup_app = init_service(App::new().service(cors_lookup)).await;
    // `measure` warms up first: the lookup runs then, the measured calls hit the cache.
    let (lookup_allowed, res) = measure(&lookup_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (lookup_refused, res) = measure(&lookup_app, || get_from(EVIL).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    let (lookup_pre, res) = measure(&lookup_app, || preflight(APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    assert_eq!(LOOKUP.stats().lookups, 2, "{:?}", LOOKUP.stats());

    CONFIGURED
        .set([APP, "https://*.preview.example.com"])
        .expect("valid origins");
    let conf_app = init_service(App::new().service(cors_configured)).await;
    CONFIGURED
        .set(["https://other.example", APP])
        .expect("valid origins");
    let (reloaded, res) = measure(&conf_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);

    // A whole allowlist in memory: 100,000 exact origins and a pattern, then changed one
    // origin at a time.
    let mut large: Vec<String> = (0..100_000)
        .map(|i| format!("https://tenant-{i}.example"))
        .collect();
    large.push("https://*.preview.example.com".to_owned());
    CONFIGURED.set(&large).expect("valid origins");
    assert!(CONFIGURED.insert(APP).expect("valid origin"));
    let (large_allowed, res) = measure(&conf_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);
    let (large_refused, res) = measure(&conf_app, || get_from(EVIL).to_request()).await;
    assert_eq!(header(&res, "access-control-allow-origin"), NONE);
    assert!(CONFIGURED.remove("https://tenant-7.example"));
    let (large_changed, res) = measure(&conf_app, || get_from(APP).to_request()).await;
    assert_eq!(one(&res, "access-control-allow-origin"), APP);

    for (case, counts, base) in [
        (
            "function, allowed (Origin in the read buffer)",
            fn_shared,
            written,
        ),
        ("function, refused", fn_refused, written_refused),
        ("lookup, warm, allowed", lookup_allowed, written),
        ("lookup, warm, refused", lookup_refused, written_refused),
        ("lookup, warm, preflight", lookup_pre, written_pre),
        ("reloaded source, allowed", reloaded, written),
        ("source of 100,001 origins, allowed", large_allowed, written),
        (
            "source of 100,001 origins, refused",
            large_refused,
            written_refused,
        ),
        (
            "source after insert and remove, allowed",
            large_changed,
            written,
        ),
    ] {
        println!("{case}: {counts:?} (written origins: {base:?})");
        assert_eq!(counts.allocs, base.allocs, "{case}");
    }
    // A function's allowed origin is echoed from the request: a value that owns its bytes (as
    // `TestRequest` makes them) is shared on its first clone, one allocation; a value read
    // from the wire is a slice of the shared read buffer (the case above).
    assert_eq!(
        fn_owned.allocs,
        written.allocs + 1,
        "function, owned Origin"
    );
}
