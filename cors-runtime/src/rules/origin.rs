//! Rules for the `origins` list: an entry must be an origin exactly as a browser serializes it
//! in the `Origin` request header (WHATWG URL standard, "serialization of an origin"), because
//! origins are matched byte for byte.

use std::net::{Ipv4Addr, Ipv6Addr};

/// A valid entry of the `origins` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginSpec {
    /// `*`: any origin.
    Any,
    /// `null`: the opaque origin of sandboxed documents, `file:` pages and redirects.
    Null,
    /// One origin, such as `https://app.example.com:8443`.
    Exact(String),
    /// `scheme://*.rest`: any origin whose host is one more label in front of `rest`
    /// (with the same scheme and port).
    Subdomains {
        /// Everything before the `*`, such as `https://`.
        prefix: String,
        /// Everything after the `*`, such as `.example.com:8443`.
        suffix: String,
    },
    /// `scheme://host:*` on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`): that
    /// scheme and host on any port, or without one (the scheme's default port, which browsers
    /// leave out of `Origin`).
    AnyPort {
        /// The scheme and host, such as `http://localhost`.
        base: String,
    },
}

impl OriginSpec {
    /// A plain-`http://` origin or pattern whose host is not loopback: anyone on the network
    /// path between the browser and that host can run script in it.
    pub fn is_plain_http_off_loopback(&self) -> bool {
        // The authority of one origin the entry allows (`x` stands for a wildcard's label).
        let authority = match self {
            OriginSpec::Exact(origin) => origin.strip_prefix("http://").map(str::to_owned),
            OriginSpec::Subdomains { prefix, suffix } if prefix == "http://" => {
                Some(format!("x{suffix}"))
            }
            OriginSpec::AnyPort { base } => base.strip_prefix("http://").map(str::to_owned),
            _ => None,
        };
        authority.is_some_and(|authority| !is_loopback_host(split_host_port(&authority).0))
    }
}

/// Whether `origin`, an entry of `origins`, is a valid plain-`http://` origin or pattern whose
/// host is not loopback (see [`OriginSpec::is_plain_http_off_loopback`]).
///
/// ```
/// use cors_runtime::rules::is_plain_http_origin;
///
/// assert!(is_plain_http_origin("http://intranet.example"));
/// assert!(!is_plain_http_origin("http://localhost:3000"));
/// assert!(!is_plain_http_origin("https://app.example"));
/// ```
pub fn is_plain_http_origin(origin: &str) -> bool {
    check_origin(origin).is_ok_and(|spec| spec.is_plain_http_off_loopback())
}

/// A host that names this machine, as the W3C Secure Contexts standard counts it
/// ("potentially trustworthy"): `localhost` and its subdomains (which browsers resolve to
/// loopback themselves), the IPv4 block `127.0.0.0/8`, and `[::1]`.
///
/// ```
/// use cors_runtime::rules::is_loopback_host;
///
/// assert!(is_loopback_host("localhost"));
/// assert!(is_loopback_host("app.localhost"));
/// assert!(is_loopback_host("127.0.0.1"));
/// assert!(is_loopback_host("127.1.2.3"));
/// assert!(is_loopback_host("[::1]"));
/// assert!(!is_loopback_host("localhost.example.com"));
/// assert!(!is_loopback_host("10.0.0.1"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

use super::RuleError;

type Fail = RuleError;

fn fail(message: impl Into<String>, help: impl Into<String>) -> Fail {
    RuleError::new(message, help)
}

