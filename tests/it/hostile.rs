//! Hostile input through a real actix-web `App`: oversized, non-UTF-8, control-byte,
//! repeated and empty CORS request headers. Each request gets a well-formed answer with an exact
//! status (a denial where one is due), nothing panics, and the work and the output are bounded:
//! an `Access-Control-Request-Headers` over 4096 bytes is refused unparsed, and a request value
//! is quoted in the 403 body and the log record as at most 128 printable bytes, so both stay
//! under a fixed size whatever the request held.
//!
//! `HeaderValue::from_bytes` admits what an HTTP/1 parser hands over: visible ASCII, spaces,
//! horizontal tabs and obs-text (0x80-0xFF). Other control bytes (NUL, CR, LF, DEL) never reach
//! a handler: `controls_never_reach_the_app` pins that they cannot be put in a header value.

use actix_route_cors::cors;
use actix_web::http::header::HeaderValue;
use actix_web::http::{Method, StatusCode};
use actix_web::test::{init_service, TestRequest};
use actix_web::{get, put, routes, App, HttpResponse, Responder};

use crate::support::{send, Response, PREFLIGHT_VARY};

const APP: &str = "https://app.example.com";
const ALLOWED_ORIGINS: &str = "https://app.example.com, https://*.example.org";
/// The most a 403 body or a log record may be for the policies of this file: the fixed words,
/// the policy's own lists, and 128 quoted request bytes of up to 4 characters (`\xNN`) each.
const MAX_EXPLANATION: usize = 1024;
/// The documented limit on `Access-Control-Request-Headers`, all fields together.
const LIMIT: usize = 4096;

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    headers = ["content-type", "x-request-id"],
    expose = ["x-total"],
    credentials,
    max_age = 600
)]
#[routes]
#[get("/items")]
#[put("/items")]
async fn items() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-total", "3"))
        .body("items")
}

#[cors(origins = ["*"], headers = ["*"])]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok().body("public")
}

/// A header value of arbitrary bytes (panics, failing the test, if `http` refuses them).
fn value(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_bytes(bytes).expect("a header value HTTP/1 can carry")
}

/// `OPTIONS path` with the given fields (each `(name, value)` appended, repeats allowed).
fn options(path: &str, fields: &[(&str, &[u8])]) -> TestRequest {
    fields.iter().fold(
        TestRequest::default().method(Method::OPTIONS).uri(path),
        |req, (name, v)| req.append_header((*name, value(v))),
    )
}

/// `GET path` with the given fields.
fn get_with(path: &str, fields: &[(&str, &[u8])]) -> TestRequest {
    fields
        .iter()
        .fold(TestRequest::get().uri(path), |req, (name, v)| {
            req.append_header((*name, value(v)))
        })
}

/// The app under test: both routes.
macro_rules! app {
    () => {
        init_service(App::new().service(items).service(public)).await
    };
}

/// A refused preflight: 403, the exact body, the preflight `Vary`, no CORS header, one log
/// record of bounded size that gives the same reason.
fn assert_refused(res: &Response, reason: &str) {
    assert_eq!(res.status, StatusCode::FORBIDDEN, "body: {}", res.text());
    assert_eq!(res.text(), format!("CORS preflight refused: {reason}\n"));
    assert_eq!(res.one("content-type"), "text/plain; charset=utf-8");
    assert_eq!(res.one("vary"), PREFLIGHT_VARY);
    res.assert_no_cors_headers();
    assert!(
        res.body.len() <= MAX_EXPLANATION,
        "{} bytes",
        res.body.len()
    );
    let log = res.assert_one_log_containing(&[reason]);
    assert!(
        log.len() <= MAX_EXPLANATION,
        "log record of {} bytes",
        log.len()
    );
    assert!(
        !log.contains(['\n', '\r']),
        "log record {log:?} spans lines"
    );
}

