//! Property tests over generated policies and requests.
//!
//! Policies are generated as structured origin specs (exact origins, `null`, `*`, one-label
//! wildcards with or without a port), methods, request headers and flags, then go through
//! `rules::validate` and `Policy::from_valid` as at start-up. Requests are listed origins,
//! near-misses of listed origins (case, slash, suffix, extra or empty label, other scheme or
//! port, a label glued to the parent) and arbitrary bytes. The expected answers come from an
//! oracle written here from the contract, which parses origins by hand instead of comparing
//! the policy's prefix and suffix strings.
//!
//! Properties:
//! - `acao_only_for_allowed_origins`: an allowing decision is never made for an origin the
//!   policy does not list (actual requests and preflights).
//! - `never_star_with_credentials`: `*` is answered only for `origins = ["*"]`, which never has
//!   credentials.
//! - `preflight_allowed_iff_everything_allowed`: a preflight is allowed if and only if the
//!   origin, the method, every requested header (and private-network access, when asked for)
//!   are allowed and the header list is within 4096 bytes.
//! - `wildcards_stay_within_one_label_scheme_and_port`: origins built to differ from a pattern
//!   in exactly one way (label count, label boundary, scheme, port) never match; one label does.
//! - `only_writes_from_origins_not_allowed_are_refused`: `decide_write` refuses only
//!   unsafe methods from origins the policy does not allow, never what the browser calls
//!   same-origin; and always refuses such a write marked cross-site or same-site.
//! - `one_of_each_cors_header_through_actix`: through a real actix-web service, every response
//!   carries at most one of each `Access-Control-*` header (exactly the policy's), even when the
//!   handler sets its own.

use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::test::{init_service, try_call_service, TestRequest};
use actix_web::{web, App, HttpResponse};
use cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors};
use cors_runtime::rules::{validate, PolicyInput};
use cors_runtime::{
    decide_actual, decide_preflight, decide_write, is_safe_method, Actual, AllowOrigin, Field,
    Policy, Preflight, PreflightRequest, RequestOrigin, Verdict, WriteRequest,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Cases per property on the pure decisions.
const CASES: u32 = 1024;
/// Cases of the property that goes through actix-web (each builds an app).
const ACTIX_CASES: u32 = 128;

// ---------------------------------------------------------------------------------------------
// Generated policies
// ---------------------------------------------------------------------------------------------

/// One entry of `origins`, structured.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Spec {
    Star,
    Null,
    Exact {
        scheme: &'static str,
        host: String,
        port: Option<u16>,
    },
    Wild {
        scheme: &'static str,
        parent: String,
        port: Option<u16>,
    },
}

fn port_text(port: Option<u16>) -> String {
    port.map(|p| format!(":{p}")).unwrap_or_default()
}

impl Spec {
    fn text(&self) -> String {
        match self {
            Spec::Star => "*".into(),
            Spec::Null => "null".into(),
            Spec::Exact { scheme, host, port } => format!("{scheme}://{host}{}", port_text(*port)),
            Spec::Wild {
                scheme,
                parent,
                port,
            } => format!("{scheme}://*.{parent}{}", port_text(*port)),
        }
    }
}

const METHODS: [&str; 5] = ["GET", "PUT", "POST", "DELETE", "PATCH"];
const HEADERS: [&str; 5] = [
    "content-type",
    "x-request-id",
    "authorization",
    "x-api-key",
    "*",
];

#[derive(Debug, Clone)]
struct PolicyCase {
    specs: Vec<Spec>,
    methods: Vec<&'static str>,
    headers: Vec<&'static str>,
    expose: Vec<&'static str>,
    credentials: bool,
    private_network: bool,
    max_age: Option<u64>,
}

