//! The validation rules shared by the `#[cors]` macro and start-up policies
//! (`cors_runtime::rules`): every accepted and refused form of SPEC §3.

use cors_runtime::rules::{
    check_exposed_header, check_method, check_origin, check_request_header, validate, Item,
    OriginSpec, PolicyInput, RuleError, WildcardList, MAX_AGE_LIMIT,
};

fn exact(origin: &str) -> OriginSpec {
    OriginSpec::Exact(origin.to_owned())
}

fn subdomains(prefix: &str, suffix: &str) -> OriginSpec {
    OriginSpec::Subdomains {
        prefix: prefix.to_owned(),
        suffix: suffix.to_owned(),
    }
}

/// The message and the help of a refused origin.
fn refused(origin: &str) -> RuleError {
    match check_origin(origin) {
        Ok(spec) => panic!("{origin:?} was accepted as {spec:?}"),
        Err(fail) => fail,
    }
}

/// Asserts that `origin` is refused with a message containing `says` and exactly `help`.
#[track_caller]
fn assert_refused(origin: &str, says: &str, help: &str) {
    let RuleError {
        message,
        help: actual_help,
        ..
    } = refused(origin);
    assert!(
        message.contains(says),
        "{origin:?}: message {message:?} does not say {says:?}"
    );
    assert_eq!(actual_help, help, "{origin:?}: help");
}

// ---------------------------------------------------------------------------------------------
// Origins that browsers send, accepted as they are.

#[test]
fn serialized_origins_are_accepted_byte_for_byte() {
    for origin in [
        "https://app.example.com",
        "http://app.example.com",
        "https://example.com",
        "http://localhost",
        "http://localhost:3000",
        "https://app.example.com:8443",
        "https://example.com:80",
        "http://example.com:443",
        "https://example.com:1",
        "https://example.com:65535",
        "https://a-b.example.com",
        "https://a_b.example.com",
        "https://123abc.example.com",
        "https://xn--bcher-kva.example",
        "http://127.0.0.1",
        "http://127.0.0.1:8080",
        "http://0.0.0.0",
        "http://255.255.255.255",
        "http://[::1]",
        "http://[::1]:8080",
        "https://[2001:db8::1]",
        "https://[2001:db8:0:1:1:1:1:1]",
        "https://[1::]",
        "https://[::]",
        "https://[::ffff:102:304]",
        "http://[fe80::1:0:0:2]:8080",
    ] {
        assert_eq!(check_origin(origin), Ok(exact(origin)), "{origin:?}");
    }
}

#[test]
fn star_and_null_are_their_own_kinds() {
    assert_eq!(check_origin("*"), Ok(OriginSpec::Any));
    assert_eq!(check_origin("null"), Ok(OriginSpec::Null));
}

#[test]
fn wildcard_patterns_split_around_the_star() {
    assert_eq!(
        check_origin("https://*.example.com"),
        Ok(subdomains("https://", ".example.com"))
    );
    assert_eq!(
        check_origin("http://*.example.com:8080"),
        Ok(subdomains("http://", ".example.com:8080"))
    );
    assert_eq!(
        check_origin("https://*.api.example.com"),
        Ok(subdomains("https://", ".api.example.com"))
    );
}

// ---------------------------------------------------------------------------------------------
// Malformed origins: one test per kind, each with the fix the help suggests.

#[test]
fn empty_origin() {
    assert_refused(
        "",
        "empty origin",
        "write an origin such as \"https://app.example.com\"",
    );
}

#[test]
fn missing_scheme() {
    assert_refused(
        "app.example.com",
        "has no scheme",
        "write \"https://app.example.com\" (or \"http://app.example.com\")",
    );
    assert_refused(
        "//app.example.com",
        "has no scheme",
        "write \"https://app.example.com\" (or \"http://app.example.com\")",
    );
    assert_refused(
        "localhost:3000",
        "has no scheme",
        "write \"https://localhost:3000\" (or \"http://localhost:3000\")",
    );
}

#[test]
fn unknown_scheme() {
    for origin in [
        "ftp://files.example.com",
        "ws://app.example.com",
        "file://app",
        "chrome-extension://abcdef",
    ] {
        assert_refused(
            origin,
            "but #[cors] allows only `https` and `http` origins",
            "write an origin that starts with \"https://\" or \"http://\"",
        );
    }
}