/// An allowed preflight of `/items`: 204 and exactly the policy's headers.
fn assert_items_preflight_allowed(res: &Response, origin: &str) {
    assert_eq!(res.status, StatusCode::NO_CONTENT, "body: {}", res.text());
    assert_eq!(res.one("access-control-allow-origin"), origin);
    assert_eq!(res.one("access-control-allow-credentials"), "true");
    assert_eq!(res.one("access-control-allow-methods"), "GET, PUT");
    assert_eq!(
        res.one("access-control-allow-headers"),
        "content-type, x-request-id"
    );
    assert_eq!(res.one("access-control-max-age"), "600");
    assert_eq!(res.one("vary"), PREFLIGHT_VARY);
    assert_eq!(
        res.cors_header_names(),
        [
            "access-control-allow-credentials",
            "access-control-allow-headers",
            "access-control-allow-methods",
            "access-control-allow-origin",
            "access-control-max-age",
        ]
    );
    assert!(res.body.is_empty());
    res.assert_no_cors_log();
}

/// A denied actual request of `/items`: the handler's 200, no CORS header, `Vary: Origin`, one
/// bounded log record naming `reason`.
fn assert_actual_denied(res: &Response, reason: &str) {
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "items");
    res.assert_no_cors_headers();
    assert_eq!(res.one("vary"), "Origin");
    let log = res.assert_one_log_containing(&[reason]);
    assert!(
        log.len() <= MAX_EXPLANATION,
        "log record of {} bytes",
        log.len()
    );
    assert!(
        !log.contains(['\n', '\r']),
        "log record {log:?} spans lines"
    );
}

/// A preflight that selects no resource (its requested method is served by no handler, or it
/// is no preflight): 404, no CORS header, nothing logged.
fn assert_not_found(res: &Response) {
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    res.assert_no_cors_headers();
    res.assert_no_cors_log();
}

// ---------------------------------------------------------------------------------------------
// An 8 KiB Origin
// ---------------------------------------------------------------------------------------------

fn origin_8k() -> Vec<u8> {
    let mut o = b"https://".to_vec();
    o.resize(8192, b'a');
    o
}

/// The first 128 bytes of `o`, as the explanation quotes them, with the ellipsis.
fn quoted_128(o: &[u8]) -> String {
    format!("{}…", String::from_utf8_lossy(&o[..128]))
}

#[actix_web::test]
async fn origin_of_8_kib_is_refused_with_a_bounded_explanation() {
    let app = app!();
    let origin = origin_8k();
    let reason = format!(
        "origin `{}` is not allowed (allowed origins: {ALLOWED_ORIGINS})",
        quoted_128(&origin)
    );

    let res = send(
        &app,
        get_with("/items", &[("origin", &origin)]).to_request(),
    )
    .await;
    assert_actual_denied(&res, &reason);

    let res = send(
        &app,
        options(
            "/items",
            &[
                ("origin", &origin),
                ("access-control-request-method", b"PUT"),
            ],
        )
        .to_request(),
    )
    .await;
    assert_refused(&res, &reason);
}

#[actix_web::test]
async fn origin_of_8_kib_under_a_wildcard_is_not_one_label() {
    let app = app!();
    // `https://` + 8172 letters + `.example.org`: the pattern's prefix and suffix, but far more
    // than one 63-byte label between them.
    let mut origin = b"https://".to_vec();
    origin.resize(8192 - ".example.org".len(), b'a');
    origin.extend_from_slice(b".example.org");
    assert_eq!(origin.len(), 8192);
    let reason = format!(
        "origin `{}` is not allowed (allowed origins: {ALLOWED_ORIGINS})",
        quoted_128(&origin)
    );
    let res = send(
        &app,
        get_with("/items", &[("origin", &origin)]).to_request(),
    )
    .await;
    assert_actual_denied(&res, &reason);
}

#[actix_web::test]
async fn origin_of_8_kib_gets_star_not_an_echo_from_a_public_route() {
    let app = app!();
    let res = send(
        &app,
        get_with("/public", &[("origin", &origin_8k())]).to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.one("access-control-allow-origin"), "*");
    assert_eq!(res.cors_header_names(), ["access-control-allow-origin"]);
    res.assert_absent("vary");
    res.assert_no_cors_log();
}

// ---------------------------------------------------------------------------------------------
// Non-UTF-8 and control bytes in every CORS request header
// ---------------------------------------------------------------------------------------------

