//! `cors-check` against deliberately misconfigured servers: plain actix-web handlers that set
//! the CORS headers by hand, and raw TCP servers for what actix-web would not send. Each
//! expected console message is the one Chromium 156 prints for the same response.

use crate::support::{actix, cors_check, raw, request_line, response};
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse};

pub const APP: &str = "https://app.example.com";

/// `OPTIONS` answered by `preflight`, every other method by `actual`.
fn both(
    path: &'static str,
    preflight: fn(HttpRequest) -> HttpResponse,
    actual: fn(HttpRequest) -> HttpResponse,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.route(
            path,
            web::route()
                .method(Method::OPTIONS)
                .to(move |r: HttpRequest| async move { preflight(r) }),
        )
        .route(
            path,
            web::route().to(move |r: HttpRequest| async move { actual(r) }),
        );
    }
}

fn acao_app(builder: &mut actix_web::HttpResponseBuilder) -> &mut actix_web::HttpResponseBuilder {
    builder.insert_header(("access-control-allow-origin", APP))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    // No CORS at all.
    cfg.route(
        "/plain",
        web::get().to(|| async { HttpResponse::Ok().body("{}") }),
    );
    // `*` and credentials together.
    cfg.route(
        "/star-credentials",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", "*"))
                .insert_header(("access-control-allow-credentials", "true"))
                .finish()
        }),
    );
    // The origin, but no Access-Control-Allow-Credentials.
    cfg.route(
        "/no-credentials",
        web::get().to(|| async { acao_app(&mut HttpResponse::Ok()).finish() }),
    );
    // The origin with a trailing slash.
    cfg.route(
        "/trailing-slash",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", "https://app.example.com/"))
                .finish()
        }),
    );
    // A comma-separated list of origins in one field.
    cfg.route(
        "/origin-list",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((
                    "access-control-allow-origin",
                    "https://app.example.com, https://admin.example.com",
                ))
                .finish()
        }),
    );
    // A host without a scheme.
    cfg.route(
        "/no-scheme",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", "app.example.com"))
                .finish()
        }),
    );
    // The preflight lists the wrong methods.
    both(
        "/wrong-methods",
        |_| {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "GET, POST"))
                .finish()
        },
        |_| acao_app(&mut HttpResponse::Ok()).finish(),
    )(cfg);
    // The preflight lists the method in lowercase.
    both(
        "/lowercase-method",
        |_| {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "get, put"))
                .finish()
        },
        |_| acao_app(&mut HttpResponse::Ok()).finish(),
    )(cfg);
    // An authentication layer answers the preflight 401 (with the CORS headers).
    both(
        "/preflight-401",
        |_| {
            acao_app(&mut HttpResponse::Unauthorized())
                .insert_header(("access-control-allow-methods", "PUT"))
                .body("login first")
        },
        |_| acao_app(&mut HttpResponse::Ok()).finish(),
    )(cfg);
    // `*` for methods and headers, which does not cover `authorization`.
    both(
        "/star-headers",
        |_| {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "*"))
                .insert_header(("access-control-allow-headers", "*"))
                .finish()
        },
        |_| acao_app(&mut HttpResponse::Ok()).finish(),
    )(cfg);
    // A preflight that passes, and an actual response without CORS headers.
    both(
        "/preflight-only",
        |_| {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "PUT"))
                .insert_header(("access-control-allow-headers", "x-a, X-B"))
                .finish()
        },
        |_| HttpResponse::Ok().finish(),
    )(cfg);
    // An error status that carries the CORS headers: readable.
    cfg.route(
        "/error-with-cors",
        web::get().to(|| async { acao_app(&mut HttpResponse::InternalServerError()).finish() }),
    );
}

