//! What a finding is about: its class, and how severe it is.

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Not readable by a page in a browser, or only by a page that already has the origin's
    /// trust in another way; a sign of a check that is not byte for byte.
    Low,
    /// Readable by an attacker who controls a host near the allowed one or the network, or
    /// without credentials only; or a cache that can mix answers up.
    Medium,
    /// Readable with the user's cookies by a page anyone can put up.
    High,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
        })
    }
}

/// What a finding is about: an origin the server should refuse and does not (one class per
/// way of deriving it from the allowed origin), or a check of the answers themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// An unrelated origin (`https://evil.test`): the server reflects any origin.
    AnyOrigin,
    /// The allowed origin with a suffix (`https://app.example.com.evil.test`): the server
    /// checks only how the origin starts.
    SuffixMatch,
    /// The allowed host with a prefix (`https://evilapp.example.com`): the server checks only
    /// how the origin ends.
    PrefixMatch,
    /// A dot of the host replaced by a letter (`https://appxexample.com`): a regular
    /// expression with an unescaped `.`.
    UnescapedDot,
    /// `null`: sent by sandboxed iframes, `data:` URLs and local files.
    NullOrigin,
    /// `http://` for an `https://` origin: a network attacker can inject a script there.
    HttpDowngrade,
    /// The allowed host on another port.
    OtherPort,
    /// The allowed origin in capitals: no browser sends it, a case-insensitive comparison
    /// accepts it.
    LetterCase,
    /// The allowed host with a trailing dot (`https://app.example.com.`).
    TrailingDot,
    /// A subdomain of the allowed host (`https://evil.app.example.com`).
    Subdomain,
    /// Another host under the allowed host's parent (`https://evil.example.com`).
    SiblingSubdomain,
    /// A NUL, CR or LF byte in the `Origin` value, the allowed origin before it.
    ControlBytes,
    /// Two `Origin` fields in one request, the allowed origin and another.
    MultipleOrigins,
    /// `Access-Control-Allow-Origin` depends on `Origin` but the answer has no `Vary: Origin`.
    MissingVary,
    /// `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true`.
    WildcardCredentials,
    /// A preflight asking for a list of request headers of several KB is allowed.
    RequestHeadersUnbounded,
    /// A preflight asking for a list of request headers of several KB takes far longer than a
    /// normal one.
    RequestHeadersSlow,
}

impl Class {
    /// The class as printed: `suffix-match`.
    pub fn name(self) -> &'static str {
        match self {
            Class::AnyOrigin => "any-origin",
            Class::SuffixMatch => "suffix-match",
            Class::PrefixMatch => "prefix-match",
            Class::UnescapedDot => "unescaped-dot",
            Class::NullOrigin => "null-origin",
            Class::HttpDowngrade => "http-downgrade",
            Class::OtherPort => "other-port",
            Class::LetterCase => "letter-case",
            Class::TrailingDot => "trailing-dot",
            Class::Subdomain => "subdomain",
            Class::SiblingSubdomain => "sibling-subdomain",
            Class::ControlBytes => "control-bytes",
            Class::MultipleOrigins => "multiple-origins",
            Class::MissingVary => "missing-vary",
            Class::WildcardCredentials => "wildcard-credentials",
            Class::RequestHeadersUnbounded => "request-headers-unbounded",
            Class::RequestHeadersSlow => "request-headers-slow",
        }
    }

    /// The severity of an origin of this class that a browser can send and that is allowed,
    /// `with_credentials` or not. An origin no browser sends is [`Severity::Low`] whatever its
    /// class (see [`crate::probe::judge`]).
    pub fn severity(self, with_credentials: bool) -> Severity {
        use Severity::{High, Low, Medium};
        match self {
            // Anyone can make a page on these origins.
            Class::AnyOrigin
            | Class::SuffixMatch
            | Class::PrefixMatch
            | Class::UnescapedDot
            | Class::NullOrigin => {
                if with_credentials {
                    High
                } else {
                    Medium
                }
            }
            // These need a foothold: the network, a host or port next to the allowed one.
            Class::HttpDowngrade
            | Class::OtherPort
            | Class::Subdomain
            | Class::SiblingSubdomain => {
                if with_credentials {
                    Medium
                } else {
                    Low
                }
            }
            Class::LetterCase
            | Class::TrailingDot
            | Class::ControlBytes
            | Class::MultipleOrigins
            | Class::WildcardCredentials
            | Class::RequestHeadersUnbounded => Low,
            Class::MissingVary | Class::RequestHeadersSlow => Medium,
        }
    }

    /// Who can use an allowed origin of this class, for the finding's line.
    pub fn who(self) -> &'static str {
        match self {
            Class::AnyOrigin => "any web page can read the answer",
            Class::SuffixMatch => {
                "whoever registers the domain after the allowed origin (anyone can) reads the answer"
            }
            Class::PrefixMatch => {
                "whoever gets a host name that ends like the allowed one reads the answer"
            }
            Class::UnescapedDot => "whoever registers that name reads the answer",
            Class::NullOrigin => {
                "any page can send Origin: null from a sandboxed iframe or a data: URL"
            }
            Class::HttpDowngrade => {
                "a network attacker can inject a script into the plain-http page"
            }
            Class::OtherPort => "any service on another port of that host reads the answer",
            Class::LetterCase => {
                "browsers send origins in lowercase: the server compares without regard to case"
            }
            Class::TrailingDot => {
                "the same host name written as a distinct origin: the check is not byte for byte"
            }
            Class::Subdomain | Class::SiblingSubdomain => {
                "a script on any such host (an XSS, a taken-over subdomain) reads the answer"
            }
            Class::ControlBytes => {
                "no browser sends it: the server cuts the Origin at the control byte or ignores it"
            }
            Class::MultipleOrigins => {
                "no browser sends it: the server picks one of several Origin fields (a proxy that adds one decides)"
            }
            Class::MissingVary
            | Class::WildcardCredentials
            | Class::RequestHeadersUnbounded
            | Class::RequestHeadersSlow => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_order_and_print() {
        assert!(Severity::High > Severity::Medium && Severity::Medium > Severity::Low);
        assert_eq!(format!("{:<6}|", Severity::Low), "LOW   |");
        assert_eq!(Class::SuffixMatch.severity(true), Severity::High);
        assert_eq!(Class::SuffixMatch.severity(false), Severity::Medium);
        assert_eq!(Class::Subdomain.severity(true), Severity::Medium);
        assert_eq!(Class::LetterCase.severity(true), Severity::Low);
    }
}
