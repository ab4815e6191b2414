//! `cors-check --probe` against deliberately vulnerable servers, each of which the probe must
//! report by its class with exit status 1: plain actix-web routes that decide CORS by hand, one
//! route per flaw (and a careful one, which must give no finding), and a raw TCP server for the
//! control bytes that actix-web's parser refuses. Then against the quickstart's API
//! (`examples/quickstart/api.rs`, served as `tests/deployment.rs` serves it), which must give
//! no finding on any of its routes.

use std::time::Duration;

use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::support::{actix, cors_check, pki, raw, response, tls_proxy, Run};

#[path = "../../../examples/quickstart/api.rs"]
mod api;

/// The origin every vulnerable route means to allow.
const APP: &str = "https://app.example.com";

/// How a route decides: from the values of the request's `Origin` fields, the
/// `Access-Control-Allow-Origin` it sends (`None`: the origin is refused).
type Decide = fn(&[&str]) -> Option<String>;

/// One CORS implementation written by hand, with the flaw its fields say.
#[derive(Clone, Copy)]
struct Flaw {
    decide: Decide,
    /// `Access-Control-Allow-Credentials: true` with an allowed origin.
    credentials: bool,
    /// `Vary: Origin` on every answer.
    vary: bool,
    /// A preflight may ask for any request headers, however many (the list is echoed).
    any_headers: bool,
    /// A preflight takes this long per 100 request-header names asked for.
    delay_per_100_names: Duration,
}

/// The one origin, byte for byte, from a request with one `Origin` field.
fn exactly(origins: &[&str]) -> Option<String> {
    one(origins, |o| o == APP)
}

/// The request's one origin, when `accept` accepts it (several fields: refused).
fn one(origins: &[&str], accept: fn(&str) -> bool) -> Option<String> {
    match origins {
        [origin] if accept(origin) => Some((*origin).to_owned()),
        _ => None,
    }
}

/// The careful implementation: the flaws below each change one thing of it.
const CAREFUL: Flaw = Flaw {
    decide: exactly,
    credentials: true,
    vary: true,
    any_headers: false,
    delay_per_100_names: Duration::ZERO,
};

