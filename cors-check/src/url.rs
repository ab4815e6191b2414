//! The two addresses of a check: the URL requested (`http://` or `https://`) and the page's
//! origin.
//!
//! Both are parsed by the `url` crate, an implementation of the WHATWG URL Standard that
//! browsers follow, so that a URL means to cors-check what it means to `fetch()`: the host is
//! lowercased and turned into punycode, IPv4 addresses in other notations are normalized, the
//! scheme's default port is dropped, and the path and query are percent-encoded as a browser
//! encodes them.

use url::{Origin, Url};

/// The scheme of a URL that cors-check can request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`: plain TCP.
    Http,
    /// `https://`: TLS on TCP.
    Https,
}

/// An `http://` or `https://` URL, split into what the request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `http` or `https`.
    pub scheme: Scheme,
    /// The host as the URL parser serializes it: lowercase, punycode, an IPv4 address in
    /// dotted-decimal form, an IPv6 address in brackets.
    pub host: String,
    /// The port (the scheme's default when the URL names none).
    pub port: u16,
    /// The request target: the path (at least `/`) and the query, percent-encoded; no fragment.
    pub path_and_query: String,
    /// `port` was written in the URL and is not the scheme's default.
    explicit_port: bool,
}

impl Target {
    /// Parses an absolute `http://` or `https://` URL. Anything a browser's `fetch()` would
    /// refuse (a user name or password in the URL) is refused with the reason.
    pub fn parse(input: &str) -> Result<Target, String> {
        let input = input.trim();
        let not_absolute = || {
            format!("`{input}` is not an absolute URL: write http://host/path or https://host/path")
        };
        let url = Url::parse(input).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => not_absolute(),
            e => format!("`{input}` is not a URL: {e}"),
        })?;
        let scheme = match url.scheme() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            // `localhost:8080/x` is a URL whose scheme is `localhost`: not what was meant.
            _ if !input.contains("://") => return Err(not_absolute()),
            other => {
                return Err(format!(
                    "`{input}`: {other}: URLs are not supported, only http:// and https://"
                ))
            }
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "`{input}` contains a user name or password, which fetch() refuses"
            ));
        }
        // http and https URLs always have a host and a known default port.
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{input}` has no host"))?
            .to_owned();
        let port = url.port_or_known_default().unwrap_or(match scheme {
            Scheme::Http => 80,
            Scheme::Https => 443,
        });
        let mut path_and_query = url.path().to_owned();
        if let Some(query) = url.query() {
            path_and_query.push('?');
            path_and_query.push_str(query);
        }
        Ok(Target {
            scheme,
            host,
            port,
            path_and_query,
            explicit_port: url.port().is_some(),
        })
    }

    /// The value of the `Host` header: the host, and the port unless it is the scheme's
    /// default.
    pub fn host_header(&self) -> String {
        if self.explicit_port {
            format!("{}:{}", self.host, self.port)
        } else {
            self.host.clone()
        }
    }

    /// The URL's origin, serialized as a browser does: `scheme://host[:port]`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme_name(), self.host_header())
    }

    /// The URL as a browser serializes it (the form Chromium quotes in its console messages).
    pub fn serialize(&self) -> String {
        format!("{}{}", self.origin(), self.path_and_query)
    }

    /// The port, when the URL names one that is not the scheme's default (`None` for
    /// `https://a.example` and `https://a.example:443`).
    pub fn explicit_port(&self) -> Option<u16> {
        self.explicit_port.then_some(self.port)
    }

    /// The scheme as written in a URL: `http` or `https`.
    pub fn scheme_name(&self) -> &'static str {
        match self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The host to connect to (and, for `https://`, the name the certificate must be valid
    /// for): without the brackets of an IPv6 address.
    pub fn connect_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }
}