#[test]
fn missing_allow_origin() {
    let server = actix(routes);
    let url = server.url("/plain");
    cors_check(&[&url, "--origin", APP])
        .assert_blocked(
            &url,
            APP,
            "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        )
        .assert_line(
            "✗ Access-Control-Allow-Origin: missing (the response must name the origin, or `*`)",
        )
        .assert_line("< HTTP/1.1 200 OK");
}

#[test]
fn wildcard_with_credentials() {
    let server = actix(routes);
    let url = server.url("/star-credentials");
    cors_check(&[&url, "--origin", APP, "--credentials"])
        .assert_blocked(
            &url,
            APP,
            "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
        )
        .assert_line("< access-control-allow-origin: *")
        .assert_line("< access-control-allow-credentials: true");
    // Without credentials the same response is readable.
    cors_check(&[&url, "--origin", APP])
        .assert_allowed(APP)
        .assert_line(
            "✓ Access-Control-Allow-Origin: `*` allows every origin (credentials are not included)",
        );
}

#[test]
fn credentials_without_allow_credentials() {
    let server = actix(routes);
    let url = server.url("/no-credentials");
    cors_check(&[&url, "--origin", APP, "--credentials"])
        .assert_blocked(
            &url,
            APP,
            "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
        )
        .assert_line("✗ Access-Control-Allow-Credentials: missing; with credentials included it must be `true`");
}

#[test]
fn allow_origin_values_that_are_not_the_origin() {
    let server = actix(routes);
    let url = server.url("/trailing-slash");
    cors_check(&[&url, "--origin", APP])
        .assert_blocked(
            &url,
            APP,
            "The 'Access-Control-Allow-Origin' header has a value 'https://app.example.com/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
        )
        .assert_line("· it differs from the origin only by a trailing `/`: an origin has no path");
    let url = server.url("/origin-list");
    cors_check(&[&url, "--origin", APP]).assert_blocked(
        &url,
        APP,
        "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://admin.example.com', but only one is allowed. Have the server send the header with a valid value.",
    );
    let url = server.url("/no-scheme");
    cors_check(&[&url, "--origin", APP]).assert_blocked(
        &url,
        APP,
        "The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example.com'. Have the server send the header with a valid value.",
    );
}

#[test]
fn two_allow_origin_fields() {
    let server = raw(|_| {
        response(
            "200 OK",
            &[
                "Access-Control-Allow-Origin: https://app.example.com",
                "Access-Control-Allow-Origin: https://app.example.com",
            ],
            "{}",
        )
    });
    let url = server.url("/double");
    cors_check(&[&url, "--origin", APP])
        .assert_blocked(
            &url,
            APP,
            "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed. Have the server send the header with a valid value.",
        )
        .assert_line("✗ Access-Control-Allow-Origin: 2 fields, which a browser reads as one value `https://app.example.com, https://app.example.com`; exactly one is allowed");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn wrong_method_list() {
    let server = actix(routes);
    let url = server.url("/wrong-methods");
    cors_check(&[&url, "--origin", APP, "-X", "PUT"])
        .assert_blocked(
            &url,
            APP,
            "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        )
        .assert_line("✗ method PUT: not allowed; Access-Control-Allow-Methods lists GET, POST")
        .assert_no_line_starting("3. Request");
    // A JSON POST is preflighted for its content-type, which the preflight does not list.
    cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "POST",
        "-H",
        "content-type: application/json",
    ])
    .assert_blocked(
        &url,
        APP,
        "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.",
    )
    .assert_line("✓ method POST: listed in Access-Control-Allow-Methods");
}

#[test]
fn methods_are_compared_byte_for_byte() {
    let server = actix(routes);
    let url = server.url("/lowercase-method");
    cors_check(&[&url, "--origin", APP, "-X", "PUT"])
        .assert_blocked(
            &url,
            APP,
            "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        )
        .assert_line(
            "· `put` is listed, but methods are compared byte for byte: `put` is not `PUT`",
        );
}

#[test]
fn non_2xx_preflight() {
    let server = actix(routes);
    let url = server.url("/preflight-401");
    cors_check(&[&url, "--origin", APP, "-X", "PUT"])
        .assert_blocked(
            &url,
            APP,
            "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
        )
        .assert_line("< HTTP/1.1 401 Unauthorized")
        .assert_line("< body: login first")
        .assert_line("✗ status 401: not an ok status; a preflight's answer must be 200-299");
}

#[test]
fn wildcard_headers_do_not_cover_authorization_in_the_standard() {
    let server = actix(routes);
    let url = server.url("/star-headers");
    let run = cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "PATCH",
        "-H",
        "authorization: Bearer x",
        "-H",
        "x-custom: 1",
    ]);
    // The standard blocks; the engines (measured) let it through: the verdict says both, and
    // the exit status is the standard's (`--engine` in engines.rs).
    run.assert_code(1)
    .assert_line(&format!("Access to fetch at '{url}' from origin '{APP}' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response."))
    .assert_line("✓ method PATCH: covered by `*` in Access-Control-Allow-Methods (credentials are not included)")
    .assert_line("✓ header x-custom: covered by `*` in Access-Control-Allow-Headers (credentials are not included)")
    .assert_line("✗ header authorization: not allowed; Access-Control-Allow-Headers lists *")
    .assert_line("Verdict: BLOCKED by the Fetch standard, but not by today's engines: Chromium 156, Firefox 153 and WebKit 2.50 (measured) let `*` cover `authorization` and send the PATCH request (--engine chromium, firefox or webkit follows one of them to the end). Do not rely on it: a browser that follows the standard blocks this request.");
    // With credentials, `*` covers nothing.
    cors_check(&[&url, "--origin", APP, "-X", "PATCH", "--credentials"]).assert_blocked(
        &url,
        APP,
        "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
    );
}