#[test]
fn controls_never_reach_the_app() {
    let bad: [&[u8]; 5] = [b"a\x00b", b"a\rb", b"a\nb", b"a\x7fb", b"a\x1bb"];
    for bad in bad {
        assert!(HeaderValue::from_bytes(bad).is_err(), "{bad:?}");
    }
    let ok: [&[u8]; 3] = [b"a\tb", b"\x80\xff", b"caf\xc3\xa9"];
    for ok in ok {
        assert!(HeaderValue::from_bytes(ok).is_ok(), "{ok:?}");
    }
}

#[actix_web::test]
async fn non_utf8_and_tab_in_origin() {
    let app = app!();
    let cases: [(&[u8], &str); 5] = [
        (b"\x80\xff", "\\x80\\xff"),
        (
            b"https://app.example.com\xff",
            "https://app.example.com\\xff",
        ),
        (
            b"https://app\xc3\xa9.example.org",
            "https://app\\xc3\\xa9.example.org",
        ),
        // Not trimmed: an Origin is compared byte for byte.
        (b"https://app.example.com\t", "https://app.example.com\\x09"),
        (b"\thttps://app.example.com", "\\x09https://app.example.com"),
    ];
    for (origin, quoted) in cases {
        let reason =
            format!("origin `{quoted}` is not allowed (allowed origins: {ALLOWED_ORIGINS})");
        let res = send(&app, get_with("/items", &[("origin", origin)]).to_request()).await;
        assert_actual_denied(&res, &reason);
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", origin),
                    ("access-control-request-method", b"GET"),
                ],
            )
            .to_request(),
        )
        .await;
        assert_refused(&res, &reason);
    }
}

#[actix_web::test]
async fn non_utf8_and_tab_in_the_requested_method() {
    let app = app!();
    // A requested method no handler serves selects no preflight resource.
    let methods: [&[u8]; 4] = [b"\x80", b"PUT\xff", b"P\tUT", b"\xc3\xa9"];
    for method in methods {
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", method),
                ],
            )
            .to_request(),
        )
        .await;
        assert_not_found(&res);
    }
}

#[actix_web::test]
async fn non_utf8_and_control_bytes_in_the_requested_headers() {
    let app = app!();
    let cases: [(&[u8], &str); 4] = [
        (b"\x80", "\\x80"),
        (b"content-type, x-\xffid", "x-\\xffid"),
        (b"x-re\tquest-id", "x-re\\x09quest-id"),
        (b"caf\xc3\xa9", "caf\\xc3\\xa9"),
    ];
    for (list, quoted) in cases {
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", b"PUT"),
                    ("access-control-request-headers", list),
                ],
            )
            .to_request(),
        )
        .await;
        assert_refused(
            &res,
            &format!(
                "`Access-Control-Request-Headers` contains `{quoted}`, which is not a header name"
            ),
        );
    }
    // Tabs and spaces around names are optional whitespace: trimmed.
    let res = send(
        &app,
        options(
            "/items",
            &[
                ("origin", APP.as_bytes()),
                ("access-control-request-method", b"PUT"),
                (
                    "access-control-request-headers",
                    b"\tx-request-id,\t content-type \t",
                ),
            ],
        )
        .to_request(),
    )
    .await;
    assert_items_preflight_allowed(&res, APP);
}

#[actix_web::test]
async fn non_utf8_and_tab_in_the_private_network_request() {
    let app = app!();
    // Anything but `true` is not a private-network request: the preflight is answered without
    // `Access-Control-Allow-Private-Network`.
    let values: [&[u8]; 4] = [b"\x80\xff", b"true\xff", b"\ttrue", b"TRUE"];
    for v in values {
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", b"GET"),
                    ("access-control-request-private-network", v),
                ],
            )
            .to_request(),
        )
        .await;
        assert_items_preflight_allowed(&res, APP);
    }
}

// ---------------------------------------------------------------------------------------------
// Huge Access-Control-Request-Headers
// ---------------------------------------------------------------------------------------------

async fn preflight_with_lists(lists: &[&[u8]]) -> Response {
    let app = app!();
    let mut fields: Vec<(&str, &[u8])> = vec![
        ("origin", APP.as_bytes()),
        ("access-control-request-method", b"PUT"),
    ];
    fields.extend(lists.iter().map(|l| ("access-control-request-headers", *l)));
    send(&app, options("/items", &fields).to_request()).await
}

fn too_long(len: usize) -> String {
    format!("`Access-Control-Request-Headers` is {len} bytes long, over the limit of {LIMIT}")
}