/// Each route and its flaw.
const ROUTES: &[(&str, Flaw)] = &[
    ("/careful", CAREFUL),
    // `origin.starts_with(allowed)`: the allowed origin with anything after it.
    (
        "/starts-with",
        Flaw {
            decide: |o| one(o, |o| o.starts_with(APP)),
            ..CAREFUL
        },
    ),
    // `origin.ends_with(allowed host)`: anything before the host, a host under the same site.
    (
        "/ends-with",
        Flaw {
            decide: |o| one(o, |o| o.ends_with("app.example.com")),
            ..CAREFUL
        },
    ),
    // `origin.ends_with(site)`, meant as "our own domain": `evilexample.com` too.
    (
        "/ends-with-site",
        Flaw {
            decide: |o| one(o, |o| o.ends_with("example.com")),
            ..CAREFUL
        },
    ),
    // The regular expression `^https://app.example.com$`, its dots unescaped.
    (
        "/unescaped-dot",
        Flaw {
            decide: |o| one(o, |o| regex_like_dots("https://app.example.com", o)),
            ..CAREFUL
        },
    ),
    // `null` trusted, as for a local file.
    (
        "/null",
        Flaw {
            decide: |o| one(o, |o| o == APP || o == "null"),
            ..CAREFUL
        },
    ),
    // Any origin reflected, with credentials.
    (
        "/reflect-any",
        Flaw {
            decide: |o| one(o, |_| true),
            ..CAREFUL
        },
    ),
    // The right origin reflected, without `Vary: Origin`.
    (
        "/no-vary",
        Flaw {
            vary: false,
            ..CAREFUL
        },
    ),
    // `*` for everyone, with credentials.
    (
        "/star-credentials",
        Flaw {
            decide: |_| Some("*".to_owned()),
            vary: false,
            ..CAREFUL
        },
    ),
    // `http://` accepted for the https origin.
    (
        "/http-too",
        Flaw {
            decide: |o| one(o, |o| o == APP || o == "http://app.example.com"),
            ..CAREFUL
        },
    ),
    // Any port of the allowed host.
    (
        "/any-port",
        Flaw {
            decide: |o| {
                one(o, |o| {
                    o == APP
                        || o.strip_prefix(APP)
                            .and_then(|rest| rest.strip_prefix(':'))
                            .is_some_and(|port| port.parse::<u16>().is_ok())
                })
            },
            ..CAREFUL
        },
    ),
    // A case-insensitive comparison.
    (
        "/any-case",
        Flaw {
            decide: |o| one(o, |o| o.eq_ignore_ascii_case(APP)),
            ..CAREFUL
        },
    ),
    // A trailing dot of the host ignored.
    (
        "/trailing-dot",
        Flaw {
            decide: |o| one(o, |o| o.trim_end_matches('.') == APP),
            ..CAREFUL
        },
    ),
    // Every host under the parent domain (`*.example.com`, meant for the company's own).
    (
        "/any-subdomain",
        Flaw {
            decide: |o| {
                one(o, |o| {
                    o.starts_with("https://") && o.ends_with(".example.com")
                })
            },
            ..CAREFUL
        },
    ),
    // The first of several `Origin` fields, as `HeaderMap::get` gives it.
    (
        "/first-origin",
        Flaw {
            decide: |o| o.first().filter(|o| **o == APP).map(|o| (*o).to_owned()),
            ..CAREFUL
        },
    ),
    // Any request headers allowed, the list echoed whatever its size.
    (
        "/any-headers",
        Flaw {
            any_headers: true,
            ..CAREFUL
        },
    ),
    // Work per request-header name: a preflight that asks for many is slow (then refused).
    (
        "/slow-headers",
        Flaw {
            delay_per_100_names: Duration::from_millis(100),
            ..CAREFUL
        },
    ),
];

/// `pattern` as a regular expression whose `.` matches any character, anchored.
fn regex_like_dots(pattern: &str, origin: &str) -> bool {
    pattern.len() == origin.len()
        && pattern
            .bytes()
            .zip(origin.bytes())
            .all(|(p, o)| p == b'.' || p == o)
}