#[test]
fn uppercase_scheme() {
    assert_refused(
        "HTTPS://app.example.com",
        "uppercase scheme",
        "write \"https://app.example.com\"",
    );
    assert_refused(
        "Http://app.example.com",
        "uppercase scheme",
        "write \"http://app.example.com\"",
    );
}

#[test]
fn uppercase_host() {
    assert_refused(
        "https://App.Example.com",
        "uppercase letters in its host",
        "write \"https://app.example.com\"",
    );
    assert_refused(
        "http://[::FFFF]:8080",
        "uppercase letters in its host",
        "write \"http://[::ffff]:8080\"",
    );
}

#[test]
fn trailing_slash() {
    assert_refused(
        "https://app.example.com/",
        "ends with `/`",
        "write \"https://app.example.com\"",
    );
    assert_refused(
        "http://localhost:3000/",
        "ends with `/`",
        "write \"http://localhost:3000\"",
    );
}

#[test]
fn path() {
    assert_refused(
        "https://app.example.com/api",
        "has a path (`/api`)",
        "write \"https://app.example.com\"; CORS policies apply to a whole origin",
    );
    assert_refused(
        "https://app.example.com//",
        "has a path (`//`)",
        "write \"https://app.example.com\"; CORS policies apply to a whole origin",
    );
}

#[test]
fn query() {
    assert_refused(
        "https://app.example.com?x=1",
        "has a query (`?x=1`)",
        "write \"https://app.example.com\"",
    );
}

#[test]
fn fragment() {
    assert_refused(
        "https://app.example.com#top",
        "has a fragment (`#top`)",
        "write \"https://app.example.com\"",
    );
}

#[test]
fn userinfo() {
    assert_refused(
        "https://user@app.example.com",
        "user information",
        "write \"https://app.example.com\"",
    );
    assert_refused(
        "https://user:secret@app.example.com:8443",
        "user information",
        "write \"https://app.example.com:8443\"",
    );
}

#[test]
fn an_at_sign_after_the_host_is_a_path_not_userinfo() {
    assert_refused(
        "https://app.example.com/@team",
        "has a path (`/@team`)",
        "write \"https://app.example.com\"; CORS policies apply to a whole origin",
    );
}

#[test]
fn explicit_default_port() {
    assert_refused(
        "https://app.example.com:443",
        "default port of `https`",
        "write \"https://app.example.com\"",
    );
    assert_refused(
        "http://app.example.com:80",
        "default port of `http`",
        "write \"http://app.example.com\"",
    );
    assert_refused(
        "http://[::1]:80",
        "default port of `http`",
        "write \"http://[::1]\"",
    );
}

#[test]
fn invalid_port() {
    let help = "write \"https://app.example.com:PORT\" with the port the page is served from";
    for origin in [
        "https://app.example.com:0",
        "https://app.example.com:65536",
        "https://app.example.com:99999",
        "https://app.example.com:123456",
        "https://app.example.com:08080",
        "https://app.example.com:http",
        "https://app.example.com:+80",
        "https://app.example.com:-1",
    ] {
        assert_refused(origin, "is not a port browsers send", help);
    }
    assert_refused(
        "https://app.example.com:",
        "ends with `:` but no port",
        "write \"https://app.example.com\" or add the port number",
    );
}

#[test]
fn invalid_host() {
    let help = "write the host as it appears in the page's address bar, without a trailing dot";
    for origin in [
        "https://app..example.com",
        "https://app.example.com.",
        "https://.example.com",
        "https://app%2eexample.com",
        "https://app!.example.com",
        "https://app.example.com:8080:9090",
    ] {
        assert_refused(origin, "is not a valid host", help);
    }
    let long_label = format!("https://{}.example.com", "a".repeat(64));
    assert_refused(&long_label, "is not a valid host", help);
    let long_host = format!("https://{}com", "abcdefghi.".repeat(26));
    assert_refused(&long_host, "longer than 253 characters", "check the origin");
    assert_refused(
        "https://",
        "has no host",
        "write an origin such as \"https://app.example.com\"",
    );
    assert_refused(
        "https://:8080",
        "has no host",
        "write an origin such as \"https://app.example.com\"",
    );
}