/// Checks one entry of the `origins` list.
pub fn check_origin(origin: &str) -> Result<OriginSpec, Fail> {
    match origin {
        "*" => return Ok(OriginSpec::Any),
        "null" => return Ok(OriginSpec::Null),
        "" => {
            return Err(fail(
                "empty origin",
                "write an origin such as \"https://app.example.com\"",
            ))
        }
        _ => {}
    }
    if origin.eq_ignore_ascii_case("null") {
        return Err(fail(
            format!(
                "`{origin}` never matches: browsers send the opaque origin as lowercase `null`"
            ),
            "write \"null\"",
        ));
    }
    if !origin.is_ascii() {
        return Err(fail(
            format!("`{origin}` contains non-ASCII characters, but browsers send internationalized hosts in punycode"),
            "write the host in its `xn--` form, for example \"https://xn--bcher-kva.example\"",
        ));
    }
    if origin
        .bytes()
        .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(fail(
            format!("origin {origin:?} contains whitespace or control characters"),
            "remove them: an origin is scheme://host[:port]",
        ));
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        let guess = origin.trim_start_matches("//");
        if guess.contains('*') && !guess.starts_with("*.") {
            return Err(fail(
                format!("`{origin}` is not a wildcard pattern this crate accepts: a pattern is a scheme, `://`, then `*` as the whole first label of the host"),
                "a wildcard stands for exactly one whole leftmost label, as in \"https://*.example.com\"",
            ));
        }
        return Err(fail(
            format!("`{origin}` has no scheme: browsers send origins as scheme://host[:port]"),
            format!("write \"https://{guess}\" (or \"http://{guess}\")"),
        ));
    };
    let lower = origin.to_ascii_lowercase();
    if scheme != scheme.to_ascii_lowercase() {
        return Err(fail(
            format!("`{origin}` has an uppercase scheme, but browsers send it in lowercase and origins are compared byte for byte"),
            format!("write \"{lower}\""),
        ));
    }
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => {
            return Err(fail(
                format!("`{origin}` has the scheme `{scheme}`, but #[cors] allows only `https` and `http` origins: the pages whose scripts make CORS requests"),
                "write an origin that starts with \"https://\" or \"http://\"",
            ))
        }
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if let Some(at) = authority.rfind('@') {
        let without = format!("{scheme}://{}", &authority[at + 1..]);
        return Err(fail(
            format!(
                "`{origin}` contains user information (`…@`), which is never part of an origin"
            ),
            format!("write \"{without}\""),
        ));
    }
    let base = format!("{scheme}://{authority}");
    match tail.as_bytes().first() {
        None => {}
        Some(b'/') if tail == "/" => {
            return Err(fail(
                format!("`{origin}` ends with `/`, but browsers send origins without a trailing slash and origins are compared byte for byte"),
                format!("write \"{base}\""),
            ))
        }
        Some(b'/') => {
            return Err(fail(
                format!("`{origin}` has a path (`{tail}`), but an origin is only scheme://host[:port]"),
                format!("write \"{base}\"; CORS policies apply to a whole origin"),
            ))
        }
        Some(b'?') => {
            return Err(fail(
                format!("`{origin}` has a query (`{tail}`), which is never part of an origin"),
                format!("write \"{base}\""),
            ))
        }
        _ => {
            return Err(fail(
                format!("`{origin}` has a fragment (`{tail}`), which is never part of an origin"),
                format!("write \"{base}\""),
            ))
        }
    }
    let (host, port) = split_host_port(authority);
    if port == Some("*") {
        return check_any_port(origin, scheme, host);
    }
    if let Some(port) = port {
        check_port(origin, port, default_port, scheme, host)?;
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fail(
            format!("`{origin}` has uppercase letters in its host, but browsers send hosts in lowercase and origins are compared byte for byte"),
            format!("write \"{lower}\""),
        ));
    }
    if host.contains('*') {
        return check_wildcard(origin, scheme, host, port);
    }
    check_host(origin, host)?;
    Ok(OriginSpec::Exact(origin.to_owned()))
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(close) = authority.find(']') {
            let (host, after) = authority.split_at(close + 1);
            return (
                host,
                after
                    .strip_prefix(':')
                    .or(if after.is_empty() { None } else { Some(after) }),
            );
        }
        return (authority, None);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

