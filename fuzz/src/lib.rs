//! Independent oracles shared by the fuzz targets: what the CORS decisions must be, written from
//! the product contract (SPEC.md, sections 3 and 4) without calling the code under test, and
//! checks that hold for every explanation of a denial.

use std::collections::HashMap;
use std::sync::Mutex;

use cors_runtime::rules::{validate, OriginSpec, PolicyInput, ValidPolicy};
use cors_runtime::{AllowOrigin, Denial, Field, Policy, Preflight, Verdict};

/// The documented limit on `Access-Control-Request-Headers`, all fields together.
pub const HEADERS_LIMIT: usize = 4096;
/// At most this many bytes of a request value are quoted in an explanation.
pub const QUOTE_LIMIT: usize = 128;
/// Policies kept by [`cached_policy`]; past that, new policies are skipped (a few tens of MB).
const CACHE_LIMIT: usize = 100_000;

/// A header-name byte (`tchar`, RFC 9110 §5.6.2).
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Trims spaces and horizontal tabs at both ends.
pub fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b' ' && b != b'\t');
    match start {
        None => &s[s.len()..],
        Some(start) => {
            let end = s.iter().rposition(|&b| b != b' ' && b != b'\t').unwrap();
            &s[start..=end]
        }
    }
}

/// The names of `Access-Control-Request-Headers`, by hand: items between commas of every field,
/// trimmed, the empty ones skipped.
pub fn header_names<'a>(fields: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut names = Vec::new();
    for field in fields {
        let mut start = 0;
        for i in 0..=field.len() {
            if i == field.len() || field[i] == b',' {
                let name = trim(&field[start..i]);
                if !name.is_empty() {
                    names.push(name);
                }
                start = i + 1;
            }
        }
    }
    names
}

/// One DNS label as a wildcard may stand for it: 1 to 63 lowercase letters, digits, `-`, `_`.
pub fn is_one_label(s: &[u8]) -> bool {
    (1..=63).contains(&s.len())
        && s.iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Whether one entry of a validated policy allows `origin`.
pub fn spec_allows(spec: &OriginSpec, origin: &[u8]) -> bool {
    match spec {
        OriginSpec::Any => true,
        OriginSpec::Null => origin == b"null",
        OriginSpec::Exact(exact) => origin == exact.as_bytes(),
        OriginSpec::Subdomains { prefix, suffix } => {
            origin.len() > prefix.len() + suffix.len()
                && origin.starts_with(prefix.as_bytes())
                && origin.ends_with(suffix.as_bytes())
                && is_one_label(&origin[prefix.len()..origin.len() - suffix.len()])
        }
        OriginSpec::AnyPort { base } => match origin.strip_prefix(base.as_bytes()) {
            Some(b"") => true,
            // A port as browsers serialize it: the number's own decimal form, 1 to 65535,
            // not the scheme's default (which browsers leave out).
            Some([b':', port @ ..]) => std::str::from_utf8(port)
                .ok()
                .and_then(|p| p.parse::<u16>().ok())
                .is_some_and(|n| {
                    let default = if base.starts_with("https:") { 443 } else { 80 };
                    n != 0 && n != default && n.to_string().as_bytes() == port
                }),
            _ => false,
        },
    }
}

/// Whether a validated policy allows `origin`.
pub fn origin_allowed(valid: &ValidPolicy, origin: &[u8]) -> bool {
    valid.origins.iter().any(|spec| spec_allows(spec, origin))
}

/// The preflight decision the contract requires.
pub fn expected_preflight<'a>(
    valid: &ValidPolicy,
    origin: Field<'a>,
    method: Field<'a>,
    fields: &[&'a [u8]],
    private_network: bool,
) -> Preflight<'a> {
    let allow = match origin {
        Field::Absent => return Preflight::Denied(Denial::NoOrigin),
        Field::Several => return Preflight::Denied(Denial::SeveralOrigins),
        Field::One(o) if !origin_allowed(valid, o) => {
            return Preflight::Denied(Denial::Origin(o, Verdict::Refused))
        }
        Field::One(_) if valid.origins.contains(&OriginSpec::Any) => AllowOrigin::Any,
        Field::One(_) => AllowOrigin::Echo,
    };
    let method = match method {
        Field::Absent => return Preflight::Denied(Denial::NoMethod),
        Field::Several => return Preflight::Denied(Denial::SeveralMethods),
        Field::One(m) => trim(m),
    };
    if method.is_empty() {
        return Preflight::Denied(Denial::NoMethod);
    }
    if !valid.methods.iter().any(|m| m.as_bytes() == method) {
        return Preflight::Denied(Denial::Method(method));
    }
    let total: usize = fields.iter().map(|f| f.len()).sum();
    if total > HEADERS_LIMIT {
        return Preflight::Denied(Denial::HeadersTooLong(total));
    }
    for name in header_names(fields) {
        if !name.iter().all(|&b| is_tchar(b)) {
            return Preflight::Denied(Denial::MalformedHeader(name));
        }
        let lower = name.to_ascii_lowercase();
        let listed = valid.headers.names.iter().any(|n| n.as_bytes() == lower);
        let by_star = valid.headers.any && lower != b"authorization";
        if !listed && !by_star {
            return Preflight::Denied(Denial::Header(name));
        }
    }
    if private_network && !valid.private_network {
        return Preflight::Denied(Denial::PrivateNetwork);
    }
    Preflight::Allowed {
        origin: allow,
        private_network,
    }
}

