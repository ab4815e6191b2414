//! Denials in words: the text of a denied preflight's body and of the log record.

use std::fmt;

use super::decision::Denial;
use super::fields::Field;
use super::fields::MAX_REQUEST_HEADERS_LEN;
use super::origin::RequestOrigin;
use crate::origin_pattern::PatternList;
use crate::origins::AllowedOrigins;
use crate::policy::Policy;
use crate::text::{Quoted, REQUEST_VALUE_LIMIT};
use crate::verdict::Verdict;

/// The origins a policy allows, in words, with what its function or lookup answered about the
/// request's origin.
// Without the actix glue there is no function or lookup, whose answer the verdict is.
#[cfg_attr(not(feature = "actix"), allow(dead_code))]
struct Origins<'a>(&'a Policy, Verdict);

impl fmt::Display for Origins<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.origins() {
            AllowedOrigins::Any => write!(f, "*"),
            AllowedOrigins::List(list) => write!(f, "{}", PatternList(list)),
            AllowedOrigins::Configured(source) => match source.origins() {
                Some(list) => write!(f, "{} from {}", list.join(", "), source.kind()),
                None => write!(f, "none: {} was never loaded", source.kind()),
            },
            #[cfg(feature = "actix")]
            AllowedOrigins::Function(function) => {
                write!(f, "those function `{}` allows; {}", function.name(), self.1)
            }
            #[cfg(feature = "actix")]
            AllowedOrigins::Lookup(lookup) => {
                write!(
                    f,
                    "those lookup `{}` allows; {}",
                    lookup.description(),
                    self.1
                )
            }
        }
    }
}

/// A [`Denial`] with the policy it broke, to display.
#[derive(Clone, Copy)]
pub struct Explained<'p, 'a> {
    denial: Denial<'a>,
    policy: &'p Policy,
}

impl<'a> Denial<'a> {
    /// The reason in one sentence, naming what was asked for and what the policy allows.
    ///
    /// ```
    /// use cors_runtime::{rules::{validate, PolicyInput}, Denial, Policy};
    ///
    /// let policy = Policy::from_valid(&validate(&PolicyInput {
    ///     origins: &["https://app.example.com"],
    ///     route_methods: &["GET", "PUT"],
    ///     ..PolicyInput::default()
    /// }).unwrap());
    /// assert_eq!(
    ///     Denial::Method(b"DELETE").explain(&policy).to_string(),
    ///     "method `DELETE` is not allowed (allowed methods: GET, PUT)",
    /// );
    /// ```
    pub fn explain<'p>(&self, policy: &'p Policy) -> Explained<'p, 'a> {
        Explained {
            denial: *self,
            policy,
        }
    }
}

impl fmt::Display for Explained<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.policy;
        match self.denial {
            Denial::NoOrigin => write!(f, "the preflight has no `Origin` header"),
            Denial::SeveralOrigins => write!(f, "the request has several `Origin` headers, which match no origin"),
            Denial::Origin(o, verdict) => write!(f, "origin `{}` is not allowed (allowed origins: {})", Quoted::bytes(o, REQUEST_VALUE_LIMIT), Origins(p, verdict)),
            Denial::NoMethod => write!(f, "the preflight has an empty `Access-Control-Request-Method`"),
            Denial::SeveralMethods => write!(f, "the preflight has several `Access-Control-Request-Method` headers"),
            Denial::Method(m) => write!(f, "method `{}` is not allowed (allowed methods: {})", Quoted::bytes(m, REQUEST_VALUE_LIMIT), p.allow_methods),
            Denial::Header(h) => {
                write!(f, "request header `{}` is not allowed (allowed headers: {})", Quoted::bytes(h, REQUEST_VALUE_LIMIT), p.allow_headers.unwrap_or("none"))?;
                if p.headers.any && h.eq_ignore_ascii_case(b"authorization") {
                    write!(f, "; `*` does not cover `authorization`, which must be listed by name")?;
                }
                Ok(())
            }
            Denial::MalformedHeader(h) => write!(f, "`Access-Control-Request-Headers` contains `{}`, which is not a header name", Quoted::bytes(h, REQUEST_VALUE_LIMIT)),
            Denial::HeadersTooLong(n) => write!(f, "`Access-Control-Request-Headers` is {n} bytes long, over the limit of {MAX_REQUEST_HEADERS_LEN}"),
            Denial::PrivateNetwork => write!(f, "private network access was asked for and is not allowed (the policy has no `private_network`)"),
            Denial::CrossSiteWrite { site, origin } => cross_site(f, p, "write", site, origin),
            Denial::ForeignWrite { origin, host } => foreign(f, p, "write", origin, host),
            Denial::CrossSiteHandshake { site, origin } => cross_site(f, p, "WebSocket handshake", site, origin),
            Denial::ForeignHandshake { origin, host } => foreign(f, p, "WebSocket handshake", origin, host),
        }
    }
}

