//! The CORS decisions of the Fetch standard, as pure functions of a policy and request headers.

use super::fields::{request_header_names, Field, MAX_REQUEST_HEADERS_LEN};
use super::origin::RequestOrigin;
use crate::grammar::{is_tchar, trim_ows};
use crate::policy::Policy;
use crate::verdict::Verdict;

/// What `Access-Control-Allow-Origin` says when a request is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowOrigin {
    /// `*` (only for `origins = ["*"]`, never with credentials).
    Any,
    /// The request's `Origin`, copied byte for byte.
    Echo,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial<'a> {
    /// The preflight carries no `Origin`.
    NoOrigin,
    /// The request carries several `Origin` fields.
    SeveralOrigins,
    /// The origin is not allowed: the policy's origins gave this verdict about it (for origins
    /// written in the policy, [`Verdict::Refused`]).
    Origin(&'a [u8], Verdict),
    /// The preflight carries no usable `Access-Control-Request-Method`.
    NoMethod,
    /// The preflight carries several `Access-Control-Request-Method` fields.
    SeveralMethods,
    /// The requested method is not in the policy (compared byte for byte: methods are case-sensitive).
    Method(&'a [u8]),
    /// A requested header is not in the policy.
    Header(&'a [u8]),
    /// A requested header name is not an HTTP token.
    MalformedHeader(&'a [u8]),
    /// `Access-Control-Request-Headers` is longer than [`MAX_REQUEST_HEADERS_LEN`].
    HeadersTooLong(usize),
    /// The preflight asks for private-network access and the policy does not allow it.
    PrivateNetwork,
    /// A write (unsafe method) that the browser marks `Sec-Fetch-Site: same-site` or
    /// `cross-site` (`site`), from an origin the policy does not allow (or without one).
    CrossSiteWrite {
        /// The `Sec-Fetch-Site` value.
        site: &'a [u8],
        /// The `Origin` field(s), and the verdict about them.
        origin: RequestOrigin<'a>,
    },
    /// A write without Fetch Metadata from an origin that is neither allowed nor the request's
    /// own (`host`).
    ForeignWrite {
        /// The `Origin` field(s), and the verdict about them.
        origin: RequestOrigin<'a>,
        /// The request's own authority, if it has one.
        host: Option<&'a [u8]>,
    },
    /// A WebSocket handshake that the browser marks `Sec-Fetch-Site: same-site` or
    /// `cross-site` (`site`), from an origin the policy does not allow.
    CrossSiteHandshake {
        /// The `Sec-Fetch-Site` value.
        site: &'a [u8],
        /// The `Origin` field(s), and the verdict about them.
        origin: RequestOrigin<'a>,
    },
    /// A WebSocket handshake without Fetch Metadata from an origin that is neither allowed nor
    /// the request's own (`host`).
    ForeignHandshake {
        /// The `Origin` field(s), and the verdict about them.
        origin: RequestOrigin<'a>,
        /// The request's own authority, if it has one.
        host: Option<&'a [u8]>,
    },
}

/// The decision for an actual (non-preflight) request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actual<'a> {
    /// No `Origin` (and an answer that depends on it): not a CORS request. `vary` says whether
    /// to add `Vary: Origin`.
    NotCors {
        /// The answer would have depended on the origin.
        vary: bool,
    },
    /// Allowed: add the CORS response headers.
    Allowed(AllowOrigin),
    /// Refused: add no `Access-Control-*` header (the browser then blocks the response), only
    /// `Vary: Origin`.
    Denied(Denial<'a>),
}

/// What a preflight asks for.
#[derive(Debug, Clone, Copy)]
pub struct PreflightRequest<'a, I> {
    /// The `Origin` field(s), resolved.
    pub origin: RequestOrigin<'a>,
    /// The `Access-Control-Request-Method` field(s).
    pub method: Field<'a>,
    /// Every `Access-Control-Request-Headers` field.
    pub headers: I,
    /// `Access-Control-Request-Private-Network: true` was sent.
    pub private_network: bool,
}

/// The decision for a preflight request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preflight<'a> {
    /// Allowed: answer 204 with the policy's headers.
    Allowed {
        /// What `Access-Control-Allow-Origin` says.
        origin: AllowOrigin,
        /// Answer `Access-Control-Allow-Private-Network: true`.
        private_network: bool,
    },
    /// Refused: answer 403 with no `Access-Control-*` header.
    Denied(Denial<'a>),
}

fn allow_origin<'a>(policy: &Policy, origin: RequestOrigin<'a>) -> Result<AllowOrigin, Denial<'a>> {
    match (origin.field(), origin.allowed()) {
        (Field::Absent, _) => Err(Denial::NoOrigin),
        (Field::Several, _) => Err(Denial::SeveralOrigins),
        (Field::One(_), Some(_)) if policy.is_any() => Ok(AllowOrigin::Any),
        (Field::One(_), Some(_)) => Ok(AllowOrigin::Echo),
        (Field::One(o), None) => Err(Denial::Origin(o, origin.verdict())),
    }
}

