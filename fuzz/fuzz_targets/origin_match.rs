//! Origin matching against exact and wildcard policies built with `rules::validate` and
//! `Policy::from_valid`. Oracle: an allowed origin is byte-equal to a listed exact origin (or
//! `null`), or is the pattern's prefix + exactly one DNS label + the pattern's suffix; the URL
//! parser must then read it as the same scheme and port and a host one label under the
//! pattern's. Every other origin is refused, and refusals explain themselves in one bounded line.
//!
//! Policies are drawn from palettes (scheme x wildcard x host x port, one or two entries), so
//! that the policies a run builds (and leaks, by design of `Policy::from_valid`) stay bounded;
//! each input checks up to eight requests whose `Origin` is free bytes, or an entry with its `*`
//! replaced and bytes around it.
#![no_main]

use cors_runtime::rules::OriginSpec;
use cors_runtime::{
    decide_actual, Actual, AllowOrigin, Denial, Field, Policy, RequestOrigin, Verdict,
};

/// The decision about an actual request whose `Origin` the policy's written origins judge.
fn actual<'a>(policy: &Policy, origin: Field<'a>) -> Actual<'a> {
    decide_actual(policy, RequestOrigin::of(policy, origin))
}
use fuzz_oracle::{cached_policy, check_explanation, origin_allowed, spec_allows, OwnedInput};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const SCHEMES: [&str; 6] = ["https://", "http://", "HTTPS://", "ftp://", "//", "https:/"];
const HOSTS: [&str; 16] = [
    "example.com",
    "example.org",
    "sub.example.com",
    "a-b.example.com",
    "example.com.evil.net",
    "com",
    "co.uk",
    "127.0.0.1",
    "[::1]",
    "localhost",
    "xn--bcher-kva.example",
    "a_b.example",
    "EXAMPLE.com",
    "exa*mple.com",
    "example.com.",
    "",
];
const PORTS: [&str; 9] = [
    "", ":8443", ":443", ":80", ":0", ":65535", ":8080/", "/path", ":*",
];

/// `*`, `null`, then every scheme x wildcard x host x port (1,730 entries).
fn entry(index: u16) -> String {
    let index = usize::from(index) % (2 + SCHEMES.len() * 2 * HOSTS.len() * PORTS.len());
    match index {
        0 => "*".into(),
        1 => "null".into(),
        i => {
            let i = i - 2;
            let (port, i) = (i % PORTS.len(), i / PORTS.len());
            let (host, i) = (i % HOSTS.len(), i / HOSTS.len());
            let (wildcard, scheme) = (i % 2 == 1, i / 2);
            format!(
                "{}{}{}{}",
                SCHEMES[scheme],
                if wildcard { "*." } else { "" },
                HOSTS[host],
                PORTS[port]
            )
        }
    }
}

/// Second entries of two-entry policies.
const SECOND: [&str; 9] = [
    "https://app.example.com",
    "https://*.example.org",
    "http://*.example.com:8080",
    "null",
    "*",
    "http://127.0.0.1:8081",
    "https://*.sub.example.com",
    "https://example.com",
    "http://localhost:*",
];

#[derive(Arbitrary, Debug)]
enum Request {
    Raw(Vec<u8>),
    /// Entry `entry` of the policy with its `*` replaced by `label`, then `before` + it + `after`.
    Derived {
        entry: u8,
        label: Vec<u8>,
        before: Vec<u8>,
        after: Vec<u8>,
    },
}

/// A policy of one entry, or of two with the second from [`SECOND`]: at most 34,600 (1,730 x 10 x 2) distinct
/// policies, all of which fit the cache of `fuzz_oracle::cached_policy`.
#[derive(Arbitrary, Debug)]
struct Input {
    first: u16,
    second: Option<u8>,
    credentials: bool,
    requests: Vec<Request>,
}