#[test]
fn preflight_passes_and_the_actual_response_fails() {
    let server = actix(routes);
    let url = server.url("/preflight-only");
    let run = cors_check(&[
        &url, "--origin", APP, "-X", "PUT", "-H", "x-b: 2", "-H", "X-A: 1",
    ]);
    run.assert_blocked(
        &url,
        APP,
        "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    )
    .assert_line("> Access-Control-Request-Headers: x-a,x-b")
    .assert_line("✓ header x-a: listed in Access-Control-Allow-Headers")
    .assert_line("✓ header x-b: listed in Access-Control-Allow-Headers")
    .assert_line("3. Request");
    // Several refused headers: all are named, and the console message names one.
    let run = cors_check(&[
        &url, "--origin", APP, "-X", "PUT", "-H", "x-c: 3", "-H", "x-d: 4",
    ]);
    run.assert_blocked(
        &url,
        APP,
        "Request header field x-c is not allowed by Access-Control-Allow-Headers in preflight response.",
    )
    .assert_line("(Chromium names one of the 2 refused headers (x-c, x-d), not necessarily the first.)")
    .assert_line("Fix: List x-c, x-d in Access-Control-Allow-Headers (with actix-route-cors: `headers` of the route's #[cors]).");
}

#[test]
fn an_error_status_with_cors_headers_is_readable() {
    let server = actix(routes);
    let url = server.url("/error-with-cors");
    cors_check(&[&url, "--origin", APP])
        .assert_allowed(APP)
        .assert_line("· status 500: the page can read this error response (CORS does not depend on the status of the actual response)");
}

#[test]
fn preflight_redirect_and_unparsable_lists() {
    let server = raw(|head| match request_line(head) {
        ("OPTIONS", "/moved") => response(
            "301 Moved Permanently",
            &[
                "Location: /moved/",
                "Access-Control-Allow-Origin: https://app.example.com",
            ],
            "",
        ),
        ("OPTIONS", "/bad-methods") => response(
            "204 No Content",
            &[
                "Access-Control-Allow-Origin: https://app.example.com",
                "Access-Control-Allow-Methods: PUT;",
            ],
            "",
        ),
        ("OPTIONS", "/bad-headers") => response(
            "204 No Content",
            &[
                "Access-Control-Allow-Origin: https://app.example.com",
                "Access-Control-Allow-Methods: PUT",
                "Access-Control-Allow-Headers: x-a x-b",
            ],
            "",
        ),
        _ => response("404 Not Found", &[], ""),
    });
    let url = server.url("/moved");
    cors_check(&[&url, "--origin", APP, "-X", "PUT"]).assert_blocked(
        &url,
        APP,
        "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
    );
    let url = server.url("/bad-methods");
    cors_check(&[&url, "--origin", APP, "-X", "PUT"]).assert_blocked(
        &url,
        APP,
        "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
    );
    let url = server.url("/bad-headers");
    cors_check(&[&url, "--origin", APP, "-X", "PUT", "-H", "x-a:1"]).assert_blocked(
        &url,
        APP,
        "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
    );
    // Three preflights, and no actual request.
    let methods: Vec<String> = server
        .requests()
        .iter()
        .map(|h| request_line(h).0.to_owned())
        .collect();
    assert_eq!(methods, ["OPTIONS", "OPTIONS", "OPTIONS"]);
}
