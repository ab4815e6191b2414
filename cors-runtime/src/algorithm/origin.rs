//! Origin matching: byte for byte, whole labels only.

use crate::origin_pattern::OriginPattern;
use crate::policy::{AllowedOrigins, Policy};
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
    /// Whether the policy allows a request whose single `Origin` header is `origin`.
    ///
    /// A policy whose origins a function or a lookup decides allows an origin only through
    /// the verdict [`Policy::judged`] records (the caller judged this same origin): without
    /// one, it allows none.
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        if let Some(verdict) = self.verdict() {
            return verdict == Verdict::Allowed;
        }
        match self.origins() {
            AllowedOrigins::Any => true,
            AllowedOrigins::List(list) => list.iter().any(|p| p.matches(origin)),
            AllowedOrigins::Configured(source) => source.allows(origin),
            #[cfg(feature = "actix")]
            AllowedOrigins::Function(_) | AllowedOrigins::Lookup(_) => false,
        }
    }
}

/// Whether `origin` is allowed, by `verdict` (what the policy's source, function or lookup
/// answered about it, for the glue, which asks before it decides) or else by `policy` alone.
pub(crate) fn origin_allowed(policy: &Policy, verdict: Option<Verdict>, origin: &[u8]) -> bool {
    match verdict {
        Some(verdict) => verdict == Verdict::Allowed,
        None => policy.allows_origin(origin),
    }
}
