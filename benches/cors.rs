//! What `#[cors]` costs per request, in process: the bare handler, `#[cors]` and `actix-cors`
//! 0.7.2 with the same policy, through `Service::call` on an `actix_rt::System` (what
//! `actix_web::test::call_service` does, without its `expect`).
//!
//! ```text
//! cargo bench -p cors-benches                # ~2 minutes; a table of ratios at the end
//! cargo bench -p cors-benches -- cors-allowed # the cases whose name matches (criterion's filter)
//! ```
//!
//! Requests are built ahead, [`CHUNK`] at a time, outside the timed loop; the timed loop calls
//! the service and drops the response, inside one `block_on` per chunk (so the runtime's own
//! `block_on` is not part of any case). Every case is checked once before it is timed (status
//! and exact header values), so that a bench cannot time the wrong path.
//!
//! After criterion's runs, the cases are timed again interleaved: [`ROUNDS`] rounds, each
//! timing every case for about [`ROUND_TIME`], one after the other. A ratio is taken between
//! two cases of the same round, so that load from other processes, which comes and goes,
//! weighs on both sides; the table shows the median ratio over the rounds and its range.
//! See BENCHMARKS.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use actix_route_cors::CorsFirst;
use actix_rt::SystemRunner;
use actix_web::body::MessageBody;
use actix_web::dev::{AppService, HttpServiceFactory, Service, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, App, Error, HttpResponse, Resource};
use criterion::Criterion;
// Variants wired by hand (the preflight resource first, say) reach the runtime's internals.
use cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors};
use cors_runtime::rules::{validate, PolicyInput};
use cors_runtime::Policy;
// The policy measured, in each origin form, next to the bare handler and actix-cors: the
// allocation test (tests/allocations.rs) includes the same file.
#[path = "../tests/support/policy.rs"]
mod policy;
// A function's allowed origin is echoed from the request: its cases send `Origin` as it
// arrives over the wire.
#[path = "../tests/support/read_buffer.rs"]
mod read_buffer;
// With feature `metrics`: every decision counted, into a recorder that keeps atomics in a map
// (as an exporter does), installed before the first request.
#[cfg(feature = "metrics")]
#[path = "../tests/support/recorder.rs"]
mod recorder;
use policy::{
    actix_cors, bare, cors, cors_configured, cors_fn, cors_lookup, get, get_from, items_response,
    plain, plain_resource, preflight, APP, CONFIGURED, EVIL, LOOKUP,
};
use policy::{cors_large, cors_three, LARGE, THREE};
use read_buffer::value_in_read_buffer;

mod many_routes;

/// Requests built ahead of one timed loop (below actix-web's pools of 128 request heads).
const CHUNK: u64 = 64;
/// Criterion's group: results are in `target/criterion/request/<case>/`.
const GROUP: &str = "request";
/// Interleaved rounds after criterion's runs.
const ROUNDS: usize = 7;
/// Time per case in each interleaved round.
const ROUND_TIME: Duration = Duration::from_millis(150);

/// [`cors`] for `POST`, whose writes from origins it does not allow are refused before the
/// handler: an allowed write pays the check.
#[actix_route_cors::cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600
)]
#[actix_web::post("/items")]
async fn cors_post() -> HttpResponse {
    items_response()
}

/// [`cors_post`] with `writes_from_any_origin`: no write check.
#[actix_route_cors::cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600,
    writes_from_any_origin
)]
#[actix_web::post("/items")]
async fn cors_post_unchecked() -> HttpResponse {
    items_response()
}

/// [`bare`] on a path with a parameter (matched by a regular expression).
#[get("/items/{id}")]
async fn bare_param(id: actix_web::web::Path<u32>) -> HttpResponse {
    black_box(id.into_inner());
    items_response()
}

/// [`cors`] on a path with a parameter: its preflight resource has the same path, so an actual
/// request's path is matched twice (the preflight resource's guard then refuses it).
#[actix_route_cors::cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600
)]
#[get("/items/{id}")]
async fn cors_param(id: actix_web::web::Path<u32>) -> HttpResponse {
    black_box(id.into_inner());
    items_response()
}

async fn param_handler(id: actix_web::web::Path<u32>) -> HttpResponse {
    black_box(id.into_inner());
    items_response()
}