/// Answers an actual request or a preflight as `flaw` decides.
async fn answer(req: HttpRequest, flaw: Flaw) -> HttpResponse {
    let headers = req.headers();
    let origins: Vec<&str> = headers
        .get_all("origin")
        .filter_map(|v| v.to_str().ok())
        .collect();
    let preflight =
        req.method() == Method::OPTIONS && headers.contains_key("access-control-request-method");
    let asked = headers
        .get("access-control-request-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let names = asked.split(',').filter(|n| !n.trim().is_empty()).count();
    if preflight && !flaw.delay_per_100_names.is_zero() {
        let hundreds = u32::try_from(names / 100).unwrap_or(u32::MAX);
        actix_web::rt::time::sleep(flaw.delay_per_100_names * hundreds).await;
    }
    let allowed = (flaw.decide)(&origins);
    let granted = allowed.is_some() && (names == 0 || flaw.any_headers);
    let mut res = match (preflight, granted) {
        (false, _) => HttpResponse::Ok(),
        (true, true) => HttpResponse::NoContent(),
        (true, false) => HttpResponse::Forbidden(),
    };
    if let Some(acao) = allowed.filter(|_| !preflight || granted) {
        res.insert_header(("access-control-allow-origin", acao));
        if flaw.credentials {
            res.insert_header(("access-control-allow-credentials", "true"));
        }
        if preflight {
            res.insert_header(("access-control-allow-methods", "GET, PUT"));
            if names > 0 {
                res.insert_header(("access-control-allow-headers", asked));
            }
        }
    }
    if flaw.vary {
        res.insert_header(("vary", "Origin"));
    }
    res.body(if preflight { "" } else { "{\"secret\":42}" })
}

fn routes(cfg: &mut web::ServiceConfig) {
    for &(path, flaw) in ROUTES {
        cfg.route(
            path,
            web::route().to(move |req: HttpRequest| answer(req, flaw)),
        );
    }
}

/// A raw server that cuts the `Origin` value at its first control byte (as C string handling
/// or a lenient line reader does), then compares it with the allowed origin.
fn cuts_at_control_bytes(head: &str) -> String {
    let origin = head.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("origin")
            .then(|| value.trim_start())
    });
    let cut = origin.and_then(|o| o.split(['\0', '\r', '\n']).next());
    let preflight = head.starts_with("OPTIONS ");
    match (cut == Some(APP), preflight) {
        (true, true) => response(
            "204 No Content",
            &[
                "Access-Control-Allow-Origin: https://app.example.com",
                "Access-Control-Allow-Credentials: true",
                "Access-Control-Allow-Methods: GET",
                "Vary: Origin",
            ],
            "",
        ),
        (true, false) => response(
            "200 OK",
            &[
                "Access-Control-Allow-Origin: https://app.example.com",
                "Access-Control-Allow-Credentials: true",
                "Vary: Origin",
            ],
            "{}",
        ),
        (false, true) => response("403 Forbidden", &["Vary: Origin"], ""),
        (false, false) => response("200 OK", &["Vary: Origin"], "{}"),
    }
}

/// Runs the probe on `url` with the allowed origin `origin`.
fn probe(url: &str, origin: &str) -> Run {
    cors_check(&["--probe", url, "--origin", origin])
}

/// The finding lines of a run: `(severity, class, message)`.
fn findings(run: &Run) -> Vec<(&str, &str, &str)> {
    run.stdout
        .lines()
        .filter_map(|line| {
            let (severity, rest) = line.split_once("  ")?;
            let severity = severity.trim_end();
            if !matches!(severity, "HIGH" | "MEDIUM" | "LOW") {
                return None;
            }
            let (class, message) = rest.trim_start().split_once("  ")?;
            Some((severity, class, message))
        })
        .collect()
}

/// Asserts exit status 1 and a finding of `class` with `severity`; returns its message.
fn assert_finding<'a>(run: &'a Run, severity: &str, class: &str) -> &'a str {
    run.assert_code(1);
    findings(run)
        .into_iter()
        .find(|(s, c, _)| *s == severity && *c == class)
        .map(|(_, _, message)| message)
        .unwrap_or_else(|| panic!("no {severity} {class} finding in:\n{run}"))
}

/// Probes a route of the vulnerable server from the allowed origin.
fn probe_route(path: &str) -> Run {
    let server = actix(routes);
    probe(&server.url(path), APP)
}

#[test]
fn a_careful_server_gives_no_finding() {
    let run = probe_route("/careful");
    run.assert_code(0);
    assert!(findings(&run).is_empty(), "{run}");
    run.assert_line("Summary: no finding (39 requests).");
}

#[test]
fn suffix_match() {
    let run = probe_route("/starts-with");
    let message = assert_finding(&run, "HIGH", "suffix-match");
    assert_eq!(
        message,
        "Origin https://app.example.com.evil.test is allowed with credentials (GET 200 and preflight for GET 204: Access-Control-Allow-Origin echoes it, Access-Control-Allow-Credentials: true): anyone who registers a domain to put after the allowed origin reads the answer"
    );
    run.assert_line("Summary: 3 findings (1 HIGH, 1 MEDIUM, 1 LOW) in 39 requests.");
}