/// A cross-origin `what` (a write, a WebSocket handshake) that the browser marks
/// `Sec-Fetch-Site: <site>`, from an origin that is not allowed.
fn cross_site(
    f: &mut fmt::Formatter<'_>,
    p: &Policy,
    what: &str,
    site: &[u8],
    origin: RequestOrigin<'_>,
) -> fmt::Result {
    write!(
        f,
        "a cross-origin {what}: the browser marks it `Sec-Fetch-Site: {}` and ",
        Quoted::bytes(site, REQUEST_VALUE_LIMIT)
    )?;
    let allowed = Origins(p, origin.verdict());
    match origin.field() {
        Field::One(o) => write!(
            f,
            "origin `{}` is not allowed (allowed origins: {allowed})",
            Quoted::bytes(o, REQUEST_VALUE_LIMIT)
        ),
        Field::Absent => write!(f, "it has no `Origin` (allowed origins: {allowed})"),
        Field::Several => write!(f, "it has several `Origin` headers, which match no origin"),
    }
}

/// A `what` without Fetch Metadata from an origin neither allowed nor the request's own.
fn foreign(
    f: &mut fmt::Formatter<'_>,
    p: &Policy,
    what: &str,
    origin: RequestOrigin<'_>,
    host: Option<&[u8]>,
) -> fmt::Result {
    write!(f, "a cross-origin {what}: ")?;
    match origin.field() {
        Field::One(o) => write!(
            f,
            "origin `{}` is neither this server's own",
            Quoted::bytes(o, REQUEST_VALUE_LIMIT)
        )?,
        _ => {
            return write!(
                f,
                "the request has several `Origin` headers, which match no origin"
            )
        }
    }
    match host {
        Some(h) => write!(f, " (`Host: {}`)", Quoted::bytes(h, REQUEST_VALUE_LIMIT))?,
        None => write!(f, " (the request names no host)")?,
    }
    write!(
        f,
        " nor allowed (allowed origins: {})",
        Origins(p, origin.verdict())
    )
}

/// What a preflight asked for, to display next to the reason it was refused: the origin, the
/// method and the request headers, quoted like every request value (cut and escaped).
///
/// ```
/// use cors_runtime::{Asked, Field};
///
/// let asked = Asked {
///     origin: Field::One(b"https://app.example.com"),
///     method: Field::One(b"PUT"),
///     headers: Field::One(b"content-type,x-trace"),
/// };
/// assert_eq!(
///     asked.to_string(),
///     "origin `https://app.example.com` asked for method `PUT` with headers `content-type,x-trace`",
/// );
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The `Origin` field(s).
    pub origin: Field<'a>,
    /// The `Access-Control-Request-Method` field(s).
    pub method: Field<'a>,
    /// The `Access-Control-Request-Headers` field(s).
    pub headers: Field<'a>,
}

impl fmt::Display for Asked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "origin {} asked for method {}", self.origin, self.method)?;
        match self.headers {
            Field::Absent => Ok(()),
            headers => write!(f, " with headers {headers}"),
        }
    }
}
