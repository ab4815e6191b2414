//! WebSocket handshakes: which a route refuses before the upgrade, from the origin the browser
//! sends with them.
//!
//! See [`decide_handshake`].

use super::decision::Denial;
use super::fields::Field;
use super::origin::RequestOrigin;
use super::write::is_own;

/// What a request says that may open a WebSocket, and about where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct HandshakeRequest<'a, I> {
    /// The method, as sent.
    pub method: &'a [u8],
    /// Every `Upgrade` field.
    pub upgrade: I,
    /// The `Sec-Fetch-Site` field(s).
    pub fetch_site: Field<'a>,
    /// The `Origin` field(s), resolved.
    pub origin: RequestOrigin<'a>,
    /// The request's own authority: its `Host` field, or the URI's authority (HTTP/2).
    pub host: Option<&'a [u8]>,
}

/// Whether a request asks to open a WebSocket (RFC 6455 §4.1): a `GET` whose `Upgrade`
/// field(s) name `websocket`, compared case-insensitively. The name is looked for anywhere in
/// the fields, as actix-http's handshake does (`Upgrade: h2c, WebSocket` counts), so that
/// whatever actix-web would upgrade is found here; a request that is not a handshake after all
/// is refused by the upgrade itself. Work is linear in the fields' length.
///
/// ```
/// use cors_runtime::is_handshake;
///
/// assert!(is_handshake(b"GET", [&b"websocket"[..]]));
/// assert!(is_handshake(b"GET", [&b"h2c, WebSocket"[..]]));
/// assert!(!is_handshake(b"POST", [&b"websocket"[..]]));
/// assert!(!is_handshake(b"GET", [&b"h2c"[..]]));
/// assert!(!is_handshake(b"GET", std::iter::empty::<&[u8]>()));
/// ```
pub fn is_handshake<'a>(method: &[u8], upgrade: impl IntoIterator<Item = &'a [u8]>) -> bool {
    const NAME: &[u8] = b"websocket";
    method == b"GET"
        && upgrade.into_iter().any(|field| {
            field
                .windows(NAME.len())
                .any(|w| w.eq_ignore_ascii_case(NAME))
        })
}

/// Decides whether a route refuses `request` as a WebSocket handshake from an origin its policy
/// does not allow: `None` lets it through (to the handler, which upgrades), `Some(denial)`
/// refuses it before the upgrade.
///
/// CORS does not cover WebSocket: any page can call `new WebSocket(url)`, the browser sends the
/// page's `Origin` and the user's cookies, and reads no `Access-Control-*` header of the answer.
/// A server that upgrades whatever comes lets every site talk to it as its user (cross-site
/// WebSocket hijacking). A `#[cors]` route names the origins it trusts, so it refuses the
/// others' handshakes:
///
/// | `Origin` | `Sec-Fetch-Site` | handshake |
/// |---|---|---|
/// | absent | any | passes (not a browser: browsers always send `Origin`) |
/// | allowed by the policy | any | passes |
/// | any other (refused, `null` unless listed, several) | `same-origin`, `none` | passes |
/// | any other | `same-site`, `cross-site` | **refused** |
/// | the request's own origin (its `Host`) | absent (or another value) | passes |
/// | any other | absent (or another value) | **refused** |
///
/// The origins are those that may read the route's responses: `origins = ["*"]` lets every page
/// open the socket. The own-origin comparison is the one of [`crate::decide_write`]: host and
/// port against `Host` (or HTTP/2's `:authority`), not the scheme.
///
/// ```
/// use cors_runtime::{decide_handshake, rules::{validate, PolicyInput}, Field, HandshakeRequest, Policy, RequestOrigin};
///
/// let policy = Policy::from_valid(&validate(&PolicyInput {
///     origins: &["https://app.example.com"],
///     route_methods: &["GET"],
///     ..PolicyInput::default()
/// }).unwrap());
/// let socket = |origin: Field<'static>, site: Field<'static>| HandshakeRequest {
///     method: b"GET",
///     upgrade: [&b"websocket"[..]],
///     fetch_site: site,
///     origin: RequestOrigin::of(&policy, origin),
///     host: Some(b"api.example.com"),
/// };
/// let cross = Field::One(b"cross-site");
/// assert!(decide_handshake(socket(Field::One(b"https://app.example.com"), cross)).is_none());
/// assert!(decide_handshake(socket(Field::One(b"https://evil.example"), cross)).is_some());
/// assert!(decide_handshake(socket(Field::One(b"https://api.example.com"), Field::Absent)).is_none());
/// assert!(decide_handshake(socket(Field::Absent, Field::Absent)).is_none());
/// ```
pub fn decide_handshake<'a, I>(request: HandshakeRequest<'a, I>) -> Option<Denial<'a>>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let origin = request.origin;
    if origin.allowed().is_some()
        || origin.field() == Field::Absent
        || !is_handshake(request.method, request.upgrade)
    {
        return None;
    }
    match request.fetch_site {
        Field::One(b"same-origin" | b"none") => None,
        Field::One(site @ (b"same-site" | b"cross-site")) => {
            Some(Denial::CrossSiteHandshake { site, origin })
        }
        // No Fetch Metadata (an older browser), or a value this crate does not know: the
        // `Origin` decides.
        _ => match origin.field() {
            Field::One(o) if is_own(o, request.host) => None,
            _ => Some(Denial::ForeignHandshake {
                origin,
                host: request.host,
            }),
        },
    }
}