/// Decides an actual request from its resolved `Origin`.
///
/// ```
/// use cors_runtime::{decide_actual, rules::{validate, PolicyInput}, Actual, AllowOrigin, Denial, Field, Policy, RequestOrigin, Verdict};
///
/// let policy = Policy::from_valid(&validate(&PolicyInput {
///     origins: &["https://app.example.com"],
///     route_methods: &["GET"],
///     ..PolicyInput::default()
/// }).unwrap());
/// let decide = |field| decide_actual(&policy, RequestOrigin::of(&policy, field));
/// assert_eq!(decide(Field::One(b"https://app.example.com")), Actual::Allowed(AllowOrigin::Echo));
/// assert_eq!(decide(Field::One(b"https://APP.example.com")),
///            Actual::Denied(Denial::Origin(b"https://APP.example.com", Verdict::Refused)));
/// assert_eq!(decide(Field::Absent), Actual::NotCors { vary: true });
///
/// // With `origins = ["*"]` the answer never depends on the origin: `*` is sent to requests
/// // without `Origin` too, as the Fetch standard advises for caches.
/// let public = Policy::from_valid(&validate(&PolicyInput {
///     origins: &["*"],
///     route_methods: &["GET"],
///     ..PolicyInput::default()
/// }).unwrap());
/// assert_eq!(decide_actual(&public, RequestOrigin::of(&public, Field::Absent)), Actual::Allowed(AllowOrigin::Any));
/// ```
pub fn decide_actual<'a>(policy: &Policy, origin: RequestOrigin<'a>) -> Actual<'a> {
    match origin.field() {
        // Fetch, "CORS protocol and HTTP caches": a resource whose answer is always `*` sends it
        // to non-CORS requests too (and no `Vary`), so that a cached response stays usable
        // for a later CORS request.
        Field::Absent if !policy.varies_by_origin() => Actual::Allowed(AllowOrigin::Any),
        Field::Absent => Actual::NotCors { vary: true },
        _ => match allow_origin(policy, origin) {
            Ok(allow) => Actual::Allowed(allow),
            Err(denial) => Actual::Denied(denial),
        },
    }
}

/// Decides a preflight: allowed if and only if the origin, the method and every requested
/// header are allowed (and private-network access, when asked for).
///
/// Work is bounded: a header list longer than [`MAX_REQUEST_HEADERS_LEN`] is refused before it
/// is parsed, and parsing allocates nothing.
pub fn decide_preflight<'a, I>(policy: &Policy, request: PreflightRequest<'a, I>) -> Preflight<'a>
where
    I: IntoIterator<Item = &'a [u8]> + Clone,
{
    match check_preflight(policy, request) {
        Ok(allowed) => allowed,
        Err(denial) => Preflight::Denied(denial),
    }
}

fn check_preflight<'a, I>(
    policy: &Policy,
    request: PreflightRequest<'a, I>,
) -> Result<Preflight<'a>, Denial<'a>>
where
    I: IntoIterator<Item = &'a [u8]> + Clone,
{
    let origin = allow_origin(policy, request.origin)?;
    let method = match request.method {
        Field::Absent => return Err(Denial::NoMethod),
        Field::Several => return Err(Denial::SeveralMethods),
        Field::One(m) => trim_ows(m),
    };
    if method.is_empty() {
        return Err(Denial::NoMethod);
    }
    if !policy.methods.iter().any(|m| m.as_bytes() == method) {
        return Err(Denial::Method(method));
    }
    let len: usize = request.headers.clone().into_iter().map(<[u8]>::len).sum();
    if len > MAX_REQUEST_HEADERS_LEN {
        return Err(Denial::HeadersTooLong(len));
    }
    for name in request_header_names(request.headers) {
        // Browsers send the names in lowercase, as the policy's are: a plain comparison
        // (vectorised) settles it mostly, the case-insensitive one (byte by byte) the rest.
        let listed = policy.headers.names.iter().any(|n| {
            let n = n.as_bytes();
            n == name || n.eq_ignore_ascii_case(name)
        });
        // A listed name is a token (the policy's names are), so only the others are checked
        // byte by byte: a malformed name is reported as such, before "not allowed".
        if listed {
            continue;
        }
        if !name.iter().all(|&b| is_tchar(b)) {
            return Err(Denial::MalformedHeader(name));
        }
        let by_star = policy.headers.any && !name.eq_ignore_ascii_case(b"authorization");
        if !by_star {
            return Err(Denial::Header(name));
        }
    }
    if request.private_network && !policy.private_network {
        return Err(Denial::PrivateNetwork);
    }
    Ok(Preflight::Allowed {
        origin,
        private_network: request.private_network,
    })
}