#[test]
fn whitespace_and_control_characters() {
    for origin in [
        " https://app.example.com",
        "https://app.example.com ",
        "https://app .example.com",
        "https://app.example.com\t",
        "https://app.example.com\n",
    ] {
        assert_refused(
            origin,
            "whitespace or control characters",
            "remove them: an origin is scheme://host[:port]",
        );
    }
}

#[test]
fn non_ascii_host_must_be_punycode() {
    assert_refused(
        "https://bücher.example",
        "non-ASCII",
        "write the host in its `xn--` form, for example \"https://xn--bcher-kva.example\"",
    );
}

#[test]
fn null_spelled_otherwise() {
    for origin in ["NULL", "Null"] {
        assert_refused(origin, "lowercase `null`", "write \"null\"");
    }
}

#[test]
fn ipv4_hosts_must_be_dotted_decimal() {
    let help = "write four decimal numbers from 0 to 255 without leading zeros, as in \"http://127.0.0.1:8080\"";
    for origin in [
        "http://256.0.0.1",
        "http://127.0.0.01",
        "http://127.1",
        "http://1.2.3.4.5",
        "http://0x7f.0.0.1",
        "http://app.example.123",
    ] {
        assert_refused(
            origin,
            "is not an IPv4 address as browsers serialize it",
            help,
        );
    }
}

#[test]
fn ipv6_hosts_must_be_serialized_as_browsers_do() {
    assert_refused(
        "http://[0:0:0:0:0:0:0:1]:8080",
        "not written the way browsers serialize",
        "write \"http://[::1]:8080\"",
    );
    assert_refused(
        "http://[0:0:0:0:0:0:0:1]",
        "not written the way browsers serialize",
        "write \"http://[::1]\"",
    );
    assert_refused(
        "http://[2001:0db8::1]",
        "not written the way browsers serialize",
        "write \"http://[2001:db8::1]\"",
    );
    // Browsers never write an embedded IPv4 address: `[::ffff:1.2.3.4]` arrives as `[::ffff:102:304]`.
    assert_refused(
        "http://[::ffff:1.2.3.4]",
        "not written the way browsers serialize",
        "write \"http://[::ffff:102:304]\"",
    );
    // The first of two equally long runs of zeros is the one compressed.
    assert_refused(
        "http://[1:0:0:2::3:4]",
        "not written the way browsers serialize",
        "write \"http://[1::2:0:0:3:4]\"",
    );
    // A single zero piece is not compressed.
    assert_refused(
        "http://[1::2:3:4:5:6:7]",
        "not written the way browsers serialize",
        "write \"http://[1:0:2:3:4:5:6:7]\"",
    );
    let help = "write an IPv6 host in brackets, as in \"http://[::1]:8080\"";
    for origin in [
        "http://[::1",
        "http://[:::1]",
        "http://[::g]",
        "http://[fe80::1%25eth0]",
        "http://[]",
    ] {
        assert_refused(origin, "is not a valid IPv6 address", help);
    }
    assert_refused(
        "http://[::1]x",
        "is not a port browsers send",
        "write \"http://[::1]:PORT\" with the port the page is served from",
    );
}

// ---------------------------------------------------------------------------------------------
// Wildcard patterns that are not exactly one whole leftmost label.

#[test]
fn star_inside_a_label() {
    for (origin, shape) in [
        ("https://foo*.example.com", "https://*.example.com"),
        ("https://*foo.example.com", "https://*.example.com"),
        ("https://*", "https://*.example.com"),
        ("https://*:8443", "https://*.example.com:8443"),
        ("https://app.*.example.com", "https://*.example.com"),
        ("https://example.*", "https://*.example.com"),
    ] {
        assert_refused(
            origin,
            "`*` must be the whole first label of the host",
            &format!("a wildcard stands for exactly one whole leftmost label, as in \"{shape}\""),
        );
    }
}

#[test]
fn several_stars() {
    assert_refused(
        "https://*.*.example.com",
        "more than one `*`",
        "a wildcard stands for exactly one whole leftmost label, as in \"https://*.example.com\"",
    );
}

