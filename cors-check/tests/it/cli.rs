//! The command line itself: usage and network errors (exit 2), and exactly what is sent — the
//! request plan of the Fetch standard, seen from a raw server that records every request.

use std::net::TcpListener;

use crate::support::{cors_check, raw, request_line, response};

const APP: &str = "https://app.example.com";

/// Allows everything it is asked for, echoing the preflight's request headers.
fn permissive(head: &str) -> String {
    let field = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let origin = format!("Access-Control-Allow-Origin: {}", field("origin"));
    if request_line(head).0 == "OPTIONS" {
        let methods = format!(
            "Access-Control-Allow-Methods: {}",
            field("access-control-request-method")
        );
        let headers = format!(
            "Access-Control-Allow-Headers: {}",
            field("access-control-request-headers")
        );
        response("204 No Content", &[&origin, &methods, &headers], "")
    } else {
        response("200 OK", &[&origin, "Content-Type: text/plain"], "ok")
    }
}

#[test]
fn usage_errors_exit_2() {
    let run = cors_check(&[]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("cors-check: the URL is missing\n\nUsage: cors-check URL --origin ORIGIN"),
        "{run}"
    );
    assert!(run.stdout.is_empty(), "{run}");

    for (args, message) in [
        (
            vec!["http://127.0.0.1:1/"],
            "cors-check: --origin is missing: the origin of the page that makes the request, e.g. --origin https://app.example.com",
        ),
        (
            vec!["ftp://127.0.0.1:1/", "--origin", APP],
            "cors-check: `ftp://127.0.0.1:1/`: ftp: URLs are not supported, only http:// and https://",
        ),
        (
            vec!["127.0.0.1:8080/x", "--origin", APP],
            "cors-check: `127.0.0.1:8080/x` is not an absolute URL: write http://host/path or https://host/path",
        ),
        (
            vec!["http://127.0.0.1:1/", "--origin", "https://app.example.com/"],
            "cors-check: `https://app.example.com/` is not an origin as a browser sends it (no path, no default port, lowercase): did you mean `https://app.example.com`?",
        ),
        (
            vec!["http://127.0.0.1:1/", "--origin", APP, "-X", "trace"],
            "cors-check: fetch() refuses the method trace (a forbidden method): it throws a TypeError",
        ),
        (
            vec!["http://127.0.0.1:1/", "--origin", APP, "-H", "bad name: x"],
            "cors-check: `bad name` is not a header name: fetch() throws a TypeError",
        ),
        (
            vec!["http://127.0.0.1:1/", "--origin", APP, "--frobnicate"],
            "cors-check: unknown option `--frobnicate`",
        ),
    ] {
        let run = cors_check(&args);
        assert_eq!(run.code, 2, "{args:?}: {run}");
        assert!(run.stderr.starts_with(message), "{args:?}: {run}");
    }
}

#[test]
fn help_and_version_exit_0() {
    let run = cors_check(&["--help"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("Exit status: 0 a browser would allow the request, 1 it would block it (with --engine: that\nengine), 2 usage or network error."), "{run}");
    let run = cors_check(&["-V"]);
    assert_eq!(
        run.stdout,
        format!("cors-check {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn network_errors_exit_2() {
    // A port nobody listens on: bind one, then free it.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/x");
    let run = cors_check(&[&url, "--origin", APP]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.starts_with(&format!(
            "cors-check: network error: cannot connect to 127.0.0.1:{port}:"
        )),
        "{run}"
    );
    assert!(!run.stdout.contains("Verdict"), "{run}");

    // Something that is not HTTP.
    let server = raw(|_| "SSH-2.0-OpenSSH_9.2\r\n".to_owned());
    let run = cors_check(&[&server.url("/"), "--origin", APP]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr.starts_with(
            "cors-check: network error: the server did not answer with HTTP/1.x: its first line is `SSH-2.0-OpenSSH_9.2`"
        ),
        "{run}"
    );
}

#[test]
fn same_origin_requests_are_not_cors() {
    let server = raw(permissive);
    let url = server.url("/x");
    let run = cors_check(&[&url, "--origin", &server.base, "-X", "DELETE"]);
    run.assert_allowed(&server.base).assert_line(&format!(
        "· {url} is on the page's own origin: a same-origin request, no CORS check applies"
    ));
    assert!(server.requests().is_empty());
}

#[test]
fn a_safelisted_request_is_sent_without_preflight() {
    let server = raw(permissive);
    let url = server.url("/form?a=1");
    cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "post",
        "-H",
        "Content-Type: text/plain;charset=UTF-8",
        "-H",
        "Accept-Language: en-US,en;q=0.9",
        "-H",
        "Range: bytes=0-99",
    ])
    .assert_allowed(APP)
    .assert_line("· header `content-type: text/plain;charset=UTF-8` is CORS-safelisted")
    .assert_line("→ no preflight: the request is sent as is, and the browser checks the response");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0],
        format!(
            "POST /form?a=1 HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain;charset=UTF-8\r\nAccept-Language: en-US,en;q=0.9\r\nRange: bytes=0-99\r\nAccept: */*\r\nOrigin: {APP}\r\nUser-Agent: cors-check/{}\r\nSec-Fetch-Mode: cors\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            server.base.trim_start_matches("http://"),
            env!("CARGO_PKG_VERSION"),
        )
    );
}