/// Checks that the explanation of `denial` (the 403 body and the log record) is one line of
/// bounded length whatever the request held: request bytes are quoted as printable ASCII, at
/// most [`QUOTE_LIMIT`] of them per value, and no explanation quotes more than two values (a
/// refused write names its `Origin` and its `Host`: found by the `writes` target).
pub fn check_explanation(denial: &Denial<'_>, policy: &Policy) {
    let text = denial.explain(policy).to_string();
    assert!(
        !text.bytes().any(|b| b.is_ascii_control()),
        "control byte in explanation {text:?}"
    );
    // The fixed words, the policy's own lists, and for each of at most two quoted values at
    // most QUOTE_LIMIT bytes of 4 characters each (`\xNN`) plus `…`.
    let policy_text: usize = policy_origins_len(policy)
        + policy.allow_methods_value().len()
        + policy.allow_headers_value().map_or(0, str::len);
    let bound = 400 + policy_text + 2 * (4 * QUOTE_LIMIT + '…'.len_utf8());
    assert!(
        text.len() <= bound,
        "explanation of {} bytes over the bound {bound}: {text:?}",
        text.len()
    );
    // Anything not from the policy is printable ASCII (or the ellipsis).
    assert!(
        text.chars().all(|c| c == '…' || (' '..='~').contains(&c)),
        "unexpected character in explanation {text:?}"
    );
}

fn policy_origins_len(policy: &Policy) -> usize {
    match policy.origins() {
        cors_runtime::AllowedOrigins::Any => 1,
        cors_runtime::AllowedOrigins::List(list) => list
            .iter()
            .map(|p| match p {
                cors_runtime::OriginPattern::Exact(e) => e.len() + 2,
                cors_runtime::OriginPattern::Subdomains { prefix, suffix } => {
                    prefix.len() + suffix.len() + 3
                }
                cors_runtime::OriginPattern::AnyPort { base } => base.len() + 4,
                // Non-exhaustive: a pattern kind this oracle does not know yet.
                _ => 0,
            })
            .sum(),
        // Configured origins (and kinds added later) are not generated by these targets.
        _ => 0,
    }
}

/// A policy as the fuzz targets build it: owned lists, turned into a [`PolicyInput`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OwnedInput {
    /// `origins`.
    pub origins: Vec<String>,
    /// `methods`, if written.
    pub methods: Option<Vec<String>>,
    /// The route's methods.
    pub route_methods: Vec<String>,
    /// `headers`.
    pub headers: Vec<String>,
    /// `expose`.
    pub expose: Vec<String>,
    /// `credentials`.
    pub credentials: bool,
    /// `max_age`.
    pub max_age: Option<u64>,
    /// `private_network`.
    pub private_network: bool,
    /// `writes_from_any_origin`.
    pub writes_from_any_origin: bool,
    /// `dangerously_trust_http_origins`.
    pub dangerously_trust_http_origins: bool,
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

impl OwnedInput {
    /// Runs [`validate`] on it.
    pub fn validate(&self) -> Result<ValidPolicy, Vec<cors_runtime::rules::RuleError>> {
        let origins = refs(&self.origins);
        let methods = self.methods.as_deref().map(refs);
        let route_methods = refs(&self.route_methods);
        let headers = refs(&self.headers);
        let expose = refs(&self.expose);
        validate(&PolicyInput {
            origins: &origins,
            methods: methods.as_deref(),
            route_methods: &route_methods,
            headers: &headers,
            expose: &expose,
            credentials: self.credentials,
            max_age: self.max_age,
            private_network: self.private_network,
            origin_source: false,
            writes_from_any_origin: self.writes_from_any_origin,
            dangerously_trust_http_origins: self.dangerously_trust_http_origins,
            report_only: cors_runtime::ReportOnly::Nothing,
            websocket: false,
        })
    }
}

type Cache = HashMap<OwnedInput, Option<(ValidPolicy, Policy)>>;

/// A `static`, never dropped: what the policies leaked stays reachable, so LeakSanitizer does
/// not report it at exit.
static CACHE: Mutex<Option<Cache>> = Mutex::new(None);

/// The validated policy and the [`Policy`] built from it, or `None` when the input is not
/// valid (or the cache is full and the policy new: the target then skips the input).
///
/// [`Policy::from_valid`] leaks its strings by design (a policy lives as long as the app), so
/// each distinct policy is built once and kept: the memory a fuzz run uses stays bounded by
/// the palettes the targets draw policies from.
pub fn cached_policy(input: &OwnedInput) -> Option<(ValidPolicy, Policy)> {
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    let cache = cache.get_or_insert_with(HashMap::new);
    if let Some(hit) = cache.get(input) {
        return hit.clone();
    }
    if cache.len() >= CACHE_LIMIT {
        // Full: a policy built now could not be kept, and what it leaked would be unreachable.
        return None;
    }
    let built = input
        .validate()
        .ok()
        .map(|valid| (valid.clone(), Policy::from_valid(&valid)));
    cache.insert(input.clone(), built.clone());
    built
}