/// Checks that `origin` is an origin as browsers serialize it (`scheme://host[:port]` in
/// lowercase, without the scheme's default port or a path, or `null`), and says what to write
/// instead when it is not: a browser never sends anything else, so a check with such an origin
/// would test nothing real.
///
/// The URL parser finds the origin; what stays here is the comparison with the text as written,
/// byte for byte, since that is what the server compares (`Access-Control-Allow-Origin` must
/// echo these bytes).
pub fn check_origin(origin: &str) -> Result<(), String> {
    if origin == "null" {
        return Ok(());
    }
    let not_an_origin = || {
        format!(
            "`{origin}` is not an origin: write scheme://host[:port], e.g. https://app.example.com"
        )
    };
    let url = Url::parse(origin).map_err(|_| not_an_origin())?;
    let fixed = match url.origin() {
        tuple @ Origin::Tuple(..) => tuple.ascii_serialization(),
        // A scheme the URL Standard gives an opaque origin (a browser's own schemes, such as
        // chrome-extension://ID, send their origin as scheme://host): the same serialization,
        // by hand, when the URL has a host.
        Origin::Opaque(_) => match url.host_str().filter(|h| !h.is_empty()) {
            Some(host) => match url.port() {
                Some(port) => format!("{}://{host}:{port}", url.scheme()),
                None => format!("{}://{host}", url.scheme()),
            },
            None => return Err(not_an_origin()),
        },
    };
    if fixed != origin {
        return Err(format!(
            "`{origin}` is not an origin as a browser sends it (no path, no default port, lowercase): did you mean `{fixed}`?"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = Target::parse("HTTP://LocalHost:8080/a b?q=\"x\"#frag").unwrap();
        assert_eq!(t.scheme, Scheme::Http);
        assert_eq!(t.host, "localhost");
        assert_eq!(t.port, 8080);
        assert_eq!(t.path_and_query, "/a%20b?q=%22x%22");
        assert_eq!(t.serialize(), "http://localhost:8080/a%20b?q=%22x%22");
        assert_eq!(t.origin(), "http://localhost:8080");

        let t = Target::parse("http://[::1]?x").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("[::1]", 80));
        assert_eq!(t.connect_host(), "::1");
        assert_eq!(t.serialize(), "http://[::1]/?x");

        let t = Target::parse("https://API.example.com:443/v1").unwrap();
        assert_eq!((t.scheme, t.port), (Scheme::Https, 443));
        assert_eq!(t.host_header(), "api.example.com");
        assert_eq!(t.serialize(), "https://api.example.com/v1");
        let t = Target::parse("https://127.1:8443").unwrap();
        assert_eq!(t.serialize(), "https://127.0.0.1:8443/");
        assert_eq!(t.host_header(), "127.0.0.1:8443");
        // An internationalized name is sent as punycode, as browsers do.
        let t = Target::parse("http://Bücher.example/").unwrap();
        assert_eq!(t.host, "xn--bcher-kva.example");
        // Like a browser, the parser skips extra slashes before the host.
        assert_eq!(Target::parse("http:///x").unwrap().serialize(), "http://x/");

        assert!(Target::parse("ftp://a.example/")
            .unwrap_err()
            .ends_with("ftp: URLs are not supported, only http:// and https://"));
        assert!(Target::parse("http://u:p@a.example/")
            .unwrap_err()
            .ends_with("which fetch() refuses"));
        assert_eq!(
            Target::parse("http://a.example:99999/").unwrap_err(),
            "`http://a.example:99999/` is not a URL: invalid port number"
        );
        assert!(Target::parse("http://a.example:8x/").is_err());
        assert!(Target::parse("a.example/x")
            .unwrap_err()
            .ends_with("is not an absolute URL: write http://host/path or https://host/path"));
        assert!(Target::parse("localhost:8080/x")
            .unwrap_err()
            .ends_with("is not an absolute URL: write http://host/path or https://host/path"));
        assert!(Target::parse("http://").is_err());
    }

    #[test]
    fn origins() {
        assert_eq!(check_origin("https://app.example.com"), Ok(()));
        assert_eq!(check_origin("http://127.0.0.1:3000"), Ok(()));
        assert_eq!(check_origin("null"), Ok(()));
        assert_eq!(check_origin("chrome-extension://abcdef"), Ok(()));
        for (bad, fix) in [
            ("https://app.example.com/", "https://app.example.com"),
            ("https://App.Example.com", "https://app.example.com"),
            ("https://app.example.com:443", "https://app.example.com"),
            ("http://localhost:80/x", "http://localhost"),
            ("https://bücher.example", "https://xn--bcher-kva.example"),
            (
                "chrome-extension://abcdef/page.html",
                "chrome-extension://abcdef",
            ),
        ] {
            let err = check_origin(bad).unwrap_err();
            assert!(err.ends_with(&format!("did you mean `{fix}`?")), "{err}");
        }
        assert!(check_origin("app.example.com").is_err());
        assert!(check_origin("https://").is_err());
        assert!(check_origin("mailto:a@example.com").is_err());
    }
}
