//! One allowed origin or pattern of origins, as a policy or a configured source holds it.

use crate::rules::OriginSpec;

/// One allowed origin, or a pattern of origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginPattern {
    /// Matches exactly this `Origin` value, byte for byte (`null` included).
    Exact(&'static str),
    /// Matches `prefix` + one DNS label + `suffix`, as `https://` + `app` + `.example.com`.
    Subdomains {
        /// Scheme and `://`.
        prefix: &'static str,
        /// A dot, the parent domain and the port, if any.
        suffix: &'static str,
    },
    /// Matches `base` alone or followed by `:` and a port, as `http://localhost:5173`: a
    /// loopback host on any port (`http://localhost:*`).
    AnyPort {
        /// Scheme, `://` and a loopback host.
        base: &'static str,
    },
}

/// As written in `origins`: `https://app.example.com`, `https://*.example.com`.
impl std::fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OriginPattern::Exact(o) => f.write_str(o),
            OriginPattern::Subdomains { prefix, suffix } => write!(f, "{prefix}*{suffix}"),
            OriginPattern::AnyPort { base } => write!(f, "{base}:*"),
        }
    }
}

/// Patterns separated by `, `, for messages.
pub(crate) struct PatternList(pub(crate) &'static [OriginPattern]);

impl std::fmt::Display for PatternList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, pattern) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{pattern}")?;
        }
        Ok(())
    }
}

/// `specs` (without `Any`) as `'static` patterns: leaked, because a policy lives as long as
/// the app.
pub(crate) fn leak_patterns(specs: &[OriginSpec]) -> &'static [OriginPattern] {
    let list: Vec<OriginPattern> = specs
        .iter()
        .map(|o| match o {
            OriginSpec::Null => OriginPattern::Exact("null"),
            OriginSpec::Exact(s) => OriginPattern::Exact(leak(s.clone())),
            OriginSpec::Subdomains { prefix, suffix } => OriginPattern::Subdomains {
                prefix: leak(prefix.clone()),
                suffix: leak(suffix.clone()),
            },
            OriginSpec::AnyPort { base } => OriginPattern::AnyPort {
                base: leak(base.clone()),
            },
            OriginSpec::Any => unreachable!("`*` is not a pattern"),
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

pub(crate) fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
