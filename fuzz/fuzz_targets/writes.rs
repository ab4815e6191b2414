//! The refusal of cross-origin writes (`cors_runtime::decide_write`) from arbitrary methods,
//! `Sec-Fetch-Site`, `Origin` and `Host` fields, against policies drawn from a palette of
//! origins, with and without `writes_from_any_origin`. The decision must be the table of
//! `cors-runtime/src/algorithm/write.rs`, restated here independently; the request's own origin
//! is checked against the WHATWG URL parser: whatever `decide_write` takes for the server's own
//! origin, the URL parser must agree is the same host and port (it may be stricter, never
//! looser). Refusals explain themselves in one bounded line.
#![no_main]

use cors_runtime::{decide_write, Field, RequestOrigin, WriteRequest};
use fuzz_oracle::{cached_policy, check_explanation, OwnedInput};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const ORIGINS: [&str; 5] = [
    "*",
    "null",
    "https://app.example.com",
    "http://127.0.0.1:8081",
    "https://*.example.org",
];
const METHODS: [&str; 7] = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "get"];
const SITES: [&str; 5] = ["same-origin", "same-site", "cross-site", "none", "nested"];
const HOSTS: [&str; 4] = [
    "api.example.com",
    "API.example.com:443",
    "127.0.0.1:8081",
    "app.example.com",
];

#[derive(Arbitrary, Debug)]
enum Value {
    Absent,
    /// A palette value.
    Listed(u8),
    Raw(Vec<u8>),
    Several(u8, Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    origins: u8,
    writes_from_any_origin: bool,
    method: Value,
    site: Value,
    origin: Value,
    host: Value,
}

fn values(v: &Value, palette: &[&str]) -> Vec<Vec<u8>> {
    match v {
        Value::Absent => vec![],
        Value::Listed(i) => vec![palette[usize::from(*i) % palette.len()].as_bytes().to_vec()],
        Value::Raw(bytes) => vec![bytes.clone()],
        Value::Several(i, b) => vec![
            palette[usize::from(*i) % palette.len()].as_bytes().to_vec(),
            b.clone(),
        ],
    }
}

fn field(values: &[Vec<u8>]) -> Field<'_> {
    Field::from_values(values.iter().map(Vec::as_slice))
}

/// The URL parser's view: `origin` (`scheme://authority`) and `host` name the same host and
/// port.
fn same_server(origin: &[u8], host: &[u8]) -> bool {
    let (Ok(origin), Ok(host)) = (std::str::from_utf8(origin), std::str::from_utf8(host)) else {
        return false;
    };
    let Ok(o) = url::Url::parse(origin) else {
        return false;
    };
    if !matches!(o.scheme(), "http" | "https") {
        return false;
    }
    let Ok(h) = url::Url::parse(&format!("{}://{host}", o.scheme())) else {
        return false;
    };
    o.host_str().is_some()
        && o.host_str() == h.host_str()
        && o.port_or_known_default() == h.port_or_known_default()
}

fuzz_target!(|input: Input| {
    let origins: Vec<String> = (0..ORIGINS.len())
        .filter(|i| input.origins & (1 << i) != 0)
        .map(|i| ORIGINS[i].to_owned())
        .collect();
    let Some((valid, policy)) = cached_policy(&OwnedInput {
        origins,
        methods: None,
        route_methods: vec!["GET".into(), "POST".into()],
        headers: vec![],
        expose: vec![],
        credentials: false,
        max_age: None,
        private_network: false,
        writes_from_any_origin: input.writes_from_any_origin,
        dangerously_trust_http_origins: false,
    }) else {
        return;
    };
    let methods = values(&input.method, &METHODS);
    let Some(method) = methods.first() else {
        return;
    };
    let sites = values(&input.site, &SITES);
    let origins = values(&input.origin, &ORIGINS);
    let hosts = values(&input.host, &HOSTS);
    let host = hosts.first().map(Vec::as_slice);
    let request = WriteRequest {
        method,
        fetch_site: field(&sites),
        origin: RequestOrigin::of(&policy, field(&origins)),
        host,
    };
    let refused = decide_write(&policy, request);

    // The table, restated.
    let protected = !input.writes_from_any_origin
        && !valid
            .origins
            .contains(&cors_runtime::rules::OriginSpec::Any);
    let safe = matches!(method.as_slice(), b"GET" | b"HEAD" | b"OPTIONS");
    let allowed = |o: &[u8]| policy.allows_origin(o);
    let expected_refused = if !protected || safe {
        Some(false)
    } else {
        match field(&sites) {
            Field::One(b"same-origin" | b"none") => Some(false),
            Field::One(b"same-site" | b"cross-site") => {
                Some(!matches!(field(&origins), Field::One(o) if allowed(o)))
            }
            _ => match field(&origins) {
                Field::Absent => Some(false),
                Field::One(o) if allowed(o) => Some(false),
                Field::Several => Some(true),
                // Decided by the own-origin comparison: checked below.
                Field::One(_) => None,
            },
        }
    };
    match expected_refused {
        Some(expected) => assert_eq!(refused.is_some(), expected, "{input:?}"),
        None => {
            if refused.is_none() {
                let Field::One(o) = field(&origins) else {
                    unreachable!()
                };
                assert!(
                    host.is_some_and(|h| same_server(o, h)),
                    "{:?} taken for the server's own origin with Host {:?}",
                    String::from_utf8_lossy(o),
                    host.map(String::from_utf8_lossy),
                );
            }
        }
    }
    if let Some(denial) = refused {
        check_explanation(&denial, &policy);
    }
});