#[test]
fn wildcard_without_scheme() {
    assert_refused(
        "*.example.com",
        "has no scheme",
        "write \"https://*.example.com\" (or \"http://*.example.com\")",
    );
}

#[test]
fn star_glued_to_a_word_without_scheme() {
    for origin in ["h*", "https*", "*example.com"] {
        assert_refused(
            origin,
            "is not a wildcard pattern this crate accepts",
            "a wildcard stands for exactly one whole leftmost label, as in \"https://*.example.com\"",
        );
    }
}

#[test]
fn wildcard_over_a_top_level_domain() {
    assert_refused(
        "https://*.com",
        "every site under the top-level domain `com`",
        "name the site, as in \"https://*.example.com\"",
    );
    assert_refused(
        "http://*.localhost:3000",
        "every site under the top-level domain `localhost`",
        "name the site, as in \"http://*.example.localhost:3000\"",
    );
}

#[test]
fn wildcard_over_an_ip_address() {
    for origin in ["http://*.1.2.3.4", "http://*.127.0.0.1:8080"] {
        assert_refused(
            origin,
            "wildcard in front of an IP address",
            "list the IP origins one by one",
        );
    }
}

#[test]
fn wildcard_with_the_default_port_or_a_path() {
    assert_refused(
        "https://*.example.com:443",
        "default port of `https`",
        "write \"https://*.example.com\"",
    );
    assert_refused(
        "https://*.example.com/",
        "ends with `/`",
        "write \"https://*.example.com\"",
    );
    assert_refused(
        "https://*.Example.com",
        "uppercase letters in its host",
        "write \"https://*.example.com\"",
    );
}

// ---------------------------------------------------------------------------------------------
// Methods.

#[test]
fn methods_that_are_tokens() {
    for method in [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "CONNECT", "TRACE", "QUERY", "PURGE",
        "M-SEARCH", "purge",
    ] {
        assert_eq!(check_method(method), Ok(()), "{method:?}");
    }
}

#[test]
fn methods_that_are_not_tokens() {
    assert_eq!(
        check_method(""),
        Err(RuleError::new(
            "empty method name".to_owned(),
            "remove the empty string".to_owned()
        ))
    );
    for method in ["GE T", "GET,PUT", "GET\n", "(GET)", "GÉT"] {
        let RuleError { message, help, .. } = check_method(method).unwrap_err();
        assert!(
            message.contains("is not an HTTP method"),
            "{method:?}: {message}"
        );
        assert_eq!(
            help,
            "write the method as it appears on the request line, for example `PUT`"
        );
    }
}

#[test]
fn standard_methods_in_another_case() {
    for (method, canonical) in [
        ("get", "GET"),
        ("Get", "GET"),
        ("post", "POST"),
        ("delete", "DELETE"),
        ("options", "OPTIONS"),
        ("pAtCh", "PATCH"),
    ] {
        assert_eq!(
            check_method(method),
            Err(RuleError::new(
                format!("method names are case-sensitive: `{method}` is not `{canonical}`"),
                format!("write `{canonical}`"),
            ))
        );
    }
}

#[test]
fn options_is_answered_by_the_crate() {
    let RuleError { message, help, .. } = check_method("OPTIONS").unwrap_err();
    assert!(
        message.contains("`OPTIONS` does not belong in `methods`"),
        "{message}"
    );
    assert_eq!(
        help,
        "remove `OPTIONS`; list only the methods that scripts call the route with"
    );
}

// ---------------------------------------------------------------------------------------------
// Header names.

#[test]
fn request_headers_that_scripts_may_send() {
    for name in [
        "content-type",
        "Content-Type",
        "x-request-id",
        "authorization",
        "accept",
        "x-b3-traceid",
        "if-match",
        "x_custom",
        "!#$%&'*+-.^_`|~09az",
    ] {
        assert_eq!(check_request_header(name), Ok(()), "{name:?}");
    }
}

