//! `Access-Control-Request-Headers` parsing through `cors_runtime::decide_preflight`: any number
//! of fields of any bytes, against policies with no headers, listed headers, `*`, and `*` with
//! `authorization`. The decision must be the one the contract gives (an independent parser in
//! `fuzz_oracle`), a list over 4096 bytes is refused as too long, and the explanation of a
//! refusal stays one bounded line.
#![no_main]

use std::sync::OnceLock;

use cors_runtime::{decide_preflight, Field, Preflight, PreflightRequest, RequestOrigin};
use fuzz_oracle::{check_explanation, expected_preflight, OwnedInput, HEADERS_LIMIT};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const ORIGIN: &[u8] = b"https://app.example.com";

fn policies() -> &'static [(cors_runtime::rules::ValidPolicy, cors_runtime::Policy)] {
    static POLICIES: OnceLock<Vec<(cors_runtime::rules::ValidPolicy, cors_runtime::Policy)>> =
        OnceLock::new();
    POLICIES.get_or_init(|| {
        let lists: [&[&str]; 5] = [
            &[],
            &["content-type", "x-request-id"],
            &["*"],
            &["*", "authorization"],
            &["X-Custom-Header", "accept", "x-a", "content-language"],
        ];
        lists
            .iter()
            .map(|headers| {
                let input = OwnedInput {
                    origins: vec![String::from_utf8(ORIGIN.to_vec()).unwrap()],
                    route_methods: vec!["GET".into(), "PUT".into()],
                    headers: headers.iter().map(|h| h.to_string()).collect(),
                    ..OwnedInput::default()
                };
                let valid = input.validate().expect("a valid policy");
                let policy = cors_runtime::Policy::from_valid(&valid);
                (valid, policy)
            })
            .collect()
    })
}

#[derive(Arbitrary, Debug)]
struct Input {
    policy: u8,
    fields: Vec<Vec<u8>>,
    /// Appends a field of `len` copies of `byte` (past the 4096-byte limit when long).
    long: Option<(u16, u8)>,
    private_network: bool,
}

fuzz_target!(|input: Input| {
    let policies = policies();
    let (valid, policy) = &policies[usize::from(input.policy) % policies.len()];
    let long = input
        .long
        .map(|(len, byte)| vec![byte; usize::from(len)])
        .unwrap_or_default();
    let mut fields: Vec<&[u8]> = input.fields.iter().map(Vec::as_slice).collect();
    if input.long.is_some() {
        fields.push(&long);
    }

    let decision = decide_preflight(
        policy,
        PreflightRequest {
            origin: RequestOrigin::of(policy, Field::One(ORIGIN)),
            method: Field::One(b"PUT"),
            headers: fields.iter().copied(),
            private_network: input.private_network,
        },
    );
    let expected = expected_preflight(
        valid,
        Field::One(ORIGIN),
        Field::One(b"PUT"),
        &fields,
        input.private_network,
    );
    assert_eq!(decision, expected, "fields {fields:?}");

    let total: usize = fields.iter().map(|f| f.len()).sum();
    if total > HEADERS_LIMIT {
        assert!(
            matches!(decision, Preflight::Denied(_)),
            "{total} bytes allowed"
        );
    }
    if let Preflight::Denied(denial) = decision {
        check_explanation(&denial, policy);
    }
});
