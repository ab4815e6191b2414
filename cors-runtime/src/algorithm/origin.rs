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
    /// ```
    #[inline]
    pub fn matches(&self, origin: &[u8]) -> bool {
        match *self {
            OriginPattern::Exact(exact) => origin == exact.as_bytes(),
            OriginPattern::Subdomains { prefix, suffix } => subdomain_of(origin, prefix, suffix),
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
        }
    }
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
