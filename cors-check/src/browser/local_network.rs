//! Local Network Access, as Chrome enforces it from Chrome 142: a page served from a public
//! address that calls a local (private) or loopback address, or a page on a local address that
//! calls a loopback one, gets the request only after the user grants a permission
//! (`local-network-access`; from Chrome 145 split into `local-network` and `loopback-network`).
//! No response header grants it, so it is no CORS check: the report says it beside the verdict,
//! with what the user and the page must do.
//!
//! Sources: <https://developer.chrome.com/blog/local-network-access>,
//! <https://chromestatus.com/feature/5152728072060928>, Chrome's guide
//! <https://developer.chrome.com/docs/modern-web-guidance/guides/security/local-network-access>
//! (the address ranges), and the Local Network Access draft
//! <https://wicg.github.io/local-network-access/>.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use url::{Host, Url};

/// An address space of the Local Network Access draft, from the least private to the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressSpace {
    /// Reachable from anywhere on the internet.
    Public,
    /// Only on the local network: RFC 1918, link-local, IPv6 unique local, `.local` names.
    Local,
    /// Only on this device: 127.0.0.0/8, `::1`, `localhost`.
    Loopback,
}

impl AddressSpace {
    /// The space's name, as the draft and Chrome write it.
    pub fn name(self) -> &'static str {
        match self {
            AddressSpace::Public => "public",
            AddressSpace::Local => "local",
            AddressSpace::Loopback => "loopback",
        }
    }

    /// The permission Chrome 145 and later asks for, to reach this space.
    fn permission(self) -> &'static str {
        match self {
            AddressSpace::Loopback => "loopback-network",
            _ => "local-network",
        }
    }
}

/// The space of an IP address, by the ranges Chrome's guide lists.
pub fn of_ip(ip: IpAddr) -> AddressSpace {
    match ip {
        IpAddr::V4(v4) => of_ipv4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return of_ipv4(v4);
            }
            if v6.is_loopback() || v6.is_unspecified() {
                AddressSpace::Loopback
            } else if is_unique_local(v6) || is_link_local(v6) {
                AddressSpace::Local
            } else {
                AddressSpace::Public
            }
        }
    }
}

fn of_ipv4(v4: Ipv4Addr) -> AddressSpace {
    // 0.0.0.0 reaches this device on Linux and macOS; Chrome refuses it outright.
    if v4.is_loopback() || v4.is_unspecified() {
        AddressSpace::Loopback
    } else if v4.is_private() || v4.is_link_local() {
        AddressSpace::Local
    } else {
        AddressSpace::Public
    }
}

/// fc00::/7.
fn is_unique_local(v6: Ipv6Addr) -> bool {
    (v6.segments()[0] & 0xfe00) == 0xfc00
}

/// fe80::/10.
fn is_link_local(v6: Ipv6Addr) -> bool {
    (v6.segments()[0] & 0xffc0) == 0xfe80
}

/// The space a host name says by itself: `localhost` and `*.localhost` loopback, `*.local`
/// (mDNS) local; `None` for any other name, which only its address tells.
fn of_name(name: &str) -> Option<AddressSpace> {
    let name = name.trim_end_matches('.');
    if name == "localhost" || name.ends_with(".localhost") {
        Some(AddressSpace::Loopback)
    } else if name.ends_with(".local") {
        Some(AddressSpace::Local)
    } else {
        None
    }
}

/// The page's side: its origin's address space, and whether that is only assumed (a name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The space.
    pub space: AddressSpace,
    /// The host is a name that says nothing by itself: taken to be served from a public
    /// address.
    pub assumed: bool,
    /// The page is a secure context (`https://`, or a loopback origin).
    pub secure: bool,
}

