//! What a decision was, in a few words that do not depend on the request: the labels of the
//! metrics and of report-only records. Never the origin, so that they stay bounded.

use super::decision::Denial;
use crate::verdict::Verdict;

/// Which decision was made about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An actual request with an `Origin` (its response's CORS headers).
    Actual,
    /// A preflight.
    Preflight,
    /// A write from an origin the policy does not allow (refused before the handler).
    Write,
    /// A WebSocket handshake from an origin the policy does not allow.
    Handshake,
}

/// How the decision came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Allowed.
    Allowed,
    /// Refused.
    Refused,
    /// Would have been refused, but the route is in report-only mode.
    WouldRefuse,
}

/// Why a request was refused, as a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Not refused.
    None,
    /// The origin: not allowed, missing from a preflight, several fields, unreadable.
    Origin,
    /// The requested method.
    Method,
    /// A requested header (not allowed, or not a token).
    Header,
    /// `Access-Control-Request-Headers` over its size limit.
    Size,
    /// A private-network preflight the policy does not answer.
    PrivateNetwork,
    /// A cross-origin write.
    Write,
    /// A cross-origin WebSocket handshake.
    Handshake,
    /// The lookup failed or did not answer in time.
    LookupFailed,
    /// Too many lookups were in flight.
    LookupOverloaded,
}

impl Kind {
    /// Every kind, in the order of [`Kind::index`].
    pub const ALL: [Kind; 4] = [Kind::Actual, Kind::Preflight, Kind::Write, Kind::Handshake];

    /// The label value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Actual => "actual",
            Kind::Preflight => "preflight",
            Kind::Write => "write",
            Kind::Handshake => "handshake",
        }
    }

    /// Its position in [`Kind::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl Outcome {
    /// Every outcome, in the order of [`Outcome::index`].
    pub const ALL: [Outcome; 3] = [Outcome::Allowed, Outcome::Refused, Outcome::WouldRefuse];

    /// The label value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Refused => "refused",
            Outcome::WouldRefuse => "would_refuse",
        }
    }

    /// Its position in [`Outcome::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl Reason {
    /// Every reason, in the order of [`Reason::index`].
    pub const ALL: [Reason; 10] = [
        Reason::None,
        Reason::Origin,
        Reason::Method,
        Reason::Header,
        Reason::Size,
        Reason::PrivateNetwork,
        Reason::Write,
        Reason::Handshake,
        Reason::LookupFailed,
        Reason::LookupOverloaded,
    ];

    /// The label value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::None => "none",
            Reason::Origin => "origin",
            Reason::Method => "method",
            Reason::Header => "header",
            Reason::Size => "size",
            Reason::PrivateNetwork => "private_network",
            Reason::Write => "write",
            Reason::Handshake => "handshake",
            Reason::LookupFailed => "lookup_failed",
            Reason::LookupOverloaded => "lookup_overloaded",
        }
    }

    /// Its position in [`Reason::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl Denial<'_> {
    /// The class of this refusal.
    ///
    /// ```
    /// use cors_runtime::{Denial, Reason, Verdict};
    ///
    /// assert_eq!(Denial::Origin(b"https://evil.example", Verdict::Refused).reason(), Reason::Origin);
    /// assert_eq!(Denial::Origin(b"https://a.example", Verdict::TimedOut).reason(), Reason::LookupFailed);
    /// assert_eq!(Denial::HeadersTooLong(5000).reason(), Reason::Size);
    /// ```
    pub fn reason(&self) -> Reason {
        match self {
            Denial::NoOrigin | Denial::SeveralOrigins => Reason::Origin,
            Denial::Origin(_, Verdict::Failed | Verdict::TimedOut) => Reason::LookupFailed,
            Denial::Origin(_, Verdict::Overloaded) => Reason::LookupOverloaded,
            Denial::Origin(..) => Reason::Origin,
            Denial::NoMethod | Denial::SeveralMethods | Denial::Method(_) => Reason::Method,
            Denial::Header(_) | Denial::MalformedHeader(_) => Reason::Header,
            Denial::HeadersTooLong(_) => Reason::Size,
            Denial::PrivateNetwork => Reason::PrivateNetwork,
            Denial::CrossSiteWrite { .. } | Denial::ForeignWrite { .. } => Reason::Write,
            Denial::CrossSiteHandshake { .. } | Denial::ForeignHandshake { .. } => {
                Reason::Handshake
            }
        }
    }
}
