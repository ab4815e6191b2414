//! Origin matching: byte for byte, whole labels only.

use super::fields::Field;
use crate::origin_pattern::OriginPattern;
use crate::origins::AllowedOrigins;
use crate::policy::Policy;
use crate::rules::OriginSpec;
use crate::verdict::Verdict;

/// The longest DNS label a wildcard stands for.
const MAX_LABEL: usize = 63;

impl OriginPattern {
    /// Whether `origin` (a request's `Origin` value, as bytes) matches this pattern.
    ///
    /// ```
    /// use cors_runtime::OriginPattern;
    ///
    /// let p = OriginPattern::Subdomains { prefix: "https://", suffix: ".example.com" };
    /// assert!(p.matches(b"https://app.example.com"));
    /// assert!(!p.matches(b"https://a.b.example.com")); // one label only
    /// assert!(!p.matches(b"https://example.com"));
    /// assert!(!p.matches(b"https://app.example.com:8443")); // another port
    /// assert!(!p.matches(b"https://evilexample.com"));
    ///
    /// let local = OriginPattern::AnyPort { base: "http://localhost" };
    /// assert!(local.matches(b"http://localhost:5173"));
    /// assert!(local.matches(b"http://localhost"));
    /// assert!(!local.matches(b"http://localhost:05173")); // not as a browser sends it
    /// assert!(!local.matches(b"http://localhost:80")); // browsers leave the default port out
    /// assert!(!local.matches(b"http://localhost.evil.example"));
    /// assert!(!local.matches(b"https://localhost:5173"));
    /// ```
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        match *self {
            OriginPattern::Exact(exact) => origin == exact.as_bytes(),
            OriginPattern::Subdomains { prefix, suffix } => subdomain_of(origin, prefix, suffix),
            OriginPattern::AnyPort { base } => any_port_of(origin, base),
        }
    }
}

impl OriginSpec {
    /// Whether `origin` matches this entry of a configured list, exactly as the
    /// [`OriginPattern`] made of it would.
    pub(crate) fn matches(&self, origin: &[u8]) -> bool {
        match self {
            OriginSpec::Any => true,
            OriginSpec::Null => origin == b"null",
            OriginSpec::Exact(exact) => origin == exact.as_bytes(),
            OriginSpec::Subdomains { prefix, suffix } => subdomain_of(origin, prefix, suffix),
            OriginSpec::AnyPort { base } => any_port_of(origin, base),
        }
    }
}

/// `base`, or `base` + `:` + a port as browsers serialize it: 1 to 65535, no leading zero, and
/// never the scheme's default port (which browsers leave out).
fn any_port_of(origin: &[u8], base: &str) -> bool {
    let default: &[u8] = if base.starts_with("https:") {
        b"443"
    } else {
        b"80"
    };
    match origin.strip_prefix(base.as_bytes()) {
        Some([]) => true,
        Some([b':', port @ ..]) => is_port(port) && port != default,
        _ => false,
    }
}

fn is_port(port: &[u8]) -> bool {
    let digits = !port.is_empty() && port.len() <= 5 && port.iter().all(u8::is_ascii_digit);
    digits
        && port[0] != b'0'
        && port.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')) <= 65_535
}

/// `prefix` + one DNS label + `suffix`.
fn subdomain_of(origin: &[u8], prefix: &str, suffix: &str) -> bool {
    origin
        .strip_prefix(prefix.as_bytes())
        .and_then(|rest| rest.strip_suffix(suffix.as_bytes()))
        .is_some_and(is_label)
}

fn is_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL
        && label
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl Policy {
    /// Whether the origins written in the policy (`*`, a list, or an
    /// [`OriginSource`](crate::OriginSource)'s list in force) allow a request whose single
    /// `Origin` header is `origin`. Origins that a function or a lookup decides are asked per
    /// request by the glue, which passes their answer in a [`RequestOrigin`]; here they allow
    /// none.
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        match self.origins() {
            AllowedOrigins::Any => true,
            AllowedOrigins::List(list) => list.iter().any(|p| p.matches(origin)),
            AllowedOrigins::Configured(source) => source.allows(origin),
            #[cfg(feature = "actix")]
            AllowedOrigins::Function(_) | AllowedOrigins::Lookup(_) => false,
        }
    }
}

/// A request's `Origin` field(s), resolved: the field, and the verdict of the policy's origins
/// about its one value. Every decision ([`crate::decide_actual`], [`crate::decide_preflight`],
/// [`crate::decide_write`]) takes one: the origin is allowed if and only if the field has
/// exactly one value and the verdict is [`Verdict::Allowed`].
///
/// ```
/// use cors_runtime::{rules::{validate, PolicyInput}, Field, Policy, RequestOrigin, Verdict};
///
/// let policy = Policy::from_valid(&validate(&PolicyInput {
///     origins: &["https://app.example.com"],
///     route_methods: &["GET"],
///     ..PolicyInput::default()
/// }).unwrap());
/// let app = RequestOrigin::of(&policy, Field::One(b"https://app.example.com"));
/// assert_eq!(app.verdict(), Verdict::Allowed);
/// assert_eq!(RequestOrigin::of(&policy, Field::One(b"https://evil.example")).verdict(), Verdict::Refused);
/// // Several `Origin` fields name no one origin, whatever a function said.
/// assert_eq!(RequestOrigin::judged(Field::Several, Verdict::Allowed).allowed(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestOrigin<'a> {
    field: Field<'a>,
    verdict: Verdict,
}

impl<'a> RequestOrigin<'a> {
    /// `field` judged by the origins written in `policy` (see [`Policy::allows_origin`]).
    pub fn of(policy: &Policy, field: Field<'a>) -> Self {
        let verdict = match field {
            Field::One(origin) if policy.allows_origin(origin) => Verdict::Allowed,
            _ => Verdict::Refused,
        };
        Self { field, verdict }
    }

    /// `field` with the `verdict` about its one value of whatever decides the policy's origins
    /// (its list, its source, its function or its lookup). Without exactly one value, the
    /// verdict is [`Verdict::Refused`]: nothing was asked.
    pub fn judged(field: Field<'a>, verdict: Verdict) -> Self {
        let verdict = match field {
            Field::One(_) => verdict,
            Field::Absent | Field::Several => Verdict::Refused,
        };
        Self { field, verdict }
    }

    /// The `Origin` field(s).
    pub fn field(&self) -> Field<'a> {
        self.field
    }

    /// What was answered about the origin.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// The origin, if it is allowed.
    pub fn allowed(&self) -> Option<&'a [u8]> {
        match (self.field, self.verdict) {
            (Field::One(origin), Verdict::Allowed) => Some(origin),
            _ => None,
        }
    }
}
