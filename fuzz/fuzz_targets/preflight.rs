//! The whole preflight decision (`cors_runtime::decide_preflight`) from arbitrary `Origin`,
//! `Access-Control-Request-Method`, `Access-Control-Request-Headers` and
//! `Access-Control-Request-Private-Network` fields, against policies drawn from palettes of
//! origins, methods, headers and flags. The decision must be the contract's: allowed if and
//! only if the origin, the method, every requested header (and private-network access, when
//! asked for) are allowed; never `*` with credentials; refusals explain themselves in one
//! bounded line. `decide_actual` must agree with it on the origin.
#![no_main]

use cors_runtime::rules::OriginSpec;
use cors_runtime::{
    decide_actual, decide_preflight, Actual, AllowOrigin, Field, Preflight, PreflightRequest,
    RequestOrigin,
};
use fuzz_oracle::{cached_policy, check_explanation, expected_preflight, OwnedInput};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const ORIGINS: [&str; 6] = [
    "*",
    "null",
    "https://app.example.com",
    "http://127.0.0.1:8081",
    "https://*.example.org",
    "http://*.example.org:8080",
];
/// The methods the route serves.
const METHODS: [&str; 4] = ["GET", "PUT", "DELETE", "X-CUSTOM"];
/// Explicit `methods` lists (the last one is invalid: the route does not serve `PATCH`).
const METHOD_LISTS: [&[&str]; 4] = [
    &["PUT"],
    &["GET", "DELETE"],
    &["X-CUSTOM", "GET"],
    &["PATCH"],
];
const HEADERS: [&str; 5] = [
    "content-type",
    "x-request-id",
    "*",
    "authorization",
    "X-Mixed-Case",
];

fn pick<T: Copy>(palette: &[T], mask: u8) -> Vec<T> {
    (0..palette.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| palette[i])
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// A policy from the palettes: 64 origin sets x 5 method lists x 32 header sets x 8 flag
/// combinations = 81,920 policies at most, all of which fit the cache of
/// `fuzz_oracle::cached_policy`. `expose` and `max_age` do not change a decision: one flag
/// turns both on.
#[derive(Arbitrary, Debug)]
struct PolicyChoice {
    origins: u8,
    methods: Option<u8>,
    headers: u8,
    credentials: bool,
    private_network: bool,
    extras: bool,
}

impl PolicyChoice {
    fn input(&self) -> OwnedInput {
        OwnedInput {
            origins: strings(&pick(&ORIGINS, self.origins)),
            methods: self
                .methods
                .map(|m| strings(METHOD_LISTS[usize::from(m) % METHOD_LISTS.len()])),
            route_methods: strings(&METHODS),
            headers: strings(&pick(&HEADERS, self.headers)),
            expose: if self.extras {
                vec!["x-total".into()]
            } else {
                vec![]
            },
            credentials: self.credentials,
            max_age: self.extras.then_some(600),
            private_network: self.private_network,
            writes_from_any_origin: false,
            // Plain HTTP with credentials has a rule of its own: say so, so that such
            // policies are still built and their preflights checked.
            dangerously_trust_http_origins: self.credentials
                && pick(&ORIGINS, self.origins)
                    .iter()
                    .any(|o| cors_runtime::rules::is_plain_http_origin(o)),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum OriginIn {
    Absent,
    One(Vec<u8>),
    Several(Vec<u8>, Vec<u8>),
    /// A palette origin, its `*` replaced by `label`.
    Listed(u8, Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum MethodIn {
    Absent,
    One(Vec<u8>),
    Several(Vec<u8>, Vec<u8>),
    /// A palette method, optionally with spaces and tabs around it.
    Listed(u8, bool),
}

#[derive(Arbitrary, Debug)]
enum HeaderIn {
    Raw(Vec<u8>),
    /// Palette names (and `other`) joined with `sep`.
    Names(Vec<u8>, Vec<u8>, u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    policy: PolicyChoice,
    origin: OriginIn,
    method: MethodIn,
    headers: Vec<HeaderIn>,
    private_network: bool,
}

fn field(values: &[Vec<u8>]) -> Field<'_> {
    Field::from_values(values.iter().map(Vec::as_slice))
}

fuzz_target!(|input: Input| {
    let Some((valid, policy)) = cached_policy(&input.policy.input()) else {
        return;
    };
    let origins: Vec<Vec<u8>> = match &input.origin {
        OriginIn::Absent => vec![],
        OriginIn::One(o) => vec![o.clone()],
        OriginIn::Several(a, b) => vec![a.clone(), b.clone()],
        OriginIn::Listed(i, label) => {
            let text = ORIGINS[usize::from(*i) % ORIGINS.len()].as_bytes();
            let mut out = Vec::new();
            for &b in text {
                if b == b'*' && text.len() > 1 {
                    out.extend_from_slice(label);
                } else {
                    out.push(b);
                }
            }
            vec![out]
        }
    };
    let methods: Vec<Vec<u8>> = match &input.method {
        MethodIn::Absent => vec![],
        MethodIn::One(m) => vec![m.clone()],
        MethodIn::Several(a, b) => vec![a.clone(), b.clone()],
        MethodIn::Listed(i, pad) => {
            let m = METHODS[usize::from(*i) % METHODS.len()];
            vec![if *pad {
                format!(" \t{m} ")
            } else {
                m.to_owned()
            }
            .into_bytes()]
        }
    };
    let headers: Vec<Vec<u8>> = input
        .headers
        .iter()
        .map(|h| match h {
            HeaderIn::Raw(bytes) => bytes.clone(),
            HeaderIn::Names(indices, other, sep) => {
                let sep: &[u8] = match sep % 4 {
                    0 => b", ",
                    1 => b",",
                    2 => b" ,\t",
                    _ => b",,",
                };
                let mut names: Vec<&[u8]> = indices
                    .iter()
                    .map(|&i| HEADERS[usize::from(i) % HEADERS.len()].as_bytes())
                    .collect();
                names.push(other);
                names.join(sep)
            }
        })
        .collect();
    let header_slices: Vec<&[u8]> = headers.iter().map(Vec::as_slice).collect();

    let decision = decide_preflight(
        &policy,
        PreflightRequest {
            origin: RequestOrigin::of(&policy, field(&origins)),
            method: field(&methods),
            headers: header_slices.iter().copied(),
            private_network: input.private_network,
        },
    );
    let expected = expected_preflight(
        &valid,
        field(&origins),
        field(&methods),
        &header_slices,
        input.private_network,
    );
    assert_eq!(decision, expected, "policy {valid:?}");

    match decision {
        Preflight::Allowed {
            origin,
            private_network,
        } => {
            assert_eq!(
                origin == AllowOrigin::Any,
                valid.origins.contains(&OriginSpec::Any)
            );
            assert!(!(origin == AllowOrigin::Any && policy.credentials()));
            assert!(!private_network || (input.private_network && policy.private_network()));
        }
        Preflight::Denied(denial) => check_explanation(&denial, &policy),
    }

    // The actual-request decision agrees on the origin.
    match (
        decide_actual(&policy, RequestOrigin::of(&policy, field(&origins))),
        decision,
    ) {
        (Actual::Denied(_), Preflight::Allowed { .. }) => {
            panic!("actual denied, preflight allowed")
        }
        (Actual::Allowed(a), Preflight::Allowed { origin, .. }) => assert_eq!(a, origin),
        (Actual::Allowed(AllowOrigin::Any), _) => assert!(!policy.credentials()),
        _ => {}
    }
});