/// The page's address space, from `--origin`: an IP address or `localhost` / `.local` says it;
/// any other name is taken to be public (where sites are served from). `None` for `null` and
/// origins without a host.
pub fn page(origin: &str) -> Option<Page> {
    let url = Url::parse(origin).ok()?;
    let (space, assumed) = match url.host()? {
        Host::Ipv4(v4) => (of_ip(IpAddr::V4(v4)), false),
        Host::Ipv6(v6) => (of_ip(IpAddr::V6(v6)), false),
        Host::Domain(name) => match of_name(name) {
            Some(space) => (space, false),
            None => (AddressSpace::Public, true),
        },
    };
    let secure = url.scheme() == "https" || space == AddressSpace::Loopback;
    Some(Page {
        space,
        assumed,
        secure,
    })
}

/// The target's side: the URL's host and the address space it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The space.
    pub space: AddressSpace,
    /// The address it was found from (`None` when the name says it: `localhost`, `.local`).
    pub address: Option<IpAddr>,
    /// The host is a name (not an IP address, not `localhost`, not `.local`): mixed content
    /// blocking cannot tell it is local before it resolves it.
    pub plain_name: bool,
}

/// The URL's address space: by its IP address, `localhost` or `.local`, else by the first
/// address the name resolves to (the one connected to first). `None` when it does not
/// resolve (the check then reports the network error).
pub fn target(host: &str, port: u16) -> Option<Target> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Some(Target {
            space: of_ip(ip),
            address: Some(ip),
            plain_name: false,
        });
    }
    if let Some(space) = of_name(bare) {
        return Some(Target {
            space,
            address: None,
            plain_name: false,
        });
    }
    let ip = (bare, port).to_socket_addrs().ok()?.next()?.ip();
    Some(Target {
        space: of_ip(ip),
        address: Some(ip),
        plain_name: true,
    })
}

