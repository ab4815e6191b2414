//! The origins a probe tries, derived from the one the server allows: each is what a careless
//! check lets through (a prefix or suffix match, a regular expression with an unescaped dot,
//! `null`, another scheme or port, letter case, a subdomain, control bytes, two `Origin`
//! fields), and one unrelated origin for a server that reflects anything. Each says who can
//! send it: a page anyone can put up, one next to the allowed origin, or none (the Public
//! Suffix List tells a host anyone can register from one under the allowed site).

use super::class::{Class, Reach};
use crate::url::{self, Scheme, Target};

/// The unrelated origin: a server that lets it through reflects any origin.
pub const ARBITRARY: &str = "https://evil.test";

/// The domain a suffix attempt appends (`.test` is reserved: it is nobody's).
const EVIL_SUFFIX: &str = ".evil.test";

/// The label a prefix, subdomain or sibling attempt adds.
const EVIL_LABEL: &str = "evil";

/// At most this many dots of the host are replaced, one attempt each.
const MAX_DOT_ATTEMPTS: usize = 4;

/// One origin tried (or, for [`Class::MultipleOrigins`], several `Origin` fields in one
/// request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// What it tests.
    pub class: Class,
    /// The value of each `Origin` field sent, in order: one, except for
    /// [`Class::MultipleOrigins`]. Sent byte for byte, control bytes included.
    pub origins: Vec<String>,
    /// A browser can send it: one field, a serialized origin (or `null`). An origin no browser
    /// sends cannot be used by a page, only shows how loose the server's check is.
    pub sendable: bool,
    /// Who can get a browser to send it.
    pub reach: Reach,
    /// The same, in words, for the finding's line: `anyone who registers evilexample.com
    /// reads the answer`.
    pub who: String,
}

impl Attempt {
    fn new(class: Class, origins: Vec<String>, allowed_host: &str) -> Attempt {
        let sendable = matches!(origins.as_slice(), [one] if url::check_origin(one).is_ok());
        let (reach, who) = if sendable {
            reach(class, &origins[0], allowed_host)
        } else {
            (Reach::NoOne, unsendable(class).to_owned())
        };
        Attempt {
            class,
            origins,
            sendable,
            reach,
            who,
        }
    }
}

/// Why an origin no browser sends is a finding all the same.
fn unsendable(class: Class) -> &'static str {
    match class {
        Class::LetterCase => {
            "no browser sends it (origins are lowercase), but the server compares without regard to case"
        }
        Class::ControlBytes => {
            "no browser sends it, but the server cuts the Origin at the control byte, or skips it"
        }
        Class::MultipleOrigins => {
            "no browser sends it, but the server picks one of several Origin fields (a proxy that adds one decides)"
        }
        _ => "no browser sends it (it is not an origin), but the server's check is not byte for byte",
    }
}

/// Who can get a browser to send `origin` (one a browser sends), and in words.
fn reach(class: Class, origin: &str, allowed_host: &str) -> (Reach, String) {
    let reads = "reads the answer";
    match class {
        Class::AnyOrigin => (Reach::Anyone, format!("any web page {reads}")),
        Class::NullOrigin => (
            Reach::Anyone,
            format!(
                "any page can send Origin: null (a sandboxed iframe, a data: URL) and so {reads}"
            ),
        ),
        // The domain after the allowed origin is the attacker's choice, `.evil.test` or any.
        Class::SuffixMatch => (
            Reach::Anyone,
            format!("anyone who registers a domain to put after the allowed origin {reads}"),
        ),
        Class::HttpDowngrade => (
            Reach::Neighbour,
            format!("a network attacker who injects a script into the plain-http page {reads}"),
        ),
        Class::OtherPort => (
            Reach::Neighbour,
            format!("any service on another port of that host {reads}"),
        ),
        Class::PrefixMatch | Class::UnescapedDot | Class::Subdomain | Class::SiblingSubdomain => {
            let host = ::url::Url::parse(origin)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default();
            match site(&host) {
                Some(site) if Some(site) != self::site(allowed_host) => (
                    Reach::Anyone,
                    format!("anyone who registers {site} {reads}"),
                ),
                Some(site) => (
                    Reach::Neighbour,
                    format!("whoever controls a host under {site} (an XSS, a taken-over subdomain) {reads}"),
                ),
                None if matches!(class, Class::Subdomain | Class::SiblingSubdomain) => (
                    Reach::Neighbour,
                    format!("whoever controls a host next to {allowed_host} {reads}"),
                ),
                None => (
                    Reach::NoOne,
                    format!("no one can register {host} today (its last label is no public suffix), but the check is loose"),
                ),
            }
        }
        _ => (
            Reach::NoOne,
            "the same host under another spelling, but the check is not byte for byte".to_owned(),
        ),
    }
}