/// Not what `#[cors]` builds today: [`cors`] (or [`cors_param`], on a path with a parameter)
/// with its preflight resource registered *after* the route's resource instead of before, so
/// that an actual request's path is matched once. Same policy, middleware and preflight
/// resource (the macro's own building blocks); a measurement for a possible change to the
/// macro (see BENCHMARKS.md).
struct PreflightLast(&'static str);

impl HttpServiceFactory for PreflightLast {
    fn register(self, config: &mut AppService) {
        let policy = validate(&PolicyInput {
            origins: &[APP],
            route_methods: &["GET"],
            headers: &["content-type", "x-request-id"],
            expose: &["x-total"],
            credentials: true,
            max_age: Some(600),
            ..PolicyInput::default()
        })
        .expect("a valid policy");
        let route_cors: &'static RouteCors = Box::leak(Box::new(RouteCors::new(
            Policy::from_valid(&policy),
            "preflight_last",
        )));
        let resource = Resource::new(self.0)
            .name("preflight_last")
            .guard(MethodGuard(&["GET"], route_cors))
            .wrap(Cors(route_cors));
        if self.0.contains('{') {
            resource.to(param_handler).register(config);
        } else {
            resource.to(plain).register(config);
        }
        register_preflight(config, self.0, &["GET"], route_cors);
    }
}

/// What a case's response must be: its status and the exact values of these headers (`None`:
/// absent).
struct Expect {
    status: StatusCode,
    headers: &'static [(&'static str, Option<&'static str>)],
}

const PLAIN: Expect = Expect {
    status: StatusCode::OK,
    headers: &[("access-control-allow-origin", None), ("vary", None)],
};
const ALLOWED: Expect = Expect {
    status: StatusCode::OK,
    headers: &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-expose-headers", Some("x-total")),
        ("vary", Some("Origin")),
    ],
};
const REFUSED: Expect = Expect {
    status: StatusCode::OK,
    headers: &[
        ("access-control-allow-origin", None),
        ("vary", Some("Origin")),
    ],
};
const PREFLIGHT_ALLOWED: Expect = Expect {
    status: StatusCode::NO_CONTENT,
    headers: &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-allow-methods", Some("GET")),
        (
            "access-control-allow-headers",
            Some("content-type, x-request-id"),
        ),
        ("access-control-max-age", Some("600")),
    ],
};
const PREFLIGHT_DENIED: Expect = Expect {
    status: StatusCode::FORBIDDEN,
    headers: &[("access-control-allow-origin", None)],
};
const AC_ALLOWED: Expect = Expect {
    status: StatusCode::OK,
    headers: &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-expose-headers", Some("x-total")),
        (
            "vary",
            Some("Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ),
    ],
};
const AC_REFUSED: Expect = Expect {
    status: StatusCode::OK,
    headers: &[("access-control-allow-origin", None)],
};
const AC_PREFLIGHT_ALLOWED: Expect = Expect {
    status: StatusCode::OK,
    headers: &[
        ("access-control-allow-origin", Some(APP)),
        ("access-control-allow-credentials", Some("true")),
        ("access-control-allow-methods", Some("GET")),
        ("access-control-max-age", Some("600")),
    ],
};
const AC_PREFLIGHT_DENIED: Expect = Expect {
    status: StatusCode::BAD_REQUEST,
    headers: &[("access-control-allow-origin", None)],
};

/// Calls `app` once with `make()` and checks the response against `expect`.
fn check<S, R, B>(system: &SystemRunner, name: &str, app: &S, make: &dyn Fn() -> R, expect: &Expect)
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let res = system
        .block_on(app.call(make()))
        .unwrap_or_else(|e| panic!("{name}: the service failed: {e}"));
    assert_eq!(res.status(), expect.status, "{name}: status");
    for &(header, value) in expect.headers {
        let values: Vec<String> = res
            .headers()
            .get_all(header)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        let expected: Vec<String> = value.iter().map(|v| v.to_string()).collect();
        assert_eq!(values, expected, "{name}: `{header}`");
    }
}

/// The policy of `cors`, only reported (`report_only`): judged and recorded, the response left
/// as the handler made it. What report-only costs next to enforcing.
#[actix_route_cors::cors(
    origins = ["https://app.example.com"],
    headers = ["content-type", "x-request-id"],
    credentials,
    expose = ["x-total"],
    max_age = 600,
    report_only
)]
#[actix_web::get("/items")]
async fn cors_reported() -> HttpResponse {
    items_response()
}