fuzz_target!(|input: Input| {
    let mut origins = vec![entry(input.first)];
    if let Some(second) = input.second {
        origins.push(SECOND[usize::from(second) % SECOND.len()].to_owned());
    }
    let owned = OwnedInput {
        origins: origins.clone(),
        route_methods: vec!["GET".into()],
        credentials: input.credentials,
        // Plain-HTTP origins with credentials are refused by a rule of their own; matching
        // them is what is checked here.
        dangerously_trust_http_origins: input.credentials
            && origins
                .iter()
                .any(|o| cors_runtime::rules::is_plain_http_origin(o)),
        ..OwnedInput::default()
    };
    let Some((valid, policy)) = cached_policy(&owned) else {
        return;
    };
    for request in input.requests.iter().take(8) {
        let origin: Vec<u8> = match request {
            Request::Raw(bytes) => bytes.clone(),
            Request::Derived {
                entry,
                label,
                before,
                after,
            } => {
                let text = origins[usize::from(*entry) % origins.len()].as_bytes();
                let mut out = before.clone();
                match text.iter().position(|&b| b == b'*') {
                    Some(star) => {
                        out.extend_from_slice(&text[..star]);
                        out.extend_from_slice(label);
                        out.extend_from_slice(&text[star + 1..]);
                    }
                    None => out.extend_from_slice(text),
                }
                out.extend_from_slice(after);
                out
            }
        };

        let any = valid.origins.contains(&OriginSpec::Any);
        let allowed = origin_allowed(&valid, &origin);
        assert_eq!(
            policy.allows_origin(&origin),
            allowed,
            "policy {origins:?}, origin {:?}",
            String::from_utf8_lossy(&origin)
        );
        assert!(!(any && valid.credentials), "`*` with credentials");

        match actual(&policy, Field::One(&origin)) {
            Actual::Allowed(AllowOrigin::Any) => assert!(any),
            Actual::Allowed(AllowOrigin::Echo) => {
                assert!(allowed && !any);
                check_matched(&valid.origins, &origin);
            }
            Actual::Denied(denial) => {
                assert!(!allowed);
                assert_eq!(denial, Denial::Origin(&origin, Verdict::Refused));
                check_explanation(&denial, &policy);
            }
            Actual::NotCors { .. } => panic!("an Origin was sent"),
        }
        assert_eq!(
            actual(&policy, Field::Several),
            Actual::Denied(Denial::SeveralOrigins)
        );
        let absent = actual(&policy, Field::Absent);
        if any {
            assert_eq!(absent, Actual::Allowed(AllowOrigin::Any));
        } else {
            assert_eq!(absent, Actual::NotCors { vary: true });
        }
    }
});

/// An echoed origin matched an entry: check it against the URL parser.
fn check_matched(specs: &[OriginSpec], origin: &[u8]) {
    let text = std::str::from_utf8(origin).expect("a matched origin is ASCII");
    assert!(text.is_ascii());
    for spec in specs.iter().filter(|s| spec_allows(s, origin)) {
        if let OriginSpec::AnyPort { base } = spec {
            // The URL parser reads it as the same scheme and host, and serializes it back to
            // the same bytes (so the port is as browsers send it).
            let url = url::Url::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let serialized = url.origin().ascii_serialization();
            assert_eq!(serialized, text, "{text} against {base}:*");
            assert!(serialized.starts_with(base.as_str()));
            assert_eq!(
                format!("{}://{}", url.scheme(), url.host_str().expect("a host")),
                *base
            );
            continue;
        }
        let OriginSpec::Subdomains { prefix, suffix } = spec else {
            continue;
        };
        let Ok(url) = url::Url::parse(text) else {
            // The URL parser refuses hosts with an `xn--` label that is not valid punycode: no
            // browser can send such an origin, so that the pattern matches it is harmless.
            let label = &text[prefix.len()..text.len() - suffix.len()];
            assert!(label.starts_with("xn--"), "{text} matched but is not a URL");
            continue;
        };
        assert_eq!(format!("{}://", url.scheme()), *prefix, "scheme of {text}");
        // The suffix is `.parent[:port]`: the URL must have that port and a host one label
        // longer than the parent.
        let (parent, port) = match suffix.rsplit_once(':') {
            Some((parent, port)) if !parent.ends_with(']') => (parent, port.parse().ok()),
            _ => (suffix.as_str(), None),
        };
        assert_eq!(url.port(), port, "port of {text} against {prefix}*{suffix}");
        let host = url.host_str().expect("a host");
        let label = host
            .strip_suffix(parent)
            .unwrap_or_else(|| panic!("{host} is not under {parent}"));
        assert!(
            !label.is_empty() && !label.contains('.'),
            "{host} is not one label under {parent}"
        );
        assert_eq!(url.origin().ascii_serialization(), text);
    }
}