#[test]
fn header_names_that_are_not_tokens() {
    for name in [
        "x request",
        "x-request-id:",
        "content-type, x-request-id",
        "x-\"q\"",
        "x-é",
        "(x)",
    ] {
        let RuleError { message, help, .. } = check_request_header(name).unwrap_err();
        assert!(
            message.contains("is not a valid request header name"),
            "{name:?}: {message}"
        );
        assert_eq!(
            help,
            "write one header name per string, for example \"x-request-id\""
        );
        let RuleError { message, help, .. } = check_exposed_header(name).unwrap_err();
        assert!(
            message.contains("is not a valid response header name"),
            "{name:?}: {message}"
        );
        assert_eq!(
            help,
            "write one header name per string, for example \"x-request-id\""
        );
    }
    assert_eq!(
        check_request_header(""),
        Err(RuleError::new(
            "empty request header name".to_owned(),
            "remove the empty string".to_owned()
        ))
    );
    assert_eq!(
        check_exposed_header(""),
        Err(RuleError::new(
            "empty response header name".to_owned(),
            "remove the empty string".to_owned()
        ))
    );
}

#[test]
fn forbidden_request_headers() {
    for name in [
        "host",
        "Host",
        "origin",
        "content-length",
        "connection",
        "referer",
        "access-control-request-method",
        "sec-fetch-mode",
        "Sec-CH-UA",
        "proxy-authorization",
        "keep-alive",
        "dnt",
    ] {
        let RuleError { message, help, .. } = check_request_header(name).unwrap_err();
        assert!(
            message.contains("is a forbidden request header"),
            "{name:?}: {message}"
        );
        assert_eq!(help, "remove it from `headers`", "{name:?}");
    }
    for name in ["cookie", "Cookie"] {
        let RuleError { message, help, .. } = check_request_header(name).unwrap_err();
        assert!(
            message.contains("is a forbidden request header"),
            "{name:?}: {message}"
        );
        assert_eq!(
            help,
            "remove it; to let cookies through, add the `credentials` flag"
        );
    }
}

