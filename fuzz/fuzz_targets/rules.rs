//! The validators the `#[cors]` macro runs at compile time (`cors_runtime::rules`): they never
//! panic, whatever the input, and what they accept is what they promise. An origin accepted as
//! exact is ASCII, lowercase, `http(s)://host[:port]` with no path, query, fragment, user
//! information or whitespace, and the URL parser serializes it to the same bytes; a wildcard is
//! `scheme://*.` + a valid parent, and one label in place of the `*` makes a valid exact origin.
//! Whole policies from arbitrary lists validate without panicking, and a valid one keeps the
//! combination rules (no `*` or `null` with credentials, lowercase unique header names, ...).
#![no_main]

use cors_runtime::rules::{
    check_exposed_header, check_method, check_origin, check_request_header, OriginSpec,
    FORBIDDEN_REQUEST_HEADERS, MAX_AGE_LIMIT,
};
use fuzz_oracle::{is_tchar, OwnedInput};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    one: String,
    policy: PolicyIn,
}

#[derive(Arbitrary, Debug)]
struct PolicyIn {
    origins: Vec<String>,
    methods: Option<Vec<String>>,
    route_methods: Vec<String>,
    headers: Vec<String>,
    expose: Vec<String>,
    credentials: bool,
    max_age: Option<u64>,
    private_network: bool,
    writes_from_any_origin: bool,
    dangerously_trust_http_origins: bool,
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

fn check_one_origin(s: &str) {
    match check_origin(s) {
        Ok(OriginSpec::Any) => assert_eq!(s, "*"),
        Ok(OriginSpec::Null) => assert_eq!(s, "null"),
        Ok(OriginSpec::Exact(exact)) => {
            assert_eq!(exact, s);
            check_exact(s);
        }
        Ok(OriginSpec::Subdomains { prefix, suffix }) => {
            assert!(prefix == "https://" || prefix == "http://", "{s}");
            assert_eq!(format!("{prefix}*{suffix}"), s);
            assert!(suffix.starts_with('.') && !suffix[1..].contains('*'), "{s}");
            assert!(!suffix.contains(['/', '?', '#', '@']), "{s}");
            // One label in place of the `*`: an exact origin (when the host stays within the
            // 253 bytes of a DNS name).
            let one = format!("{prefix}a{suffix}");
            if one.len() - prefix.len() <= 253 {
                assert_eq!(check_origin(&one), Ok(OriginSpec::Exact(one.clone())));
            }
        }
        Ok(OriginSpec::AnyPort { base }) => {
            assert_eq!(format!("{base}:*"), s);
            // Any port on a loopback host only; with a port in place of `*`, an exact origin.
            let host = base.split_once("://").expect("a scheme").1;
            assert!(cors_runtime::rules::is_loopback_host(host), "{s}");
            let one = format!("{base}:5173");
            assert_eq!(check_origin(&one), Ok(OriginSpec::Exact(one.clone())));
        }
        Err(violation) => assert!(!violation.message.is_empty() && !violation.help.is_empty()),
    }
}

/// An origin accepted as exact: the shape of a serialized origin, and the URL parser agrees.
fn check_exact(s: &str) {
    assert!(s.is_ascii(), "{s:?}");
    assert!(!s.bytes().any(|b| b.is_ascii_uppercase()), "{s:?}");
    assert!(
        !s.bytes()
            .any(|b| b.is_ascii_whitespace() || b.is_ascii_control()),
        "{s:?}"
    );
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("{s:?} is not http(s)"));
    assert!(!rest.is_empty(), "{s:?}");
    assert!(!rest.contains(['/', '?', '#', '@', '*', '\\']), "{s:?}");
    // One known gap of `check_origin` (reported when this target was written): a label `xn--` + invalid
    // punycode, which the URL parser refuses. No browser sends such an origin, so the entry
    // never matches. (Hosts ending in `0x` + hex digits, which browsers read as IPv4 numbers,
    // were the other gap this target found; `check_origin` refuses them now.)
    let host = rest.split(':').next().unwrap_or("");
    let bad_punycode = host.split('.').any(|l| l.starts_with("xn--"));
    match url::Url::parse(s) {
        Ok(url) => assert_eq!(url.origin().ascii_serialization(), s, "{s:?}"),
        Err(e) => assert!(
            bad_punycode,
            "{s:?} accepted as an origin, but the URL parser says {e}"
        ),
    }
}