/// The site of a host: its registrable domain by the Public Suffix List (`example.com` for
/// `app.example.com`, `app.github.io` for itself); `None` for an address, or a host under
/// no public suffix.
pub fn site(host: &str) -> Option<&str> {
    let domain = psl::domain(host.as_bytes()).filter(|d| d.suffix().is_known())?;
    std::str::from_utf8(domain.as_bytes()).ok()
}

/// Every attempt for the `allowed` origin (an `http://` or `https://` origin, parsed), the
/// unrelated origin first, each origin once and never the allowed one itself.
pub fn attempts(allowed: &Target) -> Vec<Attempt> {
    let origin = allowed.origin();
    let scheme = allowed.scheme_name();
    let host = allowed.host.as_str();
    let port = allowed
        .explicit_port()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    // A name, not an IP address: subdomains and siblings make sense.
    let is_name = !host.starts_with('[') && host.parse::<std::net::Ipv4Addr>().is_err();
    let with_host = |h: &str| format!("{scheme}://{h}{port}");

    let mut out: Vec<(Class, Vec<String>)> = vec![
        (Class::AnyOrigin, vec![ARBITRARY.to_owned()]),
        (Class::SuffixMatch, vec![format!("{origin}{EVIL_SUFFIX}")]),
        (
            Class::PrefixMatch,
            vec![with_host(&format!("{EVIL_LABEL}{host}"))],
        ),
    ];
    // The site with a prefix: an `ends_with("example.com")` check.
    if let Some(site) = site(host).filter(|s| *s != host) {
        out.push((
            Class::PrefixMatch,
            vec![with_host(&format!("{EVIL_LABEL}{site}"))],
        ));
    }
    for (i, _) in host.match_indices('.').take(MAX_DOT_ATTEMPTS) {
        let replaced = format!("{}x{}", &host[..i], &host[i + 1..]);
        out.push((Class::UnescapedDot, vec![with_host(&replaced)]));
    }
    out.push((Class::NullOrigin, vec!["null".to_owned()]));
    if allowed.scheme == Scheme::Https {
        out.push((Class::HttpDowngrade, vec![format!("http://{host}{port}")]));
    }
    let other_port = match allowed.explicit_port() {
        Some(65535) => 65534,
        Some(p) => p + 1,
        None if allowed.scheme == Scheme::Https => 8443,
        None => 8080,
    };
    out.push((
        Class::OtherPort,
        vec![format!("{scheme}://{host}:{other_port}")],
    ));
    out.push((Class::LetterCase, vec![origin.to_ascii_uppercase()]));
    out.push((Class::TrailingDot, vec![with_host(&format!("{host}."))]));
    if is_name {
        out.push((
            Class::Subdomain,
            vec![with_host(&format!("{EVIL_LABEL}.{host}"))],
        ));
        // A parent that is itself more than a top-level domain.
        if let Some((_, parent)) = host.split_once('.').filter(|(_, p)| p.contains('.')) {
            out.push((
                Class::SiblingSubdomain,
                vec![with_host(&format!("{EVIL_LABEL}.{parent}"))],
            ));
        }
    }
    for byte in ['\0', '\r', '\n'] {
        out.push((
            Class::ControlBytes,
            vec![format!("{origin}{byte}{EVIL_SUFFIX}")],
        ));
    }
    out.push((
        Class::MultipleOrigins,
        vec![origin.clone(), ARBITRARY.to_owned()],
    ));
    out.push((
        Class::MultipleOrigins,
        vec![ARBITRARY.to_owned(), origin.clone()],
    ));

    let mut seen = Vec::new();
    out.into_iter()
        .filter(|(_, origins)| {
            let new =
                origins.as_slice() != std::slice::from_ref(&origin) && !seen.contains(origins);
            seen.push(origins.clone());
            new
        })
        .map(|(class, origins)| Attempt::new(class, origins, host))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tried(origin: &str) -> Vec<(&'static str, String, bool)> {
        attempts(&Target::parse(origin).unwrap())
            .into_iter()
            .map(|a| (a.class.name(), a.origins.join(" + "), a.sendable))
            .collect()
    }

    fn reaches(origin: &str) -> Vec<(String, Reach, String)> {
        attempts(&Target::parse(origin).unwrap())
            .into_iter()
            .map(|a| (a.origins.join(" + "), a.reach, a.who))
            .collect()
    }

    #[test]
    fn from_an_https_name() {
        let all = tried("https://app.example.com");
        let expected: Vec<(&str, &str, bool)> = vec![
            ("any-origin", "https://evil.test", true),
            ("suffix-match", "https://app.example.com.evil.test", true),
            ("prefix-match", "https://evilapp.example.com", true),
            ("prefix-match", "https://evilexample.com", true),
            ("unescaped-dot", "https://appxexample.com", true),
            ("unescaped-dot", "https://app.examplexcom", true),
            ("null-origin", "null", true),
            ("http-downgrade", "http://app.example.com", true),
            ("other-port", "https://app.example.com:8443", true),
            ("letter-case", "HTTPS://APP.EXAMPLE.COM", false),
            ("trailing-dot", "https://app.example.com.", true),
            ("subdomain", "https://evil.app.example.com", true),
            ("sibling-subdomain", "https://evil.example.com", true),
            (
                "control-bytes",
                "https://app.example.com\0.evil.test",
                false,
            ),
            (
                "control-bytes",
                "https://app.example.com\r.evil.test",
                false,
            ),
            (
                "control-bytes",
                "https://app.example.com\n.evil.test",
                false,
            ),
            (
                "multiple-origins",
                "https://app.example.com + https://evil.test",
                false,
            ),
            (
                "multiple-origins",
                "https://evil.test + https://app.example.com",
                false,
            ),
        ];
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(c, o, s)| (c, o.to_owned(), s))
            .collect();
        assert_eq!(all, expected);
    }

    #[test]
    fn who_can_send_each_by_the_public_suffix_list() {
        let all = reaches("https://app.example.com");
        let of = |origin: &str| {
            all.iter()
                .find(|(o, _, _)| o == origin)
                .map(|(_, r, w)| (*r, w.as_str()))
                .unwrap()
        };
        assert_eq!(
            of("https://evilexample.com"),
            (
                Reach::Anyone,
                "anyone who registers evilexample.com reads the answer"
            )
        );
        assert_eq!(of("https://appxexample.com").0, Reach::Anyone);
        assert_eq!(
            of("https://evilapp.example.com"),
            (
                Reach::Neighbour,
                "whoever controls a host under example.com (an XSS, a taken-over subdomain) reads the answer"
            )
        );
        assert_eq!(of("https://evil.example.com").0, Reach::Neighbour);
        assert_eq!(
            of("https://app.examplexcom"),
            (
                Reach::NoOne,
                "no one can register app.examplexcom today (its last label is no public suffix), but the check is loose"
            )
        );
        assert_eq!(of("https://app.example.com.evil.test").0, Reach::Anyone);
        assert_eq!(of("null").0, Reach::Anyone);
        assert_eq!(of("http://app.example.com").0, Reach::Neighbour);
        assert_eq!(of("https://app.example.com.").0, Reach::NoOne);
        assert_eq!(of("HTTPS://APP.EXAMPLE.COM").0, Reach::NoOne);
        // Under a public suffix of the private section, a sibling is anyone's.
        let pages = reaches("https://app.github.io");
        let sibling = pages
            .iter()
            .find(|(o, _, _)| o == "https://evil.github.io")
            .unwrap();
        assert_eq!(
            (sibling.1, sibling.2.as_str()),
            (
                Reach::Anyone,
                "anyone who registers evil.github.io reads the answer"
            )
        );
    }

    #[test]
    fn from_a_loopback_address_with_a_port() {
        let all = tried("http://127.0.0.1:8081");
        let find = |class: &str| -> Vec<(String, bool)> {
            all.iter()
                .filter(|(c, _, _)| *c == class)
                .map(|(_, o, s)| (o.clone(), *s))
                .collect()
        };
        // The whole origin, port included, is what a prefix check compares.
        assert_eq!(
            find("suffix-match"),
            [("http://127.0.0.1:8081.evil.test".to_owned(), false)]
        );
        // Not a host name a browser accepts (its last label is a number).
        assert_eq!(
            find("prefix-match"),
            [("http://evil127.0.0.1:8081".to_owned(), false)]
        );
        assert_eq!(
            find("other-port"),
            [("http://127.0.0.1:8082".to_owned(), true)]
        );
        assert_eq!(find("unescaped-dot").len(), 3);
        // No https to fall back from, no subdomains of an address.
        assert!(find("http-downgrade").is_empty());
        assert!(find("subdomain").is_empty());
        assert!(find("sibling-subdomain").is_empty());
        // A browser writes 127.0.0.1. as 127.0.0.1: not an origin it sends.
        assert_eq!(
            find("trailing-dot"),
            [("http://127.0.0.1.:8081".to_owned(), false)]
        );
    }

    #[test]
    fn a_two_label_host_has_no_sibling_and_a_top_port_goes_down() {
        let all = tried("https://example.com:65535");
        assert!(all.iter().all(|(c, _, _)| *c != "sibling-subdomain"));
        assert!(all.contains(&("other-port", "https://example.com:65534".to_owned(), true)));
        assert!(all.contains(&(
            "subdomain",
            "https://evil.example.com:65535".to_owned(),
            true
        )));
    }
}