#[test]
fn prefix_match() {
    // A prefix to the host gives a host under the same site: a foothold there is needed.
    let run = probe_route("/ends-with");
    let message = assert_finding(&run, "MEDIUM", "prefix-match");
    assert!(
        message.starts_with("Origin https://evilapp.example.com is allowed with credentials"),
        "{run}"
    );
    assert!(message.ends_with(": whoever controls a host under example.com (an XSS, a taken-over subdomain) reads the answer"), "{run}");
    // A prefix to the site gives a domain anyone can register.
    let run = probe_route("/ends-with-site");
    let message = assert_finding(&run, "HIGH", "prefix-match");
    assert!(
        message.starts_with("Origin https://evilexample.com is allowed with credentials"),
        "{run}"
    );
    assert!(
        message.ends_with(": anyone who registers evilexample.com reads the answer"),
        "{run}"
    );
}

#[test]
fn unescaped_dot() {
    let run = probe_route("/unescaped-dot");
    // Each dot is an attempt of its own: both are let through, but only the first gives a
    // name anyone can register.
    let message = assert_finding(&run, "HIGH", "unescaped-dot");
    assert!(
        message.starts_with("Origin https://appxexample.com is"),
        "{run}"
    );
    let message = assert_finding(&run, "LOW", "unescaped-dot");
    assert!(
        message.starts_with("Origin https://app.examplexcom is"),
        "{run}"
    );
}

#[test]
fn null_trusted() {
    assert_finding(&probe_route("/null"), "HIGH", "null-origin");
}

#[test]
fn any_origin_reflected_with_credentials() {
    let run = probe_route("/reflect-any");
    let message = assert_finding(&run, "HIGH", "any-origin");
    assert!(
        message.starts_with("Origin https://evil.test is allowed with credentials"),
        "{run}"
    );
    // The other origins tried are named on that line, not each on its own.
    assert!(message.contains("12 more origins tried are let through as well (suffix-match, prefix-match, unescaped-dot, null-origin, http-downgrade, other-port, letter-case, trailing-dot, subdomain, sibling-subdomain)"), "{run}");
    assert_eq!(findings(&run).len(), 1, "{run}");
}

#[test]
fn reflection_without_vary() {
    let run = probe_route("/no-vary");
    let message = assert_finding(&run, "MEDIUM", "missing-vary");
    assert!(
        message.starts_with("GET from https://app.example.com answers Access-Control-Allow-Origin: https://app.example.com without Vary: Origin, and other origins get none"),
        "{message}"
    );
}

#[test]
fn star_with_credentials() {
    let run = probe_route("/star-credentials");
    assert_finding(&run, "LOW", "wildcard-credentials");
    // `*` is a public answer, not a grant to each origin tried.
    assert_eq!(findings(&run).len(), 1, "{run}");
}

#[test]
fn http_downgrade() {
    assert_finding(&probe_route("/http-too"), "MEDIUM", "http-downgrade");
}

#[test]
fn any_port() {
    assert_finding(&probe_route("/any-port"), "MEDIUM", "other-port");
}

#[test]
fn case_insensitive_comparison() {
    assert_finding(&probe_route("/any-case"), "LOW", "letter-case");
}

#[test]
fn trailing_dot() {
    assert_finding(&probe_route("/trailing-dot"), "LOW", "trailing-dot");
}

#[test]
fn any_subdomain_of_the_parent() {
    let run = probe_route("/any-subdomain");
    assert_finding(&run, "MEDIUM", "sibling-subdomain");
    assert_finding(&run, "MEDIUM", "subdomain");
}

#[test]
fn first_of_several_origin_fields() {
    let run = probe_route("/first-origin");
    let message = assert_finding(&run, "LOW", "multiple-origins");
    assert!(
        message.starts_with("2 Origin fields in one request (https://app.example.com, https://evil.test) are allowed with credentials (GET 200 and preflight for GET 204: Access-Control-Allow-Origin: https://app.example.com, Access-Control-Allow-Credentials: true)"),
        "{message}"
    );
}