#[test]
fn the_preflight_is_what_chromium_sends() {
    let server = raw(permissive);
    let url = server.url("/items/1");
    cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "post",
        "-H",
        "X-B: 1",
        "-H",
        "x-a: 2",
        "-H",
        "X-A: 3",
        "-H",
        "content-type: application/json",
        "-H",
        "accept: application/json",
        "-H",
        "cookie: session=1",
    ])
    .assert_allowed(APP)
    .assert_line("! a script cannot set `cookie` (a forbidden request header): the browser leaves it out, and so does cors-check")
    .assert_line("· header `content-type` is not CORS-safelisted: its MIME type is application/json, not one of application/x-www-form-urlencoded, multipart/form-data, text/plain");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(
        requests[0],
        format!(
            "OPTIONS /items/1 HTTP/1.1\r\nHost: {}\r\nAccept: */*\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type,x-a,x-b\r\nOrigin: {APP}\r\nUser-Agent: cors-check/{}\r\nSec-Fetch-Mode: cors\r\nConnection: close\r\n\r\n",
            server.base.trim_start_matches("http://"),
            env!("CARGO_PKG_VERSION"),
        )
    );
    // The actual request: the script's headers (repeated names combined), no cookie.
    let actual = &requests[1];
    assert!(actual.starts_with("POST /items/1 HTTP/1.1\r\n"), "{actual}");
    assert!(actual.contains("\r\nX-B: 1\r\nx-a: 2, 3\r\ncontent-type: application/json\r\naccept: application/json\r\nOrigin: https://app.example.com\r\n"), "{actual}");
    assert!(!actual.to_ascii_lowercase().contains("cookie"), "{actual}");
}

#[test]
fn a_string_body_is_text_plain_unless_told_otherwise() {
    let server = raw(permissive);
    let url = server.url("/notes");
    cors_check(&[&url, "--origin", APP, "-X", "POST", "--data", "hello"])
        .assert_allowed(APP)
        .assert_line("! fetch() adds `Content-Type: text/plain;charset=UTF-8` for a string body")
        .assert_line("> body: hello");
    cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "POST",
        "-d",
        "{}",
        "-H",
        "content-type: application/json",
    ])
    .assert_allowed(APP)
    .assert_line("> Access-Control-Request-Headers: content-type");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(
        requests[0].ends_with(&format!("\r\nContent-Type: text/plain;charset=UTF-8\r\nAccept: */*\r\nOrigin: https://app.example.com\r\nUser-Agent: cors-check/{}\r\nSec-Fetch-Mode: cors\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello", env!("CARGO_PKG_VERSION"))),
        "{requests:?}"
    );
    assert!(requests[1].starts_with("OPTIONS /notes HTTP/1.1\r\n"));
    assert!(requests[2].ends_with("\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));

    let run = cors_check(&[&url, "--origin", APP, "-d", "x"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(
        run.stderr
            .starts_with("cors-check: fetch() refuses a body with GET: it throws a TypeError"),
        "{run}"
    );
}

#[test]
fn methods_are_normalized_only_where_fetch_normalizes_them() {
    let server = raw(permissive);
    let url = server.url("/x");
    cors_check(&[&url, "--origin", APP, "-X", "patch"])
        .assert_allowed(APP)
        .assert_line("! fetch() sends `patch` as written (it uppercases only DELETE, GET, HEAD, OPTIONS, POST and PUT): a server that expects `PATCH` will not match it")
        .assert_line("> Access-Control-Request-Method: patch")
        .assert_line("> patch /x HTTP/1.1");
}
