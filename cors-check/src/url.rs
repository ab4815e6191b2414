//! The two addresses of a check: the URL requested (`http://` only) and the page's origin.

/// An `http://` URL, split into what the request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host as written in the URL, lowercased (an IPv6 address keeps its brackets).
    pub host: String,
    /// The port (80 when the URL names none).
    pub port: u16,
    /// The request target: the path (at least `/`) and the query, percent-encoded; no fragment.
    pub path_and_query: String,
}

impl Target {
    /// Parses an absolute `http://` URL. `https://` is refused with a hint, as is anything a
    /// browser's `fetch()` would refuse (a user name or password in the URL).
    pub fn parse(url: &str) -> Result<Target, String> {
        let url = url.trim();
        let Some(colon) = url.find(':') else {
            return Err(format!(
                "`{url}` is not an absolute URL: write http://host/path"
            ));
        };
        let scheme = url[..colon].to_ascii_lowercase();
        match scheme.as_str() {
            "http" => {}
            "https" => {
                return Err("https:// URLs are not supported: cors-check has no TLS client. \
                     Check the plain-http listener of the same app instead (the CORS headers come from \
                     the app, not from the TLS terminator in front of it), e.g. \
                     http://127.0.0.1:8080/path"
                    .to_owned())
            }
            _ => return Err(format!("`{url}`: only http:// URLs are supported")),
        }
        let Some(rest) = url[colon + 1..].strip_prefix("//") else {
            return Err(format!(
                "`{url}` is not an absolute URL: write http://host/path"
            ));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(end);
        if authority.contains('@') {
            return Err(format!(
                "`{url}` contains a user name or password, which fetch() refuses"
            ));
        }
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None | Some("") => 80,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| format!("`{p}` is not a port number"))?,
        };
        let mut target = String::from(if path_and_query.starts_with('/') {
            ""
        } else {
            "/"
        });
        for c in path_and_query.chars() {
            if c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '`' | '{' | '}') {
                target.push(c);
            } else {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    target.push_str(&format!("%{b:02X}"));
                }
            }
        }
        Ok(Target {
            host,
            port,
            path_and_query: target,
        })
    }

    /// The value of the `Host` header: the host, and the port unless it is 80.
    pub fn host_header(&self) -> String {
        if self.port == 80 {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The URL's origin, serialized as a browser does: `http://host[:port]`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.host_header())
    }

    /// The URL as a browser serializes it (the form Chromium quotes in its console messages).
    pub fn serialize(&self) -> String {
        format!("{}{}", self.origin(), self.path_and_query)
    }

    /// The host to connect to: without the brackets of an IPv6 address.
    pub fn connect_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }
}

fn split_host_port(authority: &str) -> Result<(String, Option<&str>), String> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority
            .find(']')
            .ok_or_else(|| format!("`{authority}`: unclosed `[` in the host"))?;
        let (host, after) = authority.split_at(close + 1);
        match after {
            "" => (host, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return Err(format!("`{authority}`: unexpected text after `]`")),
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("the URL has no host".to_owned());
    }
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':' | '[' | ']');
    if !host.chars().all(ok) {
        return Err(format!(
            "`{host}` is not a host cors-check can use: write an ASCII (punycode) host name or an IP address"
        ));
    }
    if port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!(
            "`{}` is not a port number",
            port.unwrap_or_default()
        ));
    }
    Ok((host.to_ascii_lowercase(), port))
}

/// A URL scheme (RFC 3986 §3.1): a letter, then letters, digits, `+`, `-` or `.`.
pub fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Checks that `origin` is an origin as browsers serialize it (`scheme://host[:port]` in
/// lowercase, without the scheme's default port or a path, or `null`), and says what to write
/// instead when it is not: a browser never sends anything else, so a check with such an origin
/// would test nothing real.
pub fn check_origin(origin: &str) -> Result<(), String> {
    if origin == "null" {
        return Ok(());
    }
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Err(format!(
            "`{origin}` is not an origin: write scheme://host[:port], e.g. https://app.example.com"
        ));
    };
    if !is_scheme(scheme) || rest.is_empty() {
        return Err(format!(
            "`{origin}` is not an origin: write scheme://host[:port], e.g. https://app.example.com"
        ));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut fixed = format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    );
    for (scheme, port) in [
        ("http", ":80"),
        ("https", ":443"),
        ("ws", ":80"),
        ("wss", ":443"),
    ] {
        if fixed.starts_with(&format!("{scheme}://")) && fixed.ends_with(port) {
            fixed.truncate(fixed.len() - port.len());
        }
    }
    if fixed != origin {
        return Err(format!(
            "`{origin}` is not an origin as a browser sends it (no path, no default port, lowercase): did you mean `{fixed}`?"
        ));
    }
    split_host_port(authority).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = Target::parse("HTTP://LocalHost:8080/a b?q=\"x\"#frag").unwrap();
        assert_eq!(t.host, "localhost");
        assert_eq!(t.port, 8080);
        assert_eq!(t.path_and_query, "/a%20b?q=%22x%22");
        assert_eq!(t.serialize(), "http://localhost:8080/a%20b?q=%22x%22");
        assert_eq!(t.origin(), "http://localhost:8080");

        let t = Target::parse("http://[::1]?x").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("[::1]", 80));
        assert_eq!(t.connect_host(), "::1");
        assert_eq!(t.serialize(), "http://[::1]/?x");

        assert!(Target::parse("https://a.example/")
            .unwrap_err()
            .starts_with("https:// URLs are not supported"));
        assert!(Target::parse("http://u:p@a.example/").is_err());
        assert!(Target::parse("http://a.example:99999/").is_err());
        assert!(Target::parse("http://a.example:8x/").is_err());
        assert!(Target::parse("a.example/x").is_err());
        assert!(Target::parse("http:///x").is_err());
    }

    #[test]
    fn origins() {
        assert_eq!(check_origin("https://app.example.com"), Ok(()));
        assert_eq!(check_origin("http://127.0.0.1:3000"), Ok(()));
        assert_eq!(check_origin("null"), Ok(()));
        for (bad, fix) in [
            ("https://app.example.com/", "https://app.example.com"),
            ("https://App.Example.com", "https://app.example.com"),
            ("https://app.example.com:443", "https://app.example.com"),
            ("http://localhost:80/x", "http://localhost"),
        ] {
            let err = check_origin(bad).unwrap_err();
            assert!(err.ends_with(&format!("did you mean `{fix}`?")), "{err}");
        }
        assert!(check_origin("app.example.com").is_err());
        assert!(check_origin("https://").is_err());
    }
}