/// Times `iters` calls of `app`, [`CHUNK`] requests at a time. Never inlined:
/// `scripts/instructions.sh` counts inside it, whatever the codegen settings.
#[inline(never)]
fn run<S, R, B>(system: &SystemRunner, app: &S, make: &dyn Fn() -> R, iters: u64) -> Duration
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
{
    let mut total = Duration::ZERO;
    let mut left = iters;
    let mut requests = Vec::with_capacity(CHUNK as usize);
    while left > 0 {
        let n = left.min(CHUNK);
        requests.extend((0..n).map(|_| make()));
        total += system.block_on(async {
            let start = Instant::now();
            for req in requests.drain(..) {
                drop(black_box(app.call(black_box(req)).await));
            }
            start.elapsed()
        });
        left -= n;
    }
    total
}

/// A checked case, ready to be timed: `time(iters)` is the time of `iters` requests.
struct Case<'a> {
    name: &'static str,
    time: Box<dyn Fn(u64) -> Duration + 'a>,
}

fn case<'a, S, R, B>(
    system: &'a SystemRunner,
    name: &'static str,
    app: &'a S,
    make: impl Fn() -> R + 'a,
    expect: &Expect,
) -> Case<'a>
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    check(system, name, app, &make, expect);
    Case {
        name,
        time: Box::new(move |iters| run(system, app, &make, iters)),
    }
}

/// The rows of the summary: a case, the bare case it is compared with, and its actix-cors twin.
const SUMMARY: &[(&str, &str, Option<&str>)] = &[
    ("bare-get", "bare-get", None),
    ("bare-get-origin", "bare-get", None),
    ("plain-resource-get-origin", "bare-get-origin", None),
    (
        "cors-allowed",
        "bare-get-origin",
        Some("actix-cors-allowed"),
    ),
    (
        "cors-disallowed",
        "bare-get-origin",
        Some("actix-cors-disallowed"),
    ),
    ("cors-no-origin", "bare-get", Some("actix-cors-no-origin")),
    ("cors-preflight", "bare-get", Some("actix-cors-preflight")),
    (
        "cors-preflight-denied",
        "bare-get",
        Some("actix-cors-preflight-denied"),
    ),
    ("reported-allowed", "cors-allowed", None),
    ("reported-disallowed", "cors-disallowed", None),
    ("configured-allowed", "cors-allowed", None),
    ("configured-disallowed", "cors-disallowed", None),
    ("configured-preflight", "cors-preflight", None),
    ("cors-allowed-wire", "bare-get-origin", None),
    ("fn-allowed-wire", "cors-allowed-wire", None),
    ("fn-disallowed", "cors-disallowed", None),
    ("cors-preflight-wire", "bare-get", None),
    ("fn-preflight-wire", "cors-preflight-wire", None),
    ("lookup-allowed", "cors-allowed", None),
    ("lookup-disallowed", "cors-disallowed", None),
    ("lookup-preflight", "cors-preflight", None),
    ("actix-cors-allowed", "bare-get-origin", None),
    ("actix-cors-disallowed", "bare-get-origin", None),
    ("actix-cors-no-origin", "bare-get", None),
    ("actix-cors-preflight", "bare-get", None),
    ("actix-cors-preflight-denied", "bare-get", None),
    (
        "cors-allowed-preflight-last",
        "bare-get-origin",
        Some("actix-cors-allowed"),
    ),
    ("param-bare-get-origin", "param-bare-get-origin", None),
    (
        "param-cors-allowed",
        "param-bare-get-origin",
        Some("param-actix-cors-allowed"),
    ),
    ("param-actix-cors-allowed", "param-bare-get-origin", None),
    (
        "param-cors-allowed-preflight-last",
        "param-bare-get-origin",
        Some("param-actix-cors-allowed"),
    ),
    // Cross-origin writes: an allowed write with the check against the same route
    // without it.
    ("cors-post-allowed", "cors-post-allowed-unchecked", None),
    // CorsFirst: each case against the same app without it; the preflight against
    // a bare GET, and against the routed preflight of the same app.
    ("first10-no-origin", "routed10-no-origin", None),
    ("first10-other-origin", "routed10-other-origin", None),
    ("first10-allowed", "routed10-allowed", None),
    ("first10-preflight", "bare-get", Some("routed10-preflight")),
    ("first500-no-origin", "routed500-no-origin", None),
    ("first500-other-origin", "routed500-other-origin", None),
    ("first500-allowed", "routed500-allowed", None),
    (
        "first500-preflight",
        "bare-get",
        Some("routed500-preflight"),
    ),
    ("routed500-preflight", "bare-get", None),
];