#[test]
fn exposed_headers() {
    for name in ["x-total", "ETag", "content-length", "cookie", "link"] {
        assert_eq!(check_exposed_header(name), Ok(()), "{name:?}");
    }
    for name in ["set-cookie", "Set-Cookie", "set-cookie2"] {
        let RuleError { message, help, .. } = check_exposed_header(name).unwrap_err();
        assert!(
            message.contains("can never be exposed"),
            "{name:?}: {message}"
        );
        assert_eq!(
            help,
            "remove it from `expose`; cookies reach the browser with the `credentials` flag"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Whole policies.

const GET: &[&str] = &["GET"];

fn input<'a>(origins: &'a [&'a str]) -> PolicyInput<'a> {
    PolicyInput {
        origins,
        route_methods: GET,
        ..PolicyInput::default()
    }
}

/// The broken rules of a policy, as (item, message) pairs.
fn broken(input: &PolicyInput<'_>) -> Vec<RuleError> {
    match validate(input) {
        Ok(policy) => panic!("{input:?} was accepted as {policy:?}"),
        Err(errors) => errors,
    }
}

#[track_caller]
fn assert_one(input: &PolicyInput<'_>, item: Item, says: &str, help: &str) {
    let errors = broken(input);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].item, Some(item), "{errors:#?}");
    assert!(
        errors[0].message.contains(says),
        "{:?} does not say {says:?}",
        errors[0].message
    );
    assert_eq!(errors[0].help, help);
}

#[test]
fn a_full_policy_is_normalised() {
    let policy = validate(&PolicyInput {
        origins: &["https://app.example.com", "https://*.example.org", "null"],
        methods: Some(&["PUT", "GET"]),
        route_methods: &["GET", "PUT", "DELETE"],
        headers: &["Content-Type", "*", "X-Request-Id"],
        expose: &["X-Total", "ETag"],
        credentials: false,
        max_age: Some(600),
        private_network: true,
        origin_source: false,
        writes_from_any_origin: false,
        dangerously_trust_http_origins: false,
        report_only: cors_runtime::ReportOnly::Nothing,
        websocket: false,
    })
    .unwrap();
    assert_eq!(
        policy.origins,
        vec![
            exact("https://app.example.com"),
            subdomains("https://", ".example.org"),
            OriginSpec::Null,
        ]
    );
    assert_eq!(policy.methods, vec!["PUT".to_owned(), "GET".to_owned()]);
    assert_eq!(policy.allow_methods_value(), "PUT, GET");
    assert_eq!(
        policy.headers,
        WildcardList {
            any: true,
            names: vec!["content-type".to_owned(), "x-request-id".to_owned()],
        }
    );
    assert_eq!(
        policy.headers.header_value().as_deref(),
        Some("*, content-type, x-request-id")
    );
    assert_eq!(
        policy.expose.header_value().as_deref(),
        Some("x-total, etag")
    );
    assert_eq!(policy.max_age, Some(600));
    assert!(policy.private_network);
    assert!(!policy.credentials);
}

#[test]
fn defaults_come_from_the_route() {
    let policy = validate(&PolicyInput {
        origins: &["*"],
        route_methods: &["GET", "HEAD"],
        ..PolicyInput::default()
    })
    .unwrap();
    assert_eq!(policy.origins, vec![OriginSpec::Any]);
    assert_eq!(policy.methods, vec!["GET".to_owned(), "HEAD".to_owned()]);
    assert_eq!(policy.allow_methods_value(), "GET, HEAD");
    assert_eq!(policy.headers, WildcardList::default());
    assert_eq!(policy.headers.header_value(), None);
    assert_eq!(policy.expose.header_value(), None);
    assert_eq!(policy.max_age, None);
}

#[test]
fn max_age_bounds() {
    for age in [0, 1, 600, MAX_AGE_LIMIT] {
        let policy = validate(&PolicyInput {
            max_age: Some(age),
            ..input(&["https://a.example"])
        })
        .unwrap();
        assert_eq!(policy.max_age, Some(age));
    }
    assert_eq!(MAX_AGE_LIMIT, 86_400);
    for age in [MAX_AGE_LIMIT + 1, u64::MAX] {
        assert_one(
            &PolicyInput {
                max_age: Some(age),
                ..input(&["https://a.example"])
            },
            Item::MaxAge,
            &format!("`max_age` of {age} seconds is above the limit of 86400"),
            "write a value from 0 to 86400",
        );
    }
}

#[test]
fn empty_origins() {
    assert_one(
        &input(&[]),
        Item::Origins,
        "`origins` is empty",
        "list at least one origin, such as [\"https://app.example.com\"]",
    );
}

#[test]
fn star_origin_with_credentials() {
    assert_one(
        &PolicyInput {
            credentials: true,
            ..input(&["*"])
        },
        Item::Origin(0),
        "`*` cannot be combined with `credentials`",
        "list the exact origins that may send cookies, or remove `credentials`",
    );
}

#[test]
fn null_origin_with_credentials() {
    assert_one(
        &PolicyInput {
            credentials: true,
            ..input(&["https://a.example", "null"])
        },
        Item::Origin(1),
        "`null` cannot be combined with `credentials`",
        "remove \"null\", or remove `credentials`",
    );
}

#[test]
fn star_headers_and_expose_with_credentials() {
    assert_one(
        &PolicyInput {
            credentials: true,
            headers: &["x-a", "*"],
            ..input(&["https://a.example"])
        },
        Item::Header(1),
        "`*` in `headers` cannot be combined with `credentials`",
        "list the header names in `headers`, or remove `credentials`",
    );
    assert_one(
        &PolicyInput {
            credentials: true,
            expose: &["*"],
            ..input(&["https://a.example"])
        },
        Item::Expose(0),
        "`*` in `expose` cannot be combined with `credentials`",
        "list the header names in `expose`, or remove `credentials`",
    );
}

#[test]
fn star_lists_without_credentials_are_fine() {
    let policy = validate(&PolicyInput {
        headers: &["*"],
        expose: &["*"],
        ..input(&["*"])
    })
    .unwrap();
    assert_eq!(policy.headers.header_value().as_deref(), Some("*"));
    assert_eq!(policy.expose.header_value().as_deref(), Some("*"));
}

#[test]
fn other_origins_next_to_star() {
    assert_one(
        &input(&["*", "https://a.example"]),
        Item::Origin(1),
        "`https://a.example` is redundant next to `*`",
        "keep either [\"*\"] or the list of origins",
    );
}

#[test]
fn duplicates_in_every_list() {
    assert_one(
        &input(&[
            "https://a.example",
            "https://b.example",
            "https://a.example",
        ]),
        Item::Origin(2),
        "`https://a.example` is listed twice in `origins`",
        "remove the second one",
    );
    assert_one(
        &PolicyInput {
            methods: Some(&["GET", "GET"]),
            ..input(&["https://a.example"])
        },
        Item::Method(1),
        "`GET` is listed twice in `methods`",
        "remove the second one",
    );
    // Header names are case-insensitive, so these are the same header.
    assert_one(
        &PolicyInput {
            headers: &["x-a", "X-A"],
            ..input(&["https://a.example"])
        },
        Item::Header(1),
        "`X-A` is listed twice in `headers`: header names are case-insensitive, so it is the same header as `x-a`",
        "remove the second one",
    );
    assert_one(
        &PolicyInput {
            expose: &["*", "x-total", "*"],
            ..input(&["https://a.example"])
        },
        Item::Expose(2),
        "`*` is listed twice in `expose`",
        "remove the second one",
    );
}

#[test]
fn methods_must_be_served_by_the_route() {
    assert_one(
        &PolicyInput {
            methods: Some(&["GET", "PUT"]),
            ..input(&["https://a.example"])
        },
        Item::Method(1),
        "the route does not serve `PUT`: it serves GET",
        "remove `PUT`, or add it to the route attribute (for example with #[routes] or #[route(.., method = \"PUT\")])",
    );
}

#[test]
fn empty_methods() {
    assert_one(
        &PolicyInput {
            methods: Some(&[]),
            ..input(&["https://a.example"])
        },
        Item::Method(0),
        "`methods` is empty",
        "list the methods scripts may use, or remove `methods` to allow the route's own methods",
    );
}

#[test]
fn every_broken_rule_is_reported_at_once() {
    let errors = broken(&PolicyInput {
        origins: &["https://a.example/", "*", "https://a.example/"],
        methods: Some(&["get", "OPTIONS", "PUT"]),
        route_methods: GET,
        headers: &["cookie", "x a"],
        expose: &["set-cookie"],
        credentials: true,
        max_age: Some(90_000),
        private_network: false,
        origin_source: false,
        writes_from_any_origin: false,
        dangerously_trust_http_origins: false,
        report_only: cors_runtime::ReportOnly::Nothing,
        websocket: false,
    });
    let items: Vec<Item> = errors.iter().filter_map(|e| e.item).collect();
    assert_eq!(
        items,
        vec![
            Item::Origin(0),
            Item::Origin(1),
            Item::Origin(2),
            Item::Method(0),
            Item::Method(1),
            Item::Method(2),
            Item::Header(0),
            Item::Header(1),
            Item::Expose(0),
            Item::MaxAge,
        ],
        "{errors:#?}"
    );
}

#[test]
fn rule_errors_display_message_and_help() {
    let errors = broken(&input(&["https://a.example/"]));
    assert_eq!(
        errors[0].to_string(),
        "`https://a.example/` ends with `/`, but browsers send origins without a trailing slash and origins are compared byte for byte (help: write \"https://a.example\")"
    );
}

#[test]
fn a_websocket_route_takes_no_key_it_cannot_honour() {
    use cors_runtime::rules::check_websocket;

    let socket = PolicyInput {
        origins: &["https://app.example.com"],
        route_methods: &["GET"],
        ..PolicyInput::default()
    };
    assert_eq!(check_websocket(&socket), vec![]);
    // `*` lets every page open the socket: allowed, and the guide says what it means.
    assert_eq!(
        check_websocket(&PolicyInput {
            origins: &["*"],
            ..socket
        }),
        vec![]
    );
    let everything = PolicyInput {
        origins: &["https://app.example.com", "null"],
        route_methods: &["GET", "POST"],
        methods: Some(&["GET"]),
        headers: &["x-request-id"],
        expose: &["x-total"],
        credentials: true,
        max_age: Some(600),
        private_network: true,
        ..socket
    };
    let items: Vec<Option<Item>> = check_websocket(&everything)
        .into_iter()
        .map(|e| e.item)
        .collect();
    assert_eq!(
        items,
        [
            Item::Websocket,
            Item::Origin(1),
            Item::Key("methods"),
            Item::Key("headers"),
            Item::Key("expose"),
            Item::Key("credentials"),
            Item::Key("max_age"),
            Item::Key("private_network"),
        ]
        .map(Some)
    );
}