impl PolicyCase {
    fn build(&self) -> Policy {
        let origins: Vec<String> = self.specs.iter().map(Spec::text).collect();
        let origins: Vec<&str> = origins.iter().map(String::as_str).collect();
        let valid = validate(&PolicyInput {
            origins: &origins,
            methods: None,
            route_methods: &self.methods,
            headers: &self.headers,
            expose: &self.expose,
            credentials: self.credentials,
            max_age: self.max_age,
            private_network: self.private_network,
            origin_source: false,
            writes_from_any_origin: false,
            // Generated plain-HTTP origins may come with credentials: matching is what is
            // tested here, not that rule (tests/it/dangerous_origins.rs).
            dangerously_trust_http_origins: self.credentials
                && origins
                    .iter()
                    .any(|o| cors_runtime::rules::is_plain_http_origin(o)),
            report_only: cors_runtime::ReportOnly::Nothing,
            websocket: false,
        })
        .unwrap_or_else(|e| panic!("generated policy {self:?} is invalid: {e:?}"));
        Policy::from_valid(&valid)
    }

    fn any(&self) -> bool {
        self.specs == [Spec::Star]
    }
}

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?"
}

/// A DNS name that is not IPv4-like (its last label is alphabetic).
fn domain() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(label(), 1..3),
        prop::sample::select(vec!["com", "org", "example", "net"]),
    )
        .prop_map(|(labels, tld)| format!("{}.{tld}", labels.join(".")))
        // A wildcard under a public suffix (`co.com`, `us.org`) is refused by a rule of its
        // own (tests/it/dangerous_origins.rs), not a matter of matching.
        .prop_filter("a public suffix", |domain| {
            cors_runtime::rules::check_origin(&format!("https://*.{domain}")).is_ok()
        })
}

fn scheme() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["https", "http"])
}

/// A port as browsers send it: absent for the scheme's default.
fn port(scheme: &'static str) -> impl Strategy<Value = Option<u16>> {
    let default = if scheme == "https" { 443 } else { 80 };
    prop::option::of(prop_oneof![Just(8080u16), Just(8443), 1u16..=65535])
        .prop_map(move |p| p.filter(|&p| p != default))
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        1 => Just(Spec::Null),
        4 => (scheme(), domain()).prop_flat_map(|(scheme, host)| port(scheme)
            .prop_map(move |port| Spec::Exact { scheme, host: host.clone(), port })),
        4 => (scheme(), domain()).prop_flat_map(|(scheme, parent)| port(scheme)
            .prop_map(move |port| Spec::Wild { scheme, parent: parent.clone(), port })),
        // A loopback origin.
        1 => port("http").prop_map(|port| Spec::Exact {
            scheme: "http",
            host: "127.0.0.1".into(),
            port
        }),
    ]
}