fn check_port(
    origin: &str,
    port: &str,
    default_port: &str,
    scheme: &str,
    host: &str,
) -> Result<(), Fail> {
    let without = format!("{scheme}://{host}");
    if port.is_empty() {
        return Err(fail(
            format!("`{origin}` ends with `:` but no port"),
            format!("write \"{without}\" or add the port number"),
        ));
    }
    let valid = port.bytes().all(|b| b.is_ascii_digit())
        && !port.starts_with('0')
        && port.len() <= 5
        && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
    if !valid {
        return Err(fail(
            format!("`{port}` in `{origin}` is not a port browsers send: a port is a number from 1 to 65535 without leading zeros"),
            format!("write \"{without}:PORT\" with the port the page is served from"),
        ));
    }
    if port == default_port {
        return Err(fail(
            format!("`{origin}` names the default port of `{scheme}`, but browsers leave it out of the `Origin` header and origins are compared byte for byte"),
            format!("write \"{without}\""),
        ));
    }
    Ok(())
}

fn check_wildcard(
    origin: &str,
    scheme: &str,
    host: &str,
    port: Option<&str>,
) -> Result<OriginSpec, Fail> {
    let port_part = port.map(|p| format!(":{p}")).unwrap_or_default();
    let shape_help = format!(
        "a wildcard stands for exactly one whole leftmost label, as in \"{scheme}://*.example.com{port_part}\""
    );
    let Some(rest) = host.strip_prefix("*.") else {
        return Err(fail(
            format!("`{origin}` is not a wildcard pattern this crate accepts: `*` must be the whole first label of the host"),
            shape_help,
        ));
    };
    if rest.contains('*') {
        return Err(fail(
            format!("`{origin}` has more than one `*`"),
            shape_help,
        ));
    }
    check_host(origin, rest)?;
    if rest.starts_with('[') || is_ipv4_like(rest) {
        return Err(fail(
            format!("`{origin}` puts a wildcard in front of an IP address"),
            "list the IP origins one by one",
        ));
    }
    if !rest.contains('.') {
        return Err(fail(
            format!("`{origin}` would match a subdomain of every site under the top-level domain `{rest}`"),
            format!("name the site, as in \"{scheme}://*.example.{rest}{port_part}\""),
        ));
    }
    check_public_suffix(origin, scheme, rest, &port_part)?;
    Ok(OriginSpec::Subdomains {
        prefix: format!("{scheme}://"),
        suffix: format!(".{rest}{port_part}"),
    })
}

/// A wildcard directly under a public suffix (`https://*.co.uk`, `https://*.github.io`) lets
/// anyone who registers a name there read the route: refused, by the Public Suffix List
/// (ICANN and private sections) that the `psl` crate compiles in.
fn check_public_suffix(
    origin: &str,
    scheme: &str,
    rest: &str,
    port_part: &str,
) -> Result<(), Fail> {
    let Some(suffix) = psl::suffix(rest.as_bytes()) else {
        return Ok(());
    };
    if !suffix.is_known() || suffix.as_bytes() != rest.as_bytes() {
        return Ok(());
    }
    let who = match suffix.typ() {
        Some(psl::Type::Private) => format!("`{rest}` is a public suffix (Public Suffix List, private section): anyone can get a site under it"),
        _ => format!("`{rest}` is a public suffix (Public Suffix List): anyone can register a domain under it"),
    };
    Err(fail(
        format!("`{origin}` would let every site under `{rest}` read this route: {who}, and its pages would match"),
        format!("name your own site, as in \"{scheme}://*.your-site.{rest}{port_part}\", or list the exact origins"),
    ))
}