fuzz_target!(|input: Input| {
    let s = input.one.as_str();
    check_one_origin(s);

    let header = check_request_header(s);
    let lower = s.to_ascii_lowercase();
    let forbidden = FORBIDDEN_REQUEST_HEADERS.contains(&lower.as_str())
        || lower.starts_with("proxy-")
        || lower.starts_with("sec-");
    assert_eq!(header.is_ok(), is_token(s) && !forbidden, "{s:?}");

    let exposed = check_exposed_header(s);
    assert_eq!(
        exposed.is_ok(),
        is_token(s) && lower != "set-cookie" && lower != "set-cookie2",
        "{s:?}"
    );

    let method = check_method(s);
    let miscased = [
        "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
    ]
    .iter()
    .any(|m| m.eq_ignore_ascii_case(s) && *m != s);
    assert_eq!(
        method.is_ok(),
        is_token(s) && !miscased && s != "OPTIONS",
        "{s:?}"
    );

    let p = input.policy;
    let owned = OwnedInput {
        origins: p.origins,
        methods: p.methods,
        route_methods: p.route_methods,
        headers: p.headers,
        expose: p.expose,
        credentials: p.credentials,
        max_age: p.max_age,
        private_network: p.private_network,
        writes_from_any_origin: p.writes_from_any_origin,
        dangerously_trust_http_origins: p.dangerously_trust_http_origins,
    };
    for o in &owned.origins {
        check_one_origin(o);
    }
    match owned.validate() {
        Ok(valid) => {
            assert!(!owned.origins.is_empty());
            assert_eq!(valid.origins.len(), owned.origins.len());
            if valid.origins.contains(&OriginSpec::Any) {
                assert_eq!(valid.origins, [OriginSpec::Any]);
            }
            if valid.credentials {
                assert!(!valid.origins.contains(&OriginSpec::Any));
                assert!(!valid.origins.contains(&OriginSpec::Null));
                assert!(!valid.headers.any && !valid.expose.any);
                // Plain HTTP off loopback with credentials only when the policy says so.
                assert!(
                    valid.dangerously_trust_http_origins
                        || !valid.origins.iter().any(OriginSpec::is_plain_http_off_loopback)
                );
            }
            // The key is accepted only where it changes something.
            if valid.dangerously_trust_http_origins {
                assert!(valid.credentials);
                assert!(valid.origins.iter().any(OriginSpec::is_plain_http_off_loopback));
            }
            for list in [&valid.headers.names, &valid.expose.names] {
                for (i, name) in list.iter().enumerate() {
                    assert_eq!(*name, name.to_ascii_lowercase());
                    assert!(is_token(name));
                    assert!(!list[..i].contains(name), "{name} twice");
                }
            }
            for m in &valid.methods {
                assert!(owned.route_methods.contains(m));
            }
            if owned.methods.is_some() {
                assert!(!valid.methods.is_empty());
                assert!(!valid.methods.iter().any(|m| m == "OPTIONS"));
            }
            assert!(valid.max_age.is_none_or(|a| a <= MAX_AGE_LIMIT));
            // The flag is accepted only where it changes something: not next to `*`, not on a
            // route that serves only safe methods.
            if valid.writes_from_any_origin {
                assert!(!valid.origins.contains(&OriginSpec::Any));
                assert!(
                    owned.route_methods.is_empty()
                        || owned
                            .route_methods
                            .iter()
                            .any(|m| !matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS"))
                );
            }
            assert_eq!(
                valid.protects_writes(),
                !owned.writes_from_any_origin && !valid.origins.contains(&OriginSpec::Any)
            );
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
});