/// What Chrome does about a request from `page` to `target`: `None` when Local Network Access
/// does not apply (the target is not more private than the page); else the lines the report
/// prints, each with its mark (`!` a warning, `→` what to do, `·` information).
pub fn lines(
    origin: &str,
    page: &Page,
    url_host: &str,
    url_is_https: bool,
    target: &Target,
) -> Option<Vec<(char, String)>> {
    if target.space <= page.space {
        return None;
    }
    let mut out = Vec::new();
    let page_space = if page.assumed {
        format!(
            "{} (its host is a name, taken to be served from a public address)",
            page.space.name()
        )
    } else {
        page.space.name().to_owned()
    };
    let resolved = match (target.plain_name, target.address) {
        (true, Some(ip)) => format!(" (it resolves to {ip})"),
        _ => String::new(),
    };
    out.push((
        '·',
        format!(
            "the page's origin {origin} is {page_space}; the URL's host {url_host}{resolved} is {}",
            target.space.name()
        ),
    ));
    let permission = target.space.permission();
    if page.secure {
        out.push(('!', format!(
            "Chrome asks the user for permission before it sends this request (`{permission}` from Chrome 145, `local-network-access` in Chrome 142 to 144), and the page's fetch() fails if the user refuses. No response header grants it: nothing on the server can."
        )));
    } else {
        out.push(('!', format!(
            "Chrome blocks this request without asking: it grants the permission (`{permission}` from Chrome 145, `local-network-access` in Chrome 142 to 144) only to secure contexts, and the page is served over http://. No response header changes that."
        )));
    }
    if page.secure && !url_is_https && target.plain_name {
        out.push(('!', format!(
            "the URL is http:// and its host is a name: Chrome blocks it as mixed content unless the fetch() says where it goes: fetch(url, {{targetAddressSpace: \"{}\"}})",
            target.space.name()
        )));
    }
    let first = if page.secure {
        "The user allows it"
    } else {
        "Serve the page over https://; then the user allows it"
    };
    out.push(('→', format!(
        "{first} in Chrome's prompt, or later under Site settings → Local network access. A page in a cross-origin iframe gets it only if its parent delegates it: <iframe allow=\"local-network-access\"> (or \"{permission}\"), and a Permissions-Policy header on the parent, if it sends one, that lists the frame's origin: Permissions-Policy: local-network-access=(self \"https://frame.example\")."
    )));
    out.push((
        '·',
        "https://developer.chrome.com/blog/local-network-access, https://chromestatus.com/feature/5152728072060928".to_owned(),
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> AddressSpace {
        of_ip(text.parse().unwrap())
    }

    #[test]
    fn address_spaces() {
        for loopback in [
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "::ffff:127.0.0.1",
            "0.0.0.0",
        ] {
            assert_eq!(ip(loopback), AddressSpace::Loopback, "{loopback}");
        }
        for local in [
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.10",
            "169.254.1.1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:192.168.0.1",
        ] {
            assert_eq!(ip(local), AddressSpace::Local, "{local}");
        }
        for public in [
            "8.8.8.8",
            "172.32.0.1",
            "192.0.2.1",
            "2001:db8::1",
            "100.64.0.1",
        ] {
            assert_eq!(ip(public), AddressSpace::Public, "{public}");
        }
    }

    #[test]
    fn pages_and_targets() {
        let p = page("https://app.example.com").unwrap();
        assert_eq!(
            (p.space, p.assumed, p.secure),
            (AddressSpace::Public, true, true)
        );
        let p = page("http://192.168.1.5:8080").unwrap();
        assert_eq!(
            (p.space, p.assumed, p.secure),
            (AddressSpace::Local, false, false)
        );
        let p = page("http://localhost:3000").unwrap();
        assert_eq!((p.space, p.secure), (AddressSpace::Loopback, true));
        assert_eq!(
            page("https://printer.local").unwrap().space,
            AddressSpace::Local
        );
        assert_eq!(page("null"), None);

        let t = target("[::1]", 80).unwrap();
        assert_eq!((t.space, t.plain_name), (AddressSpace::Loopback, false));
        assert_eq!(
            target("api.localhost", 80).unwrap().space,
            AddressSpace::Loopback
        );
        assert_eq!(target("nas.local", 80).unwrap().space, AddressSpace::Local);
    }

    #[test]
    fn when_it_applies() {
        let public = page("https://app.example.com").unwrap();
        let loopback = target("127.0.0.1", 80).unwrap();
        let local = target("10.1.2.3", 80).unwrap();
        let first = lines(
            "https://app.example.com",
            &public,
            "127.0.0.1",
            false,
            &loopback,
        )
        .unwrap();
        assert!(first[1].1.contains("`loopback-network` from Chrome 145"));
        assert!(lines(
            "https://app.example.com",
            &public,
            "10.1.2.3",
            false,
            &local
        )
        .unwrap()[1]
            .1
            .contains("`local-network` from Chrome 145"));
        // Local to loopback applies; loopback to anything and local to local do not.
        let intranet = page("http://10.0.0.8").unwrap();
        let lines_ = lines("http://10.0.0.8", &intranet, "127.0.0.1", false, &loopback).unwrap();
        assert!(lines_[1]
            .1
            .starts_with("Chrome blocks this request without asking"));
        assert!(lines_[2]
            .1
            .starts_with("Serve the page over https://; then the user allows it"));
        // A name that resolves to a loopback address, over http:// from an https:// page.
        let named = Target {
            space: AddressSpace::Loopback,
            address: Some("127.0.0.1".parse().unwrap()),
            plain_name: true,
        };
        let lines_ = lines(
            "https://app.example.com",
            &public,
            "dev.test",
            false,
            &named,
        )
        .unwrap();
        assert!(lines_[0]
            .1
            .ends_with("the URL's host dev.test (it resolves to 127.0.0.1) is loopback"));
        assert_eq!(lines_[2].1, "the URL is http:// and its host is a name: Chrome blocks it as mixed content unless the fetch() says where it goes: fetch(url, {targetAddressSpace: \"loopback\"})");
        assert_eq!(
            lines("http://10.0.0.8", &intranet, "10.1.2.3", false, &local),
            None
        );
        let dev = page("http://localhost:3000").unwrap();
        assert_eq!(
            lines("http://localhost:3000", &dev, "127.0.0.1", false, &loopback),
            None
        );
        let public_target = Target {
            space: AddressSpace::Public,
            address: None,
            plain_name: true,
        };
        assert_eq!(
            lines(
                "https://app.example.com",
                &public,
                "api.example.com",
                true,
                &public_target
            ),
            None
        );
    }
}