/// `scheme://host:*`: any port, for local development on a loopback host only.
fn check_any_port(origin: &str, scheme: &str, host: &str) -> Result<OriginSpec, Fail> {
    let base = format!("{scheme}://{host}");
    if host.contains('*') {
        return Err(fail(
            format!("`{origin}` has two wildcards: a pattern is either `*` as the first label of the host or `*` as the port"),
            format!("write \"{}\"", base.replacen("*.", "", 1) + ":*"),
        ));
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(fail(
            format!("`{origin}` has uppercase letters in its host, but browsers send hosts in lowercase and origins are compared byte for byte"),
            format!("write \"{}\"", origin.to_ascii_lowercase()),
        ));
    }
    check_host(origin, host)?;
    if !is_loopback_host(host) {
        return Err(fail(
            format!("`{origin}` allows every port of `{host}`, but a port wildcard is only for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`): on another host, each port can be a different program, run by someone else"),
            format!("list the ports, as in \"{base}:8443\""),
        ));
    }
    Ok(OriginSpec::AnyPort { base })
}

/// The URL standard's "ends in a number": a host whose last label is decimal digits, or `0x`
/// followed by hex digits, is parsed as an IPv4 address by browsers.
fn is_ipv4_like(host: &str) -> bool {
    host.rsplit('.').next().is_some_and(|last| {
        let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
        match hex {
            Some(digits) => digits.bytes().all(|b| b.is_ascii_hexdigit()),
            None => !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
        }
    })
}

fn check_host(origin: &str, host: &str) -> Result<(), Fail> {
    if host.is_empty() {
        return Err(fail(
            format!("`{origin}` has no host"),
            "write an origin such as \"https://app.example.com\"",
        ));
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']');
        return match inner.map(|i| (i, i.parse::<Ipv6Addr>())) {
            Some((inner, Ok(ip))) if serialize_ipv6(ip) == inner => Ok(()),
            Some((inner, Ok(ip))) => Err(fail(
                format!("`{origin}` is not written the way browsers serialize this IPv6 address, and origins are compared byte for byte"),
                format!(
                    "write \"{}\"",
                    origin.replacen(&format!("[{inner}]"), &format!("[{}]", serialize_ipv6(ip)), 1)
                ),
            )),
            _ => Err(fail(
                format!("`{host}` in `{origin}` is not a valid IPv6 address"),
                "write an IPv6 host in brackets, as in \"http://[::1]:8080\"",
            )),
        };
    }
    if is_ipv4_like(host) {
        return match host.parse::<Ipv4Addr>() {
            Ok(ip) if ip.to_string() == host => Ok(()),
            _ => Err(fail(
                format!("`{host}` in `{origin}` is not an IPv4 address as browsers serialize it (a host ending in a number is read as an IPv4 address)"),
                "write four decimal numbers from 0 to 255 without leading zeros, as in \"http://127.0.0.1:8080\"",
            )),
        };
    }
    if host.len() > 253 {
        return Err(fail(
            format!("the host of `{origin}` is longer than 253 characters"),
            "check the origin",
        ));
    }
    for label in host.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !ok {
            return Err(fail(
                format!("`{host}` in `{origin}` is not a valid host: each dot-separated label must be 1 to 63 letters, digits, `-` or `_`"),
                "write the host as it appears in the page's address bar, without a trailing dot",
            ));
        }
    }
    Ok(())
}

/// An IPv6 address as the WHATWG URL standard serializes it (and so as browsers send it): the
/// first longest run of two or more zero pieces compressed to `::`, lowercase hexadecimal, and
/// never an embedded IPv4 address (which `Ipv6Addr`'s `Display` writes for `::ffff:a.b.c.d`).
fn serialize_ipv6(ip: Ipv6Addr) -> String {
    let pieces = ip.segments();
    let (mut compress, mut longest) = (None, 1);
    let mut i = 0;
    while i < pieces.len() {
        let run = pieces[i..].iter().take_while(|p| **p == 0).count();
        if run > longest {
            (compress, longest) = (Some(i), run);
        }
        i += run.max(1);
    }
    let mut out = String::new();
    let mut i = 0;
    while i < pieces.len() {
        if compress == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += longest;
            continue;
        }
        out.push_str(&format!("{:x}", pieces[i]));
        if i != pieces.len() - 1 {
            out.push(':');
        }
        i += 1;
    }
    out
}