#[actix_web::test]
async fn request_headers_of_64_kib_are_refused_as_too_long() {
    let mut list = b"x-request-id, ".repeat(65536 / 14 + 1);
    list.truncate(65536);
    let res = preflight_with_lists(&[&list]).await;
    assert_refused(&res, &too_long(65536));

    // Split over 16 fields of 4 KiB: the limit counts all fields together.
    let chunk = vec![b'a'; 4096];
    let res = preflight_with_lists(&[&chunk[..]; 16]).await;
    assert_refused(&res, &too_long(65536));
}

#[actix_web::test]
async fn request_headers_of_10000_names_are_refused_as_too_long() {
    // 10,000 allowed names in one field.
    let names = vec!["x-request-id"; 10_000].join(", ");
    let res = preflight_with_lists(&[names.as_bytes()]).await;
    assert_refused(&res, &too_long(names.len()));

    // 10,000 fields of one short name each.
    let res = preflight_with_lists(&[&b"x1"[..]; 10_000]).await;
    assert_refused(&res, &too_long(20_000));

    // 10,000 names of one byte, within the limit in bytes? No: 19,999 with commas.
    let tiny = vec!["a"; 10_000].join(",");
    let res = preflight_with_lists(&[tiny.as_bytes()]).await;
    assert_refused(&res, &too_long(19_999));
}

// ---------------------------------------------------------------------------------------------
// The largest list allowed: exactly 4096 bytes
// ---------------------------------------------------------------------------------------------

/// `content-type, x-request-id, ...` cut and padded with commas to exactly `len` bytes.
fn allowed_list(len: usize) -> Vec<u8> {
    let mut list = b"content-type, x-request-id, ".repeat(len / 28);
    list.resize(len, b',');
    list
}