fn benches(c: &mut Criterion, system: &SystemRunner, summarise: Option<&Path>) {
    let bare_app = system.block_on(init_service(App::new().service(bare)));
    let plain_app = system.block_on(init_service(App::new().service(plain_resource())));
    let app = system.block_on(init_service(App::new().service(cors)));
    let reported_app = system.block_on(init_service(App::new().service(cors_reported)));
    let ac_app = system.block_on(init_service(App::new().wrap(actix_cors()).service(bare)));
    CONFIGURED.set([APP]).expect("valid origins");
    let configured_app = system.block_on(init_service(App::new().service(cors_configured)));
    // A whole allowlist in memory against a short list: exact origins are found by hash.
    THREE
        .set([
            APP,
            "https://admin.example.com",
            "https://*.preview.example.com",
        ])
        .expect("valid origins");
    let three_app = system.block_on(init_service(App::new().service(cors_three)));
    let mut large: Vec<String> = (0..100_000)
        .map(|i| format!("https://tenant-{i}.example"))
        .collect();
    large.push("https://*.preview.example.com".to_owned());
    LARGE.set(&large).expect("valid origins");
    LARGE.insert(APP).expect("a valid origin");
    let large_app = system.block_on(init_service(App::new().service(cors_large)));
    let bare_param_app = system.block_on(init_service(App::new().service(bare_param)));
    let param_app = system.block_on(init_service(App::new().service(cors_param)));
    let ac_param_app = system.block_on(init_service(
        App::new().wrap(actix_cors()).service(bare_param),
    ));
    let preflight_last_app = system.block_on(init_service(
        App::new().service(PreflightLast("/items/{id}")),
    ));
    let static_last_app =
        system.block_on(init_service(App::new().service(PreflightLast("/items"))));
    let get_param = || get_from(APP).uri("/items/7").to_request();
    let many = |n: usize| {
        App::new()
            .service(many_routes::Fillers(n))
            .service(cors)
            .service(many_routes::other())
    };
    let routed10 = system.block_on(init_service(many(10)));
    let first10 = system.block_on(init_service(many(10).wrap(CorsFirst::new())));
    let routed500 = system.block_on(init_service(many(500)));
    let first500 = system.block_on(init_service(many(500).wrap(CorsFirst::new())));
    let other_origin = || get_from(APP).uri("/plain").to_request();
    let fn_app = system.block_on(init_service(App::new().service(cors_fn)));
    LOOKUP
        .install(
            actix_route_cors::LookupSettings::default().ttl(Duration::from_secs(3600)),
            |origin: String| async move { Ok::<_, std::io::Error>(origin == APP) },
        )
        .expect("installed once");
    let lookup_app = system.block_on(init_service(App::new().service(cors_lookup)));
    // Origins as they arrive over the wire (see `value_in_read_buffer`).
    let get_wire = || {
        get()
            .insert_header(("origin", value_in_read_buffer(APP)))
            .to_request()
    };
    let preflight_wire = || {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header(("origin", value_in_read_buffer(APP)))
            .insert_header(("access-control-request-method", "GET"))
            .insert_header((
                "access-control-request-headers",
                "content-type,x-request-id",
            ))
            .to_request()
    };
    let post_app = system.block_on(init_service(App::new().service(cors_post)));
    let post_unchecked_app = system.block_on(init_service(App::new().service(cors_post_unchecked)));
    // What a browser sends with a cross-origin `fetch()` POST from the allowed page.
    let post = || {
        TestRequest::post()
            .uri("/items")
            .insert_header(("origin", APP))
            .insert_header(("sec-fetch-site", "same-site"))
            .to_request()
    };

    #[rustfmt::skip]
    let cases = [
        case(system, "bare-get", &bare_app, || get().to_request(), &PLAIN),
        case(system, "bare-get-origin", &bare_app, || get_from(APP).to_request(), &PLAIN),
        case(system, "plain-resource-get-origin", &plain_app, || get_from(APP).to_request(), &PLAIN),
        case(system, "cors-allowed", &app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "cors-disallowed", &app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "cors-no-origin", &app, || get().to_request(), &REFUSED),
        case(system, "cors-preflight", &app, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "cors-preflight-denied", &app, || preflight(EVIL).to_request(), &PREFLIGHT_DENIED),
        case(system, "reported-allowed", &reported_app, || get_from(APP).to_request(), &PLAIN),
        case(system, "reported-disallowed", &reported_app, || get_from(EVIL).to_request(), &PLAIN),
        case(system, "configured-allowed", &configured_app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "configured-disallowed", &configured_app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "configured-preflight", &configured_app, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "set3-allowed", &three_app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "set3-disallowed", &three_app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "set100k-allowed", &large_app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "set100k-disallowed", &large_app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "cors-allowed-wire", &app, get_wire, &ALLOWED),
        case(system, "fn-allowed-wire", &fn_app, get_wire, &ALLOWED),
        case(system, "fn-disallowed", &fn_app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "cors-preflight-wire", &app, preflight_wire, &PREFLIGHT_ALLOWED),
        case(system, "fn-preflight-wire", &fn_app, preflight_wire, &PREFLIGHT_ALLOWED),
        case(system, "lookup-allowed", &lookup_app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "lookup-disallowed", &lookup_app, || get_from(EVIL).to_request(), &REFUSED),
        case(system, "lookup-preflight", &lookup_app, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "actix-cors-allowed", &ac_app, || get_from(APP).to_request(), &AC_ALLOWED),
        case(system, "actix-cors-disallowed", &ac_app, || get_from(EVIL).to_request(), &AC_REFUSED),
        case(system, "actix-cors-no-origin", &ac_app, || get().to_request(), &AC_REFUSED),
        case(system, "actix-cors-preflight", &ac_app, || preflight(APP).to_request(), &AC_PREFLIGHT_ALLOWED),
        case(system, "actix-cors-preflight-denied", &ac_app, || preflight(EVIL).to_request(), &AC_PREFLIGHT_DENIED),
        case(system, "cors-allowed-preflight-last", &static_last_app, || get_from(APP).to_request(), &ALLOWED),
        case(system, "param-bare-get-origin", &bare_param_app, get_param, &PLAIN),
        case(system, "param-cors-allowed", &param_app, get_param, &ALLOWED),
        case(system, "param-actix-cors-allowed", &ac_param_app, get_param, &AC_ALLOWED),
        case(system, "param-cors-allowed-preflight-last", &preflight_last_app, get_param, &ALLOWED),
        case(system, "cors-post-allowed", &post_app, post, &ALLOWED),
        case(system, "cors-post-allowed-unchecked", &post_unchecked_app, post, &ALLOWED),
        case(system, "routed10-no-origin", &routed10, || get().to_request(), &REFUSED),
        case(system, "first10-no-origin", &first10, || get().to_request(), &REFUSED),
        case(system, "routed10-other-origin", &routed10, other_origin, &PLAIN),
        case(system, "first10-other-origin", &first10, other_origin, &PLAIN),
        case(system, "routed10-allowed", &routed10, || get_from(APP).to_request(), &ALLOWED),
        case(system, "first10-allowed", &first10, || get_from(APP).to_request(), &ALLOWED),
        case(system, "routed10-preflight", &routed10, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "first10-preflight", &first10, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "routed500-no-origin", &routed500, || get().to_request(), &REFUSED),
        case(system, "first500-no-origin", &first500, || get().to_request(), &REFUSED),
        case(system, "routed500-other-origin", &routed500, other_origin, &PLAIN),
        case(system, "first500-other-origin", &first500, other_origin, &PLAIN),
        case(system, "routed500-allowed", &routed500, || get_from(APP).to_request(), &ALLOWED),
        case(system, "first500-allowed", &first500, || get_from(APP).to_request(), &ALLOWED),
        case(system, "routed500-preflight", &routed500, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
        case(system, "first500-preflight", &first500, || preflight(APP).to_request(), &PREFLIGHT_ALLOWED),
    ];

    let mut group = c.benchmark_group(GROUP);
    for case in &cases {
        group.bench_function(case.name, |b| b.iter_custom(|iters| (case.time)(iters)));
    }
    group.finish();

    if let Some(dir) = summarise {
        let rounds = interleaved(&cases);
        summary(dir, &cases, &rounds);
    }
}

/// Times every case [`ROUNDS`] times, interleaved; returns the nanoseconds per request of each
/// case in each round (`[round][case]`).
fn interleaved(cases: &[Case<'_>]) -> Vec<Vec<f64>> {
    // Requests per case and round: about ROUND_TIME's worth, from a short calibration.
    let iters: Vec<u64> = cases
        .iter()
        .map(|case| {
            let probe = 2_000;
            let t = (case.time)(probe).as_secs_f64() / probe as f64;
            ((ROUND_TIME.as_secs_f64() / t) as u64).max(1_000)
        })
        .collect();
    (0..ROUNDS)
        .map(|round| {
            let mut ns = vec![0.0; cases.len()];
            // Each round starts one case further, so that no case always runs first.
            for k in 0..cases.len() {
                let i = (round + k) % cases.len();
                let t = (cases[i].time)(iters[i]);
                ns[i] = t.as_secs_f64() * 1e9 / iters[i] as f64;
            }
            ns
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The median time per request of a case, in nanoseconds, from criterion's `estimates.json`.
fn criterion_median_ns(dir: &Path, case: &str) -> Option<f64> {
    let path = dir
        .join(GROUP)
        .join(case)
        .join("new")
        .join("estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn summary(dir: &Path, cases: &[Case<'_>], rounds: &[Vec<f64>]) {
    let index = |name: &str| cases.iter().position(|c| c.name == name);
    // Per-round ratios of case `a` to case `b`: (median, min, max).
    let ratio = |a: usize, b: usize| {
        let r: Vec<f64> = rounds.iter().map(|round| round[a] / round[b]).collect();
        let min = r.iter().copied().fold(f64::INFINITY, f64::min);
        let max = r.iter().copied().fold(0.0, f64::max);
        (median(r), min, max)
    };
    println!();
    println!(
        "{ROUNDS} interleaved rounds of ~{} ms per case; ratios are medians over the rounds [min-max]",
        ROUND_TIME.as_millis()
    );
    println!(
        "{:<28} {:>9} {:>9}  {:<38} ratio to actix-cors",
        "case", "criterion", "rounds", "ratio to bare"
    );
    for &(name, base, twin) in SUMMARY {
        let Some(i) = index(name) else { continue };
        let crit = criterion_median_ns(dir, name).map_or("-".to_string(), |t| format!("{t:.0}ns"));
        let t = median(rounds.iter().map(|r| r[i]).collect());
        let to_base = match index(base) {
            Some(b) if b != i => {
                let (m, lo, hi) = ratio(i, b);
                format!("{m:.2}x {base} [{lo:.2}-{hi:.2}]")
            }
            _ => String::new(),
        };
        let to_twin = match twin.and_then(index) {
            Some(a) => {
                let (m, lo, hi) = ratio(i, a);
                format!("{m:.2}x [{lo:.2}-{hi:.2}]")
            }
            None => String::new(),
        };
        println!("{name:<28} {crit:>9} {:>7.0}ns  {to_base:<38} {to_twin}", t);
    }
}

fn main() {
    #[cfg(feature = "metrics")]
    recorder::recorder();
    // `target/criterion`, set explicitly so that the summary knows where to read.
    let dir: PathBuf = std::env::var_os("CRITERION_HOME").map_or_else(
        || {
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("..")
                .join("criterion")
        },
        PathBuf::from,
    );
    let mut c = Criterion::default()
        .output_directory(&dir)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .configure_from_args();
    // `cargo bench` passes `--bench`; `cargo test --benches` runs each case once, and then
    // there is nothing to summarise.
    // Nor under `--profile-time` (profiling one case).
    let args: Vec<String> = std::env::args().collect();
    let summarise =
        args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--profile-time");
    let system = actix_rt::System::new();
    benches(&mut c, &system, summarise.then_some(dir.as_path()));
    c.final_summary();
}