fn policy() -> impl Strategy<Value = PolicyCase> {
    (
        prop_oneof![
            1 => Just(vec![Spec::Star]),
            5 => prop::collection::vec(spec(), 1..4),
        ],
        prop::sample::subsequence(METHODS.to_vec(), 1..=METHODS.len()),
        prop::sample::subsequence(HEADERS.to_vec(), 0..=HEADERS.len()),
        prop::sample::subsequence(vec!["x-total", "*"], 0..=2),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(0u64..=86_400),
    )
        .prop_map(
            |(mut specs, methods, headers, mut expose, credentials, private_network, max_age)| {
                let mut seen = Vec::new();
                specs.retain(|s| {
                    let t = s.text();
                    let new = !seen.contains(&t);
                    seen.push(t);
                    new
                });
                // The combinations validation refuses: keep the generated policy valid.
                let credentials = credentials
                    && !specs.iter().any(|s| matches!(s, Spec::Star | Spec::Null))
                    && !headers.contains(&"*");
                if credentials {
                    expose.retain(|e| *e != "*");
                }
                PolicyCase {
                    specs,
                    methods,
                    headers,
                    expose,
                    credentials,
                    private_network,
                    max_age,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Generated requests
// ---------------------------------------------------------------------------------------------

/// An `Origin` for a policy: listed ones, near misses of listed ones, and arbitrary bytes.
fn origin_for(case: &PolicyCase) -> BoxedStrategy<Vec<u8>> {
    let texts: Vec<String> = case
        .specs
        .iter()
        .filter(|s| **s != Spec::Star)
        .map(Spec::text)
        .collect();
    let texts = if texts.is_empty() {
        vec!["https://app.example.com".to_owned()]
    } else {
        texts
    };
    let base =
        (prop::sample::select(texts), label(), 0usize..12).prop_map(|(text, label, mutation)| {
            let filled = text.replacen('*', &label, 1);
            let mutated = match mutation {
                // Three in twelve: as listed.
                0..=2 => filled,
                3 => filled.to_ascii_uppercase(),
                4 => format!("{filled}/"),
                5 => format!("{filled}.evil.net"),
                6 => text.replacen('*', &format!("{label}.{label}"), 1),
                // A label glued to the parent or to the host, without a dot.
                7 if text.contains("*.") => text.replacen("*.", &label, 1),
                7 => text.replacen("://", "://x", 1),
                8 => filled.replacen("https://", "http://", 1),
                9 => format!("{filled}:1"),
                10 => format!(" {filled}"),
                _ => text.replacen('*', "", 1),
            };
            mutated.into_bytes()
        });
    prop_oneof![
        6 => base,
        1 => Just(b"null".to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..40),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct Request {
    origin: Vec<Vec<u8>>,
    method: Vec<Vec<u8>>,
    headers: Vec<Vec<u8>>,
    private_network: bool,
}

fn request_for(case: &PolicyCase) -> BoxedStrategy<Request> {
    let one_origin = origin_for(case);
    let origin = prop_oneof![
        8 => one_origin.clone().prop_map(|o| vec![o]),
        1 => Just(vec![]),
        1 => (one_origin.clone(), one_origin).prop_map(|(a, b)| vec![a, b]),
    ];
    let methods: Vec<&'static str> = case.methods.clone();
    let one_method = prop_oneof![
        6 => prop::sample::select(methods).prop_map(|m| m.as_bytes().to_vec()),
        3 => prop::sample::select(vec!["GET", "get", "OPTIONS", "", " PUT\t", "PATCH", "TRACE"])
            .prop_map(|m| m.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    let method = prop_oneof![
        8 => one_method.clone().prop_map(|m| vec![m]),
        1 => Just(vec![]),
        1 => (one_method.clone(), one_method).prop_map(|(a, b)| vec![a, b]),
    ];
    let mut own: Vec<&'static str> = case.headers.iter().copied().filter(|h| *h != "*").collect();
    own.push("content-type");
    let name = prop_oneof![
        6 => prop::sample::select(own).prop_map(|n| n.as_bytes().to_vec()),
        6 => prop::sample::select(vec![
            "content-type", "Content-Type", "x-request-id", "X-REQUEST-ID", "authorization",
            "x-api-key", "x-other", "accept", "",
        ])
        .prop_map(|n| n.as_bytes().to_vec()),
        1 => prop::sample::select(vec!["bad name", "a\u{1}b", "x:y", "é"])
            .prop_map(|n| n.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ];
    let field = prop_oneof![
        8 => (prop::collection::vec(name, 0..5), prop::sample::select(vec![", ", ",", " , \t", ",,"]))
            .prop_map(|(names, sep)| names.join(sep.as_bytes())),
        // Long lists: around the 4096-byte limit.
        1 => (4080usize..4110).prop_map(|n| {
            let mut v = b"x-api-key".repeat(n / 9 + 1);
            v.truncate(n);
            v
        }),
    ];
    (
        origin,
        method,
        prop::collection::vec(field, 0..3),
        any::<bool>(),
    )
        .prop_map(|(origin, method, headers, private_network)| Request {
            origin,
            method,
            headers,
            private_network,
        })
        .boxed()
}

fn policy_and_request() -> impl Strategy<Value = (PolicyCase, Request)> {
    policy().prop_flat_map(|case| {
        let request = request_for(&case);
        (Just(case), request)
    })
}

// ---------------------------------------------------------------------------------------------
// The oracle
// ---------------------------------------------------------------------------------------------

/// Splits `scheme://host[:port]` by hand; `None` if it is not of that shape.
fn parse_origin(origin: &[u8]) -> Option<(&str, &str, Option<&str>)> {
    let text = std::str::from_utf8(origin).ok()?;
    let (scheme, rest) = text.split_once("://")?;
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Some((scheme, host, Some(port))),
        Some(_) => None,
        None => Some((scheme, rest, None)),
    }
}

/// Whether `spec` allows `origin`, by the contract.
fn spec_allows(spec: &Spec, origin: &[u8]) -> bool {
    match spec {
        Spec::Star => true,
        Spec::Null => origin == b"null",
        Spec::Exact { .. } => origin == spec.text().as_bytes(),
        Spec::Wild {
            scheme,
            parent,
            port,
        } => {
            let Some((s, host, p)) = parse_origin(origin) else {
                return false;
            };
            let want_port = port.map(|p| p.to_string());
            if s != *scheme || p != want_port.as_deref() {
                return false;
            }
            // Exactly one label in front of `.parent`.
            let Some(label) = host.strip_suffix(parent.as_str()) else {
                return false;
            };
            let Some(label) = label.strip_suffix('.') else {
                return false;
            };
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        }
    }
}

fn origin_allowed(case: &PolicyCase, origin: &[u8]) -> bool {
    case.specs.iter().any(|s| spec_allows(s, origin))
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn is_header_name(name: &[u8]) -> bool {
    name.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether the contract allows the preflight.
fn preflight_allowed(case: &PolicyCase, req: &Request) -> bool {
    let [origin] = req.origin.as_slice() else {
        return false;
    };
    let [method] = req.method.as_slice() else {
        return false;
    };
    let method = trim(method);
    let total: usize = req.headers.iter().map(Vec::len).sum();
    let headers_ok = total <= 4096
        && req
            .headers
            .iter()
            .flat_map(|f| f.split(|&b| b == b','))
            .map(trim)
            .filter(|n| !n.is_empty())
            .all(|n| {
                let lower = n.to_ascii_lowercase();
                is_header_name(n)
                    && (case.headers.iter().any(|h| h.as_bytes() == lower)
                        || (case.headers.contains(&"*") && lower != b"authorization"))
            });
    origin_allowed(case, origin)
        && !method.is_empty()
        && case.methods.iter().any(|m| m.as_bytes() == method)
        && headers_ok
        && (!req.private_network || case.private_network)
}

fn field(values: &[Vec<u8>]) -> Field<'_> {
    Field::from_values(values.iter().map(Vec::as_slice))
}

/// The preflight decision, the origin judged by the policy's written origins:
/// `Some((what ACAO says, private network))` when allowed.
fn decide(policy: &Policy, req: &Request) -> Option<(AllowOrigin, bool)> {
    decide_judged(policy, RequestOrigin::of(policy, field(&req.origin)), req)
}

/// The preflight decision with `origin` resolved by the caller.
fn decide_judged(
    policy: &Policy,
    origin: RequestOrigin<'_>,
    req: &Request,
) -> Option<(AllowOrigin, bool)> {
    let decision = decide_preflight(
        policy,
        PreflightRequest {
            origin,
            method: field(&req.method),
            headers: req.headers.iter().map(Vec::as_slice),
            private_network: req.private_network,
        },
    );
    match decision {
        Preflight::Allowed {
            origin,
            private_network,
        } => Some((origin, private_network)),
        Preflight::Denied(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Properties of the pure decisions
// ---------------------------------------------------------------------------------------------

/// Counts the cases each property passed (printed with `--nocapture` after the last one).
static RAN: [AtomicUsize; 7] = [const { AtomicUsize::new(0) }; 7];
/// Counts the cases of each property whose decision was "allowed", to show that the generators
/// reach both answers.
static ALLOWED: [AtomicUsize; 7] = [const { AtomicUsize::new(0) }; 7];

fn ran(i: usize) {
    let n = RAN[i].fetch_add(1, Ordering::Relaxed) + 1;
    if n == CASES as usize || (i == 4 && n == ACTIX_CASES as usize) {
        let allowed = ALLOWED[i].load(Ordering::Relaxed);
        println!("property {i}: {n} cases ({allowed} allowed)");
    }
}

fn allowed(i: usize) {
    ALLOWED[i].fetch_add(1, Ordering::Relaxed);
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    #[test]
    fn acao_only_for_allowed_origins((case, req) in policy_and_request()) {
        let policy = case.build();
        let allowed = req.origin.len() == 1 && origin_allowed(&case, &req.origin[0]);
        match decide_actual(&policy, RequestOrigin::of(&policy, field(&req.origin))) {
            Actual::Allowed(AllowOrigin::Echo) => {
                self::allowed(0);
                prop_assert!(allowed, "echoed {:?}", String::from_utf8_lossy(&req.origin[0]));
                prop_assert!(!case.any());
            }
            Actual::Allowed(AllowOrigin::Any) => prop_assert!(case.any()),
            Actual::Denied(_) => prop_assert!(!allowed),
            Actual::NotCors { vary } => {
                prop_assert!(req.origin.is_empty());
                prop_assert!(vary && !case.any());
            }
        }
        if let Some((origin, _)) = decide(&policy, &req) {
            prop_assert!(allowed);
            prop_assert_eq!(origin == AllowOrigin::Any, case.any());
        }
        ran(0);
    }

    #[test]
    fn never_star_with_credentials((case, req) in policy_and_request()) {
        let policy = case.build();
        let actual_star = decide_actual(&policy, RequestOrigin::of(&policy, field(&req.origin)))
            == Actual::Allowed(AllowOrigin::Any);
        let preflight_star = matches!(decide(&policy, &req), Some((AllowOrigin::Any, _)));
        if actual_star || preflight_star {
            allowed(1);
            prop_assert!(!policy.credentials());
        }
        prop_assert!(!(case.any() && policy.credentials()));
        ran(1);
    }

    #[test]
    fn preflight_allowed_iff_everything_allowed((case, req) in policy_and_request()) {
        let policy = case.build();
        let decision = decide(&policy, &req);
        prop_assert_eq!(
            decision.is_some(),
            preflight_allowed(&case, &req),
            "policy {:?}, request {:?}", case, req
        );
        if let Some((_, private_network)) = decision {
            allowed(2);
            prop_assert_eq!(private_network, req.private_network);
        }
        ran(2);
    }
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    /// A write is refused only when it is one (an unsafe method), the policy protects
    /// writes, the browser does not call it same-origin or user-initiated, and its origin is
    /// not allowed; and a write the browser marks cross-site or same-site from an origin that
    /// is not allowed always is.
    #[test]
    fn only_writes_from_origins_not_allowed_are_refused(
        (case, req) in policy_and_request(),
        method in prop::sample::select(vec!["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "get"]),
        site in prop::option::of(prop::sample::select(vec!["same-origin", "same-site", "cross-site", "none", "other"])),
    ) {
        let policy = case.build();
        let sites: Vec<Vec<u8>> = site.iter().map(|s| s.as_bytes().to_vec()).collect();
        let refused = decide_write(&policy, WriteRequest {
            method: method.as_bytes(),
            fetch_site: field(&sites),
            origin: RequestOrigin::of(&policy, field(&req.origin)),
            host: Some(b"api.example.com"),
        });
        let write = !matches!(method, "GET" | "HEAD" | "OPTIONS");
        let origin_ok = req.origin.len() == 1 && origin_allowed(&case, &req.origin[0]);
        if refused.is_some() {
            prop_assert!(write && !case.any() && policy.protects_writes());
            prop_assert!(!matches!(site, Some("same-origin" | "none")));
            prop_assert!(!origin_ok, "an allowed origin's write was refused");
        } else {
            allowed(5);
        }
        if write && !case.any() && matches!(site, Some("same-site" | "cross-site")) && !origin_ok {
            prop_assert!(refused.is_some(), "{:?} {:?} {:?}", method, site, req.origin);
        }
        ran(5);
    }
}

/// How an origin is built from a wildcard pattern.
#[derive(Debug, Clone, Copy)]
enum Shape {
    OneLabel,
    TwoLabels,
    NoLabel,
    EmptyLabel,
    /// The label glued to the parent without a dot: `https://evilexample.com`.
    Glued,
    OtherScheme,
    OtherPort,
    NoPort,
    /// The parent followed by more labels: `https://a.example.com.evil.net`.
    LongerHost,
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    #[test]
    fn wildcards_stay_within_one_label_scheme_and_port(
        scheme in scheme(),
        parent in domain(),
        port in prop::option::of(1u16..=65535),
        label in label(),
        extra in label(),
        shape in prop::sample::select(vec![
            Shape::OneLabel, Shape::TwoLabels, Shape::NoLabel, Shape::EmptyLabel, Shape::Glued,
            Shape::OtherScheme, Shape::OtherPort, Shape::NoPort, Shape::LongerHost,
        ]),
    ) {
        let default = if scheme == "https" { 443 } else { 80 };
        let port = port.filter(|&p| p != default);
        let case = PolicyCase {
            specs: vec![Spec::Wild { scheme, parent: parent.clone(), port }],
            methods: vec!["GET"],
            headers: vec![],
            expose: vec![],
            credentials: true,
            private_network: false,
            max_age: None,
        };
        let policy = case.build();
        let other_scheme = if scheme == "https" { "http" } else { "https" };
        let p = port_text(port);
        let other_port = port_text(Some(match port { Some(8081) => 8082, _ => 8081 }));
        let (origin, allowed) = match shape {
            Shape::OneLabel => (format!("{scheme}://{label}.{parent}{p}"), true),
            Shape::TwoLabels => (format!("{scheme}://{extra}.{label}.{parent}{p}"), false),
            Shape::NoLabel => (format!("{scheme}://{parent}{p}"), false),
            Shape::EmptyLabel => (format!("{scheme}://.{parent}{p}"), false),
            Shape::Glued => (format!("{scheme}://{label}{parent}{p}"), false),
            Shape::OtherScheme => (format!("{other_scheme}://{label}.{parent}{p}"), false),
            Shape::OtherPort => (format!("{scheme}://{label}.{parent}{other_port}"), false),
            Shape::NoPort => (format!("{scheme}://{label}.{parent}"), port.is_none()),
            Shape::LongerHost => (format!("{scheme}://{label}.{parent}.{extra}.com{p}"), false),
        };
        if allowed {
            self::allowed(3);
        }
        prop_assert_eq!(policy.allows_origin(origin.as_bytes()), allowed, "{} against {:?}", origin, case.specs);
        prop_assert_eq!(origin_allowed(&case, origin.as_bytes()), allowed, "oracle: {}", origin);
        let expected = if allowed {
            Actual::Allowed(AllowOrigin::Echo)
        } else {
            Actual::Denied(cors_runtime::Denial::Origin(origin.as_bytes(), Verdict::Refused))
        };
        let field = Field::One(origin.as_bytes());
        prop_assert_eq!(decide_actual(&policy, RequestOrigin::of(&policy, field)), expected);
        ran(3);
    }
}

// ---------------------------------------------------------------------------------------------
// Through actix-web: at most one of each CORS header
// ---------------------------------------------------------------------------------------------

/// The preflight resource of the generated route, as `#[cors]` registers it.
struct PreflightOf(&'static [&'static str], &'static RouteCors);

impl HttpServiceFactory for PreflightOf {
    fn register(self, config: &mut AppService) {
        register_preflight(config, "/r", self.0, self.1);
    }
}

/// A handler that sets CORS headers of its own, which the policy must replace.
async fn meddling() -> HttpResponse {
    HttpResponse::Ok()
        .append_header(("access-control-allow-origin", "https://handler.example"))
        .append_header(("access-control-allow-origin", "*"))
        .append_header(("access-control-allow-credentials", "true"))
        .append_header(("access-control-expose-headers", "x-secret"))
        .append_header(("vary", "accept-encoding"))
        .body("ok")
}

fn cors_names(headers: &actix_web::http::header::HeaderMap) -> Vec<HeaderName> {
    let mut names: Vec<HeaderName> = headers
        .keys()
        .filter(|n| n.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    names.dedup();
    names
}

proptest! {
    #![proptest_config(Config { cases: ACTIX_CASES, failure_persistence: None, ..Config::default() })]

    #[test]
    fn one_of_each_cors_header_through_actix((case, req) in policy_and_request()) {
        let policy = case.build();
        let cors: &'static RouteCors = Box::leak(Box::new(RouteCors::new(policy, "generated")));
        let methods: &'static [&'static str] = Box::leak(case.methods.clone().into_boxed_slice());
        // Header values the HTTP layer would never deliver cannot be sent through TestRequest.
        let valid = |v: &Vec<u8>| HeaderValue::from_bytes(v).is_ok();
        let sendable = req.origin.iter().all(valid)
            && req.method.iter().all(valid)
            && req.headers.iter().all(valid);
        prop_assume!(sendable);
        let result: Result<(), TestCaseError> = actix_web::rt::System::new().block_on(async {
            let app = init_service(
                App::new().service(PreflightOf(methods, cors)).service(
                    web::resource("/r")
                        .guard(MethodGuard(methods, cors))
                        .wrap(Cors(cors))
                        .to(meddling),
                ),
            )
            .await;
            let method = actix_web::http::Method::from_bytes(methods[0].as_bytes()).unwrap();
            let mut actual = TestRequest::default().method(method).uri("/r");
            let mut preflight = TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/r");
            for o in &req.origin {
                actual = actual.append_header(("origin", o.as_slice()));
                preflight = preflight.append_header(("origin", o.as_slice()));
            }
            for m in &req.method {
                preflight = preflight.append_header(("access-control-request-method", m.as_slice()));
            }
            for h in &req.headers {
                preflight = preflight.append_header(("access-control-request-headers", h.as_slice()));
            }
            if req.private_network {
                preflight = preflight.append_header(("access-control-request-private-network", "true"));
            }
            for (what, test_req) in [("actual", actual), ("preflight", preflight)] {
                let res = match try_call_service(&app, test_req.to_request()).await {
                    Ok(res) => res.into_parts().1.map_into_boxed_body(),
                    // A write refused before the handler: only an actual request
                    // with an unsafe method, from one origin the policy does not allow (or
                    // several), ever is.
                    Err(err) => {
                        prop_assert_eq!(what, "actual");
                        prop_assert!(!matches!(methods[0], "GET" | "HEAD" | "OPTIONS"));
                        prop_assert!(
                            req.origin.len() != 1 || !origin_allowed(&case, &req.origin[0]),
                            "an allowed origin's write was refused"
                        );
                        let res = err.error_response();
                        prop_assert_eq!(res.status().as_u16(), 403);
                        res
                    }
                };
                let headers = res.headers();
                if what == "actual" && req.origin.is_empty() && !case.any() {
                    // Not a CORS request: the contract leaves the handler's response as it is
                    // (but for `Vary: Origin`), its own `Access-Control-*` headers included.
                    prop_assert_eq!(headers.get_all("access-control-allow-origin").count(), 2);
                    continue;
                }
                for name in cors_names(headers) {
                    prop_assert_eq!(headers.get_all(&name).count(), 1, "{} {}: {:?}", what, name, headers);
                }
                if let Some(acao) = headers.get("access-control-allow-origin") {
                    allowed(4);
                    if acao == "*" {
                        prop_assert!(case.any(), "{}: `*` for a listed policy", what);
                        prop_assert!(headers.get("access-control-allow-credentials").is_none());
                    } else {
                        prop_assert_eq!(req.origin.len(), 1);
                        prop_assert_eq!(acao.as_bytes(), req.origin[0].as_slice());
                        prop_assert!(origin_allowed(&case, acao.as_bytes()), "{}: {:?}", what, acao);
                    }
                    prop_assert_eq!(
                        headers.get("access-control-allow-credentials").map(|v| v.as_bytes()),
                        policy.credentials().then_some(&b"true"[..])
                    );
                    prop_assert_eq!(
                        headers.get("access-control-expose-headers").map(|v| v.as_bytes()),
                        if what == "actual" { policy.expose_value().map(str::as_bytes) } else { None }
                    );
                } else {
                    // A response without ACAO carries no other CORS header either.
                    prop_assert_eq!(cors_names(headers), Vec::<HeaderName>::new(), "{}", what);
                }
            }
            Ok(())
        });
        result?;
        ran(4);
    }
}

// ---------------------------------------------------------------------------------------------
// Found by the `rules` fuzz target, in `rules/origin.rs`
// ---------------------------------------------------------------------------------------------

/// The URL standard reads a host whose last label is `0x` + hex digits as an IPv4 number, so a
/// browser sends `http://0.0.0.127` for a page at `http://0x7f`, and never `http://0x7f`; such
/// an entry can never match and should be refused with the serialized address as help, like
/// `http://0177.0.0.1` is. Only an `origins` entry that never matches: no unintended allow.
#[test]
fn hex_number_hosts_are_refused() {
    for origin in [
        "http://0x",
        "http://0x7f",
        "http://0x7f000001:8080",
        "https://a.0x7f",
    ] {
        assert!(
            cors_runtime::rules::check_origin(origin).is_err(),
            "{origin} was accepted"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Origins decided at run time: only the function's answer allows
// ---------------------------------------------------------------------------------------------

/// A function that would allow anything: whatever it is asked, only the verdict passed to the
/// decisions in a `RequestOrigin` may allow.
fn allow_everything(_: &str, _: &actix_web::dev::RequestHead) -> bool {
    true
}

static FUNCTION: &dyn cors_runtime::IsOriginSource = &allow_everything;

/// `case`'s policy with its origins decided by [`FUNCTION`] instead of its list.
fn with_function(case: &PolicyCase) -> Policy {
    let written = case.build();
    Policy::__from_parts(cors_runtime::PolicyParts {
        origins: cors_runtime::Origins::Configured(FUNCTION),
        methods: written.methods(),
        headers: written.headers(),
        credentials: written.credentials(),
        private_network: written.private_network(),
        protect_writes: true,
        refuse_http_origins: false,
        report_only: written.report_only(),
        allow_methods: written.allow_methods_value(),
        allow_headers: written.allow_headers_value(),
        expose: written.expose_value(),
        max_age: written.max_age_value(),
    })
}

fn verdict() -> impl Strategy<Value = Verdict> {
    prop_oneof![
        Just(Verdict::Allowed),
        Just(Verdict::Refused),
        Just(Verdict::Unreadable),
        Just(Verdict::Failed),
        Just(Verdict::TimedOut),
        Just(Verdict::Overloaded),
        Just(Verdict::NotInstalled),
    ]
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    /// A policy whose origins a function decides allows an origin if and only if the
    /// function's verdict allowed it (and the request has exactly one `Origin`); judged by the
    /// policy alone (no verdict), it allows none; it always echoes, never `*`. A written list
    /// judges by the list alone.
    #[test]
    fn only_the_functions_answer_allows(
        (case, req) in policy_and_request().prop_filter("not `*`", |(c, _)| !c.any()),
        verdict in verdict(),
        method in prop_oneof![Just(&b"GET"[..]), Just(&b"POST"[..]), Just(&b"DELETE"[..])],
        fetch_site in prop_oneof![Just(None), Just(Some(&b"cross-site"[..])), Just(Some(&b"same-site"[..]))],
    ) {
        let function = with_function(&case);
        prop_assert!(matches!(function.origins(), cors_runtime::AllowedOrigins::Function(_)));
        let unjudged = RequestOrigin::of(&function, field(&req.origin));
        let judged = RequestOrigin::judged(field(&req.origin), verdict);
        let one_origin = req.origin.len() == 1;
        let may_allow = verdict == Verdict::Allowed && one_origin;

        prop_assert!(!matches!(decide_actual(&function, unjudged), Actual::Allowed(_)));
        prop_assert!(decide(&function, &req).is_none());
        match decide_actual(&function, judged) {
            Actual::Allowed(AllowOrigin::Echo) => {
                allowed(6);
                prop_assert!(may_allow);
            }
            Actual::Allowed(AllowOrigin::Any) => prop_assert!(false, "`*` from a function"),
            Actual::Denied(_) => prop_assert!(!may_allow),
            Actual::NotCors { vary } => prop_assert!(req.origin.is_empty() && vary),
        }
        if let Some((origin, _)) = decide_judged(&function, judged, &req) {
            prop_assert!(may_allow);
            prop_assert_eq!(origin, AllowOrigin::Echo);
        }
        // A write is refused only when the verdict did not allow the origin.
        let write = decide_write(&function, WriteRequest {
            method,
            fetch_site: match fetch_site { Some(s) => Field::One(s), None => Field::Absent },
            origin: judged,
            host: Some(b"api.example"),
        });
        if write.is_some() {
            prop_assert!(!may_allow);
            prop_assert!(!is_safe_method(method));
        }

        // The written policy judges by its list alone.
        let written = case.build();
        let by_list = one_origin && origin_allowed(&case, &req.origin[0]);
        let expected = if by_list { Verdict::Allowed } else { Verdict::Refused };
        prop_assert_eq!(RequestOrigin::of(&written, field(&req.origin)).verdict(), expected);
        ran(6);
    }
}