#[test]
fn any_request_header_list_accepted() {
    let run = probe_route("/any-headers");
    let message = assert_finding(&run, "LOW", "request-headers-unbounded");
    assert!(
        message.starts_with("a preflight for GET from https://app.example.com asking for 1200 request headers (6089 bytes of Access-Control-Request-Headers) is allowed (204)"),
        "{message}"
    );
}

#[test]
fn request_header_list_slow() {
    let run = probe_route("/slow-headers");
    let message = assert_finding(&run, "MEDIUM", "request-headers-slow");
    assert!(
        message.contains(" at best of 3 tries, a normal preflight "),
        "{message}"
    );
    // Refused in the end: only the time is a finding.
    assert_eq!(findings(&run).len(), 1, "{run}");
}

#[test]
fn control_bytes_cut_off() {
    let server = raw(cuts_at_control_bytes);
    let run = probe(&server.url("/"), APP);
    let cut = findings(&run)
        .into_iter()
        .filter(|(s, c, _)| (*s, *c) == ("LOW", "control-bytes"))
        .count();
    assert_eq!(cut, 3, "NUL, CR and LF each:\n{run}");
    assert_finding(&run, "LOW", "control-bytes");
    // The raw bytes went out as they are.
    let requests = server.requests();
    for bytes in ["\0", "\r", "\n"] {
        let sent = format!("Origin: {APP}{bytes}.evil.test\r\n");
        assert!(
            requests.iter().any(|r| r.contains(&sent)),
            "{sent:?} not sent"
        );
    }
}

#[test]
fn over_https_with_a_private_ca() {
    let pki = pki("probe");
    let server = actix(routes);
    let tls = tls_proxy(server.addr(), pki.server.clone());
    let url = tls.url("localhost", "/starts-with");
    let ca = pki.ca_file.to_str().expect("a UTF-8 path");
    assert_finding(
        &cors_check(&["--probe", &url, "--origin", APP, "--cacert", ca]),
        "HIGH",
        "suffix-match",
    );
    // Without the CA, the certificate is refused, as in the other modes.
    let run = probe(&url, APP);
    run.assert_code(2);
    assert!(
        run.stderr.contains("net::ERR_CERT_AUTHORITY_INVALID"),
        "{run}"
    );
}

#[test]
fn usage_and_network_errors() {
    let server = actix(routes);
    let url = server.url("/careful");
    for (origin, error) in [
        ("null", "--probe derives the origins it tries from an http:// or https:// origin the server allows: `null` is not one"),
        ("https://App.example.com", "`https://App.example.com` is not an origin as a browser sends it (no path, no default port, lowercase): did you mean `https://app.example.com`?"),
    ] {
        let run = probe(&url, origin);
        run.assert_code(2);
        assert!(run.stderr.starts_with(&format!("cors-check: {error}\n")), "{run}");
    }
    // A closed port: nothing to probe.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let run = probe(&format!("http://127.0.0.1:{port}/"), APP);
    run.assert_code(2);
    assert!(run.stderr.starts_with("cors-check: network error: GET from https://app.example.com: cannot connect to 127.0.0.1:"), "{run}");
}

/// The quickstart's page origin, which its API allows.
const PAGE: &str = "http://127.0.0.1:8081";

#[test]
fn the_quickstart_gives_no_finding() {
    let server = actix(api::configure);
    for path in ["/items", "/me", "/public", "/partner"] {
        let run = probe(&server.url(path), PAGE);
        run.assert_code(0);
        assert!(findings(&run).is_empty(), "{run}");
        run.assert_line("Summary: no finding (33 requests).");
    }
    // The preflights of its PUT route (the PUT itself is not sent).
    let run = cors_check(&[
        "--probe",
        &server.url("/items/7"),
        "--origin",
        PAGE,
        "--method",
        "PUT",
    ]);
    run.assert_code(0);
    run.assert_line("Summary: no finding (17 requests).");
}