#[actix_web::test]
async fn a_list_of_exactly_4096_bytes_is_parsed_and_allowed() {
    let list = allowed_list(LIMIT);
    assert_eq!(list.len(), 4096);
    let res = preflight_with_lists(&[&list]).await;
    assert_items_preflight_allowed(&res, APP);

    // Across two fields: 2048 + 2048.
    let half = allowed_list(LIMIT / 2);
    let res = preflight_with_lists(&[&half, &half]).await;
    assert_items_preflight_allowed(&res, APP);

    // 4096 commas: no name at all, nothing to refuse.
    let commas = vec![b','; LIMIT];
    let res = preflight_with_lists(&[&commas]).await;
    assert_items_preflight_allowed(&res, APP);

    // With `*`: 1024 distinct-looking names of 3 bytes and a comma each.
    let app = app!();
    let names = b"x-a,".repeat(LIMIT / 4);
    let res = send(
        &app,
        options(
            "/public",
            &[
                ("origin", origin_8k().as_slice()),
                ("access-control-request-method", b"GET"),
                ("access-control-request-headers", &names),
            ],
        )
        .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(res.one("access-control-allow-origin"), "*");
    assert_eq!(res.one("access-control-allow-headers"), "*");
    assert_eq!(res.one("access-control-allow-methods"), "GET");
    assert_eq!(
        res.cors_header_names(),
        [
            "access-control-allow-headers",
            "access-control-allow-methods",
            "access-control-allow-origin",
        ]
    );
    res.assert_no_cors_log();
}

#[actix_web::test]
async fn one_byte_over_4096_is_refused() {
    let list = allowed_list(LIMIT + 1);
    let res = preflight_with_lists(&[&list]).await;
    assert_refused(&res, &too_long(4097));

    let half = allowed_list(LIMIT / 2);
    let res = preflight_with_lists(&[&half, &half, b","]).await;
    assert_refused(&res, &too_long(4097));
}

#[actix_web::test]
async fn a_4096_byte_list_ending_in_a_long_unknown_name_quotes_128_bytes() {
    // 3,800 bytes of allowed names, then one 296-byte name the policy does not list.
    let mut list = allowed_list(3800);
    let mut name = b"x-".to_vec();
    name.resize(LIMIT - list.len(), b'z');
    list.extend_from_slice(&name);
    assert_eq!(list.len(), LIMIT);
    let res = preflight_with_lists(&[&list]).await;
    assert_refused(
        &res,
        &format!(
            "request header `{}` is not allowed (allowed headers: content-type, x-request-id)",
            quoted_128(&name)
        ),
    );

    // The same with a malformed name: quoted as `\xNN`, still at most 128 request bytes.
    let mut list = allowed_list(3800);
    list.resize(LIMIT, 0xff);
    let res = preflight_with_lists(&[&list]).await;
    assert_refused(
        &res,
        &format!(
            "`Access-Control-Request-Headers` contains `{}…`, which is not a header name",
            "\\xff".repeat(128)
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Repeated fields and an empty method
// ---------------------------------------------------------------------------------------------

const SEVERAL_ORIGINS: &str = "the request has several `Origin` headers, which match no origin";

#[actix_web::test]
async fn repeated_origin_fields_match_no_origin() {
    let app = app!();
    let long = origin_8k();
    let seconds: [&[u8]; 3] = [APP.as_bytes(), b"https://evil.example", &long];
    for second in seconds {
        let origins = [("origin", APP.as_bytes()), ("origin", second)];
        let res = send(&app, get_with("/items", &origins).to_request()).await;
        assert_actual_denied(&res, SEVERAL_ORIGINS);

        let mut fields = origins.to_vec();
        fields.push(("access-control-request-method", b"GET"));
        let res = send(&app, options("/items", &fields).to_request()).await;
        assert_refused(&res, SEVERAL_ORIGINS);
    }
    // Even where any origin is allowed: two origins are not one.
    let res = send(
        &app,
        get_with(
            "/public",
            &[("origin", APP.as_bytes()), ("origin", APP.as_bytes())],
        )
        .to_request(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.text(), "public");
    res.assert_no_cors_headers();
    res.assert_one_log_containing(&[SEVERAL_ORIGINS]);
}

#[actix_web::test]
async fn repeated_request_method_fields_are_refused() {
    let app = app!();
    let reason = "the preflight has several `Access-Control-Request-Method` headers";
    let pairs: [(&[u8], &[u8]); 3] = [(b"PUT", b"PUT"), (b"PUT", b"DELETE"), (b"\x80", b"GET")];
    for (a, b) in pairs {
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", a),
                    ("access-control-request-method", b),
                ],
            )
            .to_request(),
        )
        .await;
        assert_refused(&res, reason);
    }
    // Neither field names a method of the route: no preflight resource is selected.
    let res = send(
        &app,
        options(
            "/items",
            &[
                ("origin", APP.as_bytes()),
                ("access-control-request-method", b"DELETE"),
                ("access-control-request-method", b"PATCH"),
            ],
        )
        .to_request(),
    )
    .await;
    assert_not_found(&res);
}

#[actix_web::test]
async fn an_empty_method_selects_no_preflight() {
    let app = app!();
    let methods: [&[u8]; 3] = [b"", b" ", b"\t"];
    for method in methods {
        let res = send(
            &app,
            options(
                "/items",
                &[
                    ("origin", APP.as_bytes()),
                    ("access-control-request-method", method),
                ],
            )
            .to_request(),
        )
        .await;
        assert_not_found(&res);
    }
    // An empty method beside a real one: two fields.
    let res = send(
        &app,
        options(
            "/items",
            &[
                ("origin", APP.as_bytes()),
                ("access-control-request-method", b""),
                ("access-control-request-method", b"GET"),
            ],
        )
        .to_request(),
    )
    .await;
    assert_refused(
        &res,
        "the preflight has several `Access-Control-Request-Method` headers",
    );
}

#[actix_web::test]
async fn empty_origin_and_empty_list() {
    let app = app!();
    let reason = format!("origin `` is not allowed (allowed origins: {ALLOWED_ORIGINS})");
    let res = send(&app, get_with("/items", &[("origin", b"")]).to_request()).await;
    assert_actual_denied(&res, &reason);
    let res = send(
        &app,
        options(
            "/items",
            &[("origin", b""), ("access-control-request-method", b"GET")],
        )
        .to_request(),
    )
    .await;
    assert_refused(&res, &reason);

    // An empty `Access-Control-Request-Headers` asks for nothing.
    let res = preflight_with_lists(&[b""]).await;
    assert_items_preflight_allowed(&res, APP);
}
