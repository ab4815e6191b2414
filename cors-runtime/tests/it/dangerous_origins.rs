//! Origins that are well-formed but dangerous, refused wherever origins are checked (the
//! attribute, `cors_policy!`, an `OriginSource` at start-up and on reload, `rules::check_origin`):
//! a wildcard on a public suffix, a plain-HTTP origin with credentials; and the one wildcard
//! that local development needs, any port on a loopback host.

use cors_runtime::rules::{
    check_configured_origins, check_origin, is_loopback_host, validate, Item, OriginSpec,
    PolicyInput,
};
use cors_runtime::{OriginPattern, OriginSource};

#[track_caller]
fn refused_saying(origin: &str, says: &str) -> String {
    match check_origin(origin) {
        Ok(spec) => panic!("{origin:?} was accepted as {spec:?}"),
        Err(error) => {
            assert!(
                error.message.contains(says),
                "{origin:?}: {:?} does not say {says:?}",
                error.message
            );
            error.help
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Wildcards on public suffixes (Public Suffix List, ICANN and private sections).

#[test]
fn a_wildcard_on_a_public_suffix_is_refused() {
    for (origin, suffix) in [
        ("https://*.co.uk", "co.uk"),
        ("https://*.com.au", "com.au"),
        ("https://*.github.io", "github.io"),
        ("https://*.vercel.app", "vercel.app"),
        ("https://*.pages.dev", "pages.dev"),
        ("https://*.netlify.app", "netlify.app"),
        ("https://*.herokuapp.com", "herokuapp.com"),
        ("https://*.s3.amazonaws.com", "s3.amazonaws.com"),
        ("https://*.github.io:8443", "github.io"),
        ("http://*.blogspot.com", "blogspot.com"),
    ] {
        let help = refused_saying(origin, &format!("`{suffix}` is a public suffix"));
        assert!(
            help.contains(&format!("*.your-site.{suffix}")),
            "{origin}: help {help:?}"
        );
    }
    // The private section is named as such: that is where anyone gets a site in a minute.
    refused_saying("https://*.github.io", "private section");
}

#[test]
fn a_wildcard_under_a_site_of_a_public_suffix_is_accepted() {
    for (origin, suffix) in [
        ("https://*.example.co.uk", ".example.co.uk"),
        ("https://*.acme.github.io", ".acme.github.io"),
        ("https://*.my-app.vercel.app", ".my-app.vercel.app"),
        ("https://*.example.com", ".example.com"),
        // Not on the list: a private name, matched as written.
        ("https://*.corp.internal", ".corp.internal"),
    ] {
        assert_eq!(
            check_origin(origin),
            Ok(OriginSpec::Subdomains {
                prefix: "https://".into(),
                suffix: suffix.into()
            }),
            "{origin}"
        );
    }
}

#[test]
fn exact_origins_on_a_public_suffix_are_not_patterns_and_stay_accepted() {
    // `https://github.io` is one origin (GitHub's own), not every site under it.
    assert!(check_origin("https://github.io").is_ok());
    assert!(check_origin("https://acme.github.io").is_ok());
}

#[test]
fn a_configured_list_refuses_public_suffix_wildcards_at_start_up_and_on_reload() {
    let errors = check_configured_origins(&["https://a.example", "https://*.github.io"])
        .expect_err("a public-suffix wildcard");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].item, Some(Item::Origin(1)));

    static SOURCE: OriginSource = OriginSource::startup("partner origins");
    SOURCE.set(["https://*.acme.github.io"]).unwrap();
    let error = SOURCE
        .set(["https://*.acme.github.io", "https://*.vercel.app"])
        .expect_err("refused on reload");
    assert_eq!(error.offending_entries(), ["https://*.vercel.app"]);
    assert!(error.to_string().contains("public suffix"), "{error}");
    // The list in force stays.
    assert_eq!(*SOURCE.origins().unwrap(), ["https://*.acme.github.io"]);
}

// ---------------------------------------------------------------------------------------------
// Any port on a loopback host.

#[test]
fn a_port_wildcard_on_a_loopback_host_is_accepted() {
    for (origin, base) in [
        ("http://localhost:*", "http://localhost"),
        ("https://localhost:*", "https://localhost"),
        ("http://app.localhost:*", "http://app.localhost"),
        ("http://127.0.0.1:*", "http://127.0.0.1"),
        ("http://127.0.0.53:*", "http://127.0.0.53"),
        ("http://[::1]:*", "http://[::1]"),
    ] {
        assert_eq!(
            check_origin(origin),
            Ok(OriginSpec::AnyPort { base: base.into() }),
            "{origin}"
        );
    }
}

#[test]
fn a_port_wildcard_elsewhere_is_refused_with_the_reason() {
    for origin in [
        "https://app.example.com:*",
        "http://10.0.0.1:*",
        "http://[::2]:*",
        "http://localhost.example.com:*",
    ] {
        let help = refused_saying(origin, "a port wildcard is only for loopback hosts");
        assert!(help.starts_with("list the ports"), "{origin}: {help}");
    }
    refused_saying("http://*.localhost:*", "two wildcards");
    refused_saying("http://LOCALHOST:*", "uppercase");
    refused_saying("http://[0:0:0:0:0:0:0:1]:*", "IPv6");
    refused_saying("http://localhost:3*", "not a port");
}

#[test]
fn a_port_wildcard_matches_every_port_as_browsers_send_it_and_nothing_else() {
    let local = OriginPattern::AnyPort {
        base: "http://localhost",
    };
    for origin in [
        "http://localhost",
        "http://localhost:1",
        "http://localhost:3000",
        "http://localhost:5173",
        "http://localhost:65535",
    ] {
        assert!(local.matches(origin.as_bytes()), "{origin}");
    }
    for origin in [
        "http://localhost:",
        "http://localhost:0",
        "http://localhost:80",
        "http://localhost:03000",
        "http://localhost:65536",
        "http://localhost:123456",
        "http://localhost:30a0",
        "http://localhost:3000/",
        "http://localhost.evil.example",
        "http://localhostevil.example",
        "http://localhost:3000.evil.example",
        "https://localhost:3000",
        "http://Localhost:3000",
        "http://127.0.0.1:3000",
    ] {
        assert!(!local.matches(origin.as_bytes()), "{origin}");
    }
    assert_eq!(local.to_string(), "http://localhost:*");
}

#[test]
fn loopback_hosts_are_the_secure_contexts_ones() {
    for host in [
        "localhost",
        "dev.localhost",
        "127.0.0.1",
        "127.255.0.9",
        "[::1]",
    ] {
        assert!(is_loopback_host(host), "{host}");
    }
    for host in [
        "localhost.example",
        "mylocalhost",
        "128.0.0.1",
        "0.0.0.0",
        "[::]",
        "[::2]",
        "example.com",
    ] {
        assert!(!is_loopback_host(host), "{host}");
    }
}

// ---------------------------------------------------------------------------------------------
// Plain-HTTP origins with credentials.

fn policy<'a>(origins: &'a [&'a str], credentials: bool, trust: bool) -> PolicyInput<'a> {
    PolicyInput {
        origins,
        route_methods: &["GET"],
        credentials,
        dangerously_trust_http_origins: trust,
        ..PolicyInput::default()
    }
}

#[test]
fn a_plain_http_origin_off_loopback_with_credentials_is_refused() {
    let errors = validate(&policy(
        &[
            "https://app.example.com",
            "http://intranet.example.com",
            "http://*.corp.example",
            "http://10.0.0.7:8080",
        ],
        true,
        false,
    ))
    .expect_err("plain-HTTP origins with credentials");
    let items: Vec<_> = errors.iter().map(|e| e.item).collect();
    assert_eq!(
        items,
        [
            Some(Item::Origin(1)),
            Some(Item::Origin(2)),
            Some(Item::Origin(3))
        ]
    );
    assert!(errors[0].message.contains("anyone on the network path"));
    assert!(errors[0].help.contains("\"https://intranet.example.com\""));
    assert!(errors[0].help.contains("`dangerously_trust_http_origins`"));
}

#[test]
fn loopback_origins_and_https_stay_allowed_with_credentials() {
    validate(&policy(
        &[
            "http://localhost:3000",
            "http://localhost:*",
            "http://127.0.0.1:8081",
            "http://[::1]:8080",
            "https://app.example.com",
        ],
        true,
        false,
    ))
    .expect("loopback and https origins");
    // Without credentials a plain-HTTP origin is only as readable as it is to the network.
    validate(&policy(&["http://intranet.example.com"], false, false)).expect("no credentials");
}

#[test]
fn the_explicit_key_allows_them_and_is_refused_where_it_changes_nothing() {
    let valid = validate(&policy(&["http://intranet.example.com"], true, true)).unwrap();
    assert!(!valid.refuses_http_origins());
    // Where cookies go with the requests, a source's list is held to the rule too: with
    // `credentials`, and on a WebSocket route (every handshake carries them), where the key
    // means something without `credentials`.
    let https = ["https://app.example.com"];
    assert!(validate(&policy(&https, true, false))
        .unwrap()
        .refuses_http_origins());
    assert!(!validate(&policy(&https, false, false))
        .unwrap()
        .refuses_http_origins());
    let socket = |origins, trust| PolicyInput {
        websocket: true,
        ..policy(origins, false, trust)
    };
    assert!(validate(&socket(&https, false))
        .unwrap()
        .refuses_http_origins());
    let trusted = validate(&socket(&["http://intranet.example.com"], true)).unwrap();
    assert!(!trusted.refuses_http_origins());
    let source = PolicyInput {
        origins: &[],
        origin_source: true,
        ..socket(&[], true)
    };
    assert!(!validate(&source).unwrap().refuses_http_origins());
    let useless = validate(&socket(&https, true)).unwrap_err();
    assert_eq!(useless[0].item, Some(Item::DangerouslyTrustHttpOrigins));
    assert!(useless[0].message.contains("changes nothing here"));

    let useless = validate(&policy(&["http://intranet.example.com"], false, true)).unwrap_err();
    assert_eq!(useless[0].item, Some(Item::DangerouslyTrustHttpOrigins));
    assert!(useless[0].message.contains("without `credentials`"));

    let useless = validate(&policy(&["https://app.example.com"], true, true)).unwrap_err();
    assert_eq!(useless[0].item, Some(Item::DangerouslyTrustHttpOrigins));
    assert!(useless[0].message.contains("no origin in `origins`"));

    // With an `OriginSource`, the list is known at run time: the key is accepted.
    validate(&PolicyInput {
        origin_source: true,
        ..policy(&[], true, true)
    })
    .expect("a source's list is checked when it is filled");
}
