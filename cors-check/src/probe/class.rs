//! What a finding is about: its class, who can use it, and how severe it is.

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// No page can use it (or only one on the same host under another spelling), but the
    /// server's check is not byte for byte, it sets no limit, or it is one step from a leak.
    Low,
    /// Readable without credentials by any page; or with them, by whoever holds a position
    /// next to the allowed origin (a host under the same site, another port, the network); a
    /// cache that can mix answers up; a server that slow preflights tie up.
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

/// Who can get a browser to send an origin: a page on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Anyone: `null`, or a host anyone can register.
    Anyone,
    /// Whoever holds a position next to the allowed origin: a host under the same site,
    /// another port of the host, the network (for `http://`).
    Neighbour,
    /// No page: no browser sends it, or it is the allowed host under another spelling.
    NoOne,
}

impl Reach {
    /// The severity of an origin of this reach that the server allows, `with_credentials`
    /// or not.
    pub fn severity(self, with_credentials: bool) -> Severity {
        match (self, with_credentials) {
            (Reach::Anyone, true) => Severity::High,
            (Reach::Anyone, false) | (Reach::Neighbour, true) => Severity::Medium,
            (Reach::Neighbour, false) | (Reach::NoOne, _) => Severity::Low,
        }
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
    /// The allowed host or its site with a prefix (`https://evilapp.example.com`,
    /// `https://evilexample.com`): the server checks only how the origin ends.
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

    /// The severity of a finding about the answers themselves; `None` for an origin tried,
    /// whose severity depends on who can send it and on credentials ([`Reach::severity`]).
    pub fn severity(self) -> Option<Severity> {
        match self {
            Class::MissingVary | Class::RequestHeadersSlow => Some(Severity::Medium),
            Class::WildcardCredentials | Class::RequestHeadersUnbounded => Some(Severity::Low),
            _ => None,
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
        assert_eq!(Reach::Anyone.severity(true), Severity::High);
        assert_eq!(Reach::Anyone.severity(false), Severity::Medium);
        assert_eq!(Reach::Neighbour.severity(true), Severity::Medium);
        assert_eq!(Reach::Neighbour.severity(false), Severity::Low);
        assert_eq!(Reach::NoOne.severity(true), Severity::Low);
        assert_eq!(Class::SuffixMatch.severity(), None);
        assert_eq!(Class::MissingVary.severity(), Some(Severity::Medium));
    }
}
