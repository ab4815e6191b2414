//! The conformance table: request → exact response, each case citing the rule it checks.
//!
//! Rules cite the WHATWG Fetch standard (https://fetch.spec.whatwg.org/) by section name and
//! anchor, which stay stable while section numbers move. Where a case checks the project's own
//! contract instead (SPEC §4) or another standard (RFC 9110, Private Network Access), the rule
//! says so.
//!
//! Expectations are exact: `Some(v)` means exactly one field with value `v`, `None` means no
//! field at all. The driver also fails a case on ANY `Access-Control-*` field of the response
//! that the case does not expect with `Some(..)`, so every case implicitly asserts that the
//! Access-Control-* headers it does not list are absent.

/// A request of the table.
#[derive(Debug, Clone, Copy)]
pub struct Req {
    /// Request method, as sent on the request line.
    pub method: &'static str,
    /// Request target.
    pub path: &'static str,
    /// Header fields, in order; a name given twice is sent as two fields.
    pub headers: &'static [(&'static str, &'static str)],
}

/// One case: a request and the exact response it must get.
#[derive(Debug, Clone, Copy)]
pub struct Case {
    /// Short unique name, `group/what`.
    pub name: &'static str,
    /// The rule the case checks, citing the standard.
    pub rule: &'static str,
    /// The request.
    pub request: Req,
    /// The exact status.
    pub expect_status: u16,
    /// `Some(v)`: exactly one field, equal to `v`; `None`: absent.
    pub expect_headers: &'static [(&'static str, Option<&'static str>)],
    /// `Some(true)`: the handler body ran exactly once; `Some(false)`: it did not run.
    pub handler_runs: Option<bool>,
}

const fn req(
    method: &'static str,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
) -> Req {
    Req {
        method,
        path,
        headers,
    }
}

const fn get(path: &'static str, headers: &'static [(&'static str, &'static str)]) -> Req {
    req("GET", path, headers)
}

const fn options(path: &'static str, headers: &'static [(&'static str, &'static str)]) -> Req {
    req("OPTIONS", path, headers)
}

// Header names.
pub const ACAO: &str = "access-control-allow-origin";
pub const ACAC: &str = "access-control-allow-credentials";
pub const ACAM: &str = "access-control-allow-methods";
pub const ACAH: &str = "access-control-allow-headers";
pub const ACMA: &str = "access-control-max-age";
pub const ACEH: &str = "access-control-expose-headers";
pub const ACAPN: &str = "access-control-allow-private-network";
pub const VARY: &str = "vary";
pub const CONTENT_TYPE: &str = "content-type";
const ORIGIN: &str = "origin";
const ACRM: &str = "access-control-request-method";
const ACRH: &str = "access-control-request-headers";
const ACRPN: &str = "access-control-request-private-network";

// Origins of the app's policies.
pub const A: &str = "https://a.example";
pub const B: &str = "http://b.example:8080";
pub const C: &str = "https://c.example";
const EVIL: &str = "https://evil.example";

/// The `Vary` of every preflight answer (SPEC §4), allowed or refused.
pub const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
/// The `Vary` of a preflight answer on a route with `private_network`, whose answer also
/// depends on `Access-Control-Request-Private-Network`.
pub const PREFLIGHT_VARY_PNA: &str = "Origin, Access-Control-Request-Method, \
    Access-Control-Request-Headers, Access-Control-Request-Private-Network";

// Rules used by many cases.
const R_ACAO_ECHO: &str = "Fetch › CORS protocol › HTTP responses (#http-responses): \
    `Access-Control-Allow-Origin` is the literal value of the request's `Origin` (or `*`); \
    CORS check (#cors-check) step 4 compares it byte for byte with the byte-serialized origin";
const R_BYTE_EXACT: &str = "Fetch › CORS check (#cors-check) step 4: the byte-serialized \
    request origin must BE the `Access-Control-Allow-Origin` value (no case folding, no \
    normalising), so a server must not grant an origin it was not configured with";
const R_SERIALIZED_LOWER: &str = "Fetch › CORS check (#cors-check) step 4 + HTML origin \
    serialization: browsers send scheme and host lowercase, so another spelling is another \
    origin and is not granted";
const R_NO_ORIGIN_VARY: &str = "Fetch › Background reading › CORS protocol and HTTP caches \
    (#cors-protocol-and-http-caches): when `Access-Control-Allow-Origin` depends on the \
    request, `Vary: Origin` is to be used, including on responses to non-CORS requests";
const R_PREFLIGHT_OK: &str = "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7: \
    the preflight succeeds only on an ok status with a passing CORS check; \
    `Access-Control-Allow-Methods/-Headers/-Max-Age` answer it (#http-responses)";
const R_NOT_A_PREFLIGHT: &str = "Fetch › CORS protocol › HTTP requests (#http-requests): a \
    CORS-preflight request is `OPTIONS` with `Origin` AND `Access-Control-Request-Method`; \
    anything else is an ordinary request";
const R_METHOD_BYTES: &str = "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7.5: \
    'request's method is not in methods' is a byte comparison — methods are case-sensitive \
    (RFC 9110 §9.1); no preflight resource answers a method the route does not serve, so the \
    answer is not an ok status";
const R_ACRM_SYNTAX: &str = "Fetch › HTTP new-header syntax (#http-new-header-syntax): \
    `Access-Control-Request-Method = method` (one token); a value that is not one method the \
    route serves gets no ok status";
const R_ACRH_LIST: &str = "Fetch › HTTP new-header syntax (#http-new-header-syntax): \
    `Access-Control-Request-Headers = 1#field-name` — an RFC 9110 §5.6.1 list (OWS around \
    commas, empty elements ignored), names compared byte-case-insensitively \
    (#cors-preflight-fetch step 7.7)";
const R_ANY_STATUS: &str = "Fetch › CORS protocol › HTTP responses (#http-responses): a \
    successful response to a CORS request 'can use any status' — the CORS headers must be on \
    it whatever the status; HTTP fetch (#http-fetch) runs the CORS check on every response \
    but 304/407, redirects included";
const R_REDIRECT: &str = "Fetch › HTTP fetch (#http-fetch): the CORS check runs on the \
    redirect response itself before it is followed, so a 3xx needs the CORS headers too";

/// Expectations shared by many cases.
const ALLOWED_A: &[(&str, Option<&str>)] = &[(ACAO, Some(A)), (VARY, Some("Origin"))];
const DENIED: &[(&str, Option<&str>)] = &[(ACAO, None), (ACAC, None), (VARY, Some("Origin"))];
const NOT_CORS: &[(&str, Option<&str>)] = &[(ACAO, None), (ACAC, None), (VARY, Some("Origin"))];
const FALLS_THROUGH: &[(&str, Option<&str>)] = &[(ACAO, None), (ACAC, None), (ACAM, None)];
const PREFLIGHT_REFUSED: &[(&str, Option<&str>)] = &[
    (ACAO, None),
    (ACAC, None),
    (ACAM, None),
    (ACAH, None),
    (ACMA, None),
    (VARY, Some(PREFLIGHT_VARY)),
    (CONTENT_TYPE, Some("text/plain; charset=utf-8")),
];
/// The full allowed preflight answer of `PUT /item`.
const ITEM_PREFLIGHT_OK: &[(&str, Option<&str>)] = &[
    (ACAO, Some(A)),
    (ACAC, Some("true")),
    (ACAM, Some("PUT")),
    (ACAH, Some("content-type, x-request-id")),
    (ACMA, Some("600")),
    (ACEH, None),
    (VARY, Some(PREFLIGHT_VARY)),
];
/// Every status response of `/status/{code}` for origin A.
const STATUS_OK_A: &[(&str, Option<&str>)] = &[
    (ACAO, Some(A)),
    (ACAC, Some("true")),
    (ACEH, Some("x-total")),
    (ACAM, None),
    (ACAH, None),
    (ACMA, None),
    (VARY, Some("Origin")),
];

// ---------------------------------------------------------------------------------------------
// Origin matching, byte for byte (actual requests).
// ---------------------------------------------------------------------------------------------

pub const ORIGIN_MATCHING: &[Case] = &[
    Case {
        name: "origin/exact",
        rule: R_ACAO_ECHO,
        request: get("/exact", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: ALLOWED_A,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/uppercase-scheme",
        rule: R_SERIALIZED_LOWER,
        request: get("/exact", &[(ORIGIN, "HTTPS://a.example")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/uppercase-host",
        rule: R_SERIALIZED_LOWER,
        request: get("/exact", &[(ORIGIN, "https://A.EXAMPLE")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/trailing-slash",
        rule: "Fetch › CORS protocol and credentials (#cors-protocol-and-credentials) table: \
            `https://rabbit.invalid/` is not shared — 'A serialized origin has no trailing \
            slash'; CORS check (#cors-check) step 4",
        request: get("/exact", &[(ORIGIN, "https://a.example/")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/explicit-default-port",
        rule: "Fetch › CORS check (#cors-check) step 4 + HTML origin serialization: the \
            default port is omitted, so `https://a.example:443` is not the byte-serialized \
            origin `https://a.example`",
        request: get("/exact", &[(ORIGIN, "https://a.example:443")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/other-scheme",
        rule: "Fetch › CORS check (#cors-check) step 4: the scheme is part of the origin \
            tuple — `http://a.example` is not `https://a.example`",
        request: get("/exact", &[(ORIGIN, "http://a.example")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/prefix-lookalike",
        rule: R_BYTE_EXACT,
        request: get("/exact", &[(ORIGIN, "https://a.example.evil.com")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/suffix-lookalike",
        rule: R_BYTE_EXACT,
        request: get("/exact", &[(ORIGIN, "https://evila.example")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/truncated",
        rule: R_BYTE_EXACT,
        request: get("/exact", &[(ORIGIN, "https://a.exampl")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/with-port",
        rule: R_ACAO_ECHO,
        request: get("/exact", &[(ORIGIN, B)]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some(B)), (VARY, Some("Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "origin/port-missing",
        rule: "Fetch › CORS check (#cors-check) step 4: the port is part of the origin tuple \
            — `http://b.example` is not `http://b.example:8080`",
        request: get("/exact", &[(ORIGIN, "http://b.example")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/other-port",
        rule: "Fetch › CORS check (#cors-check) step 4: the port is part of the origin tuple",
        request: get("/exact", &[(ORIGIN, "http://b.example:80")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/port-leading-zero",
        rule: R_BYTE_EXACT,
        request: get("/exact", &[(ORIGIN, "http://b.example:08080")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/two-fields-same",
        rule: "Fetch › `Origin` header (#origin-header): its possible values are the results \
            of byte-serializing ONE request origin; two fields are none of them and match \
            nothing (SPEC §4)",
        request: get("/exact", &[(ORIGIN, A), (ORIGIN, A)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/two-fields-both-allowed",
        rule: "Fetch › `Origin` header (#origin-header): one serialized origin per request; \
            with two there is no single value to echo (SPEC §4: several fields match nothing)",
        request: get("/exact", &[(ORIGIN, A), (ORIGIN, B)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/list-in-one-field",
        rule: "Fetch › `Origin` header (#origin-header): the value is one serialized origin, \
            not a list; CORS check step 4 byte comparison",
        request: get(
            "/exact",
            &[(ORIGIN, "https://a.example, http://b.example:8080")],
        ),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/empty",
        rule: R_BYTE_EXACT,
        request: get("/exact", &[(ORIGIN, "")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/null-not-listed",
        rule: "Fetch › CORS check (#cors-check) step 4: `null` is an origin value like any \
            other; not configured, not granted",
        request: get("/exact", &[(ORIGIN, "null")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/null-listed",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): ACAO is the literal \
            `Origin` value, 'which can be `null`'",
        request: get("/null", &[(ORIGIN, "null")]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some("null")), (VARY, Some("Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "origin/null-wrong-case",
        rule: "Fetch › CORS check (#cors-check) step 4: byte comparison — `Null` is not `null`",
        request: get("/null", &[(ORIGIN, "Null")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/null-route-other-origin",
        rule: R_ACAO_ECHO,
        request: get("/null", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: ALLOWED_A,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/absent",
        rule: R_NO_ORIGIN_VARY,
        request: get("/exact", &[]),
        expect_status: 200,
        expect_headers: NOT_CORS,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-one-label",
        rule: "Fetch › HTTP responses (#http-responses): ACAO echoes the request's origin \
            literally (a pattern is never sent); SPEC §4 wildcard = one whole leftmost label",
        request: get("/wild", &[(ORIGIN, "https://x.example.org")]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some("https://x.example.org")),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-two-labels",
        rule: "SPEC §4: a wildcard matches one whole label; Fetch CORS check grants only the \
            configured origins (#cors-check)",
        request: get("/wild", &[(ORIGIN, "https://a.b.example.org")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-parent",
        rule: "SPEC §4: `https://*.example.org` does not cover `https://example.org`",
        request: get("/wild", &[(ORIGIN, "https://example.org")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-prefix-lookalike",
        rule: R_BYTE_EXACT,
        request: get("/wild", &[(ORIGIN, "https://x.example.org.evil.com")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-other-scheme",
        rule: "Fetch › CORS check (#cors-check) step 4: the scheme is part of the origin",
        request: get("/wild", &[(ORIGIN, "http://x.example.org")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "origin/wildcard-uppercase-label",
        rule: R_SERIALIZED_LOWER,
        request: get("/wild", &[(ORIGIN, "https://X.example.org")]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
];

// ---------------------------------------------------------------------------------------------
// `*`: a static answer.
// ---------------------------------------------------------------------------------------------

const R_STAR: &str = "Fetch › CORS check (#cors-check) step 3: `*` passes for requests \
    without credentials; CORS protocol and HTTP caches (#cors-protocol-and-http-caches): for \
    `*` 'do not use `Vary`'";

pub const STAR: &[Case] = &[
    Case {
        name: "star/no-origin-still-gets-acao-star",
        rule: "Fetch › Background reading › CORS protocol and HTTP caches \
        (#cors-protocol-and-http-caches): 'if `Access-Control-Allow-Origin` is set to `*` or a \
        static origin for a particular resource, then configure the server to always send \
        `Access-Control-Allow-Origin` in responses for the resource — for non-CORS requests as \
        well as CORS requests — and do not use `Vary`'. Otherwise a cached non-CORS response \
        (no ACAO, no Vary) is reused for a later CORS request, which then fails",
        request: get("/star", &[]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some("*")), (VARY, None)],
        handler_runs: Some(true),
    },
    Case {
        name: "star/any-origin",
        rule: R_STAR,
        request: get("/star", &[(ORIGIN, "https://anything.invalid")]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some("*")), (ACAC, None), (VARY, None)],
        handler_runs: Some(true),
    },
    Case {
        name: "star/null-origin",
        rule: R_STAR,
        request: get("/star", &[(ORIGIN, "null")]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some("*")), (VARY, None)],
        handler_runs: Some(true),
    },
    Case {
        name: "star/two-origin-fields",
        rule: "Fetch › `Origin` header (#origin-header): one serialized origin per request; \
            SPEC §4: a request with several `Origin` fields matches nothing, even `*`",
        request: get("/star", &[(ORIGIN, A), (ORIGIN, C)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "star/preflight",
        rule: R_PREFLIGHT_OK,
        request: options("/star", &[(ORIGIN, C), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some("*")),
            (ACAC, None),
            (ACAM, Some("GET")),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// Exactly one `Access-Control-Allow-Origin`; `Access-Control-Allow-Credentials` exactly `true`.
// ---------------------------------------------------------------------------------------------

pub const CREDENTIALS: &[Case] = &[
    Case {
        name: "credentials/allowed",
        rule: "Fetch › CORS check (#cors-check) steps 6-7: with credentials the response needs \
            `Access-Control-Allow-Credentials` that IS `true`; ABNF `%s\"true\"` \
            (#http-new-header-syntax)",
        request: get("/cred", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (ACEH, Some("x-total, x-page")),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "credentials/disallowed-origin",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): 'not successful' \
            responses omit the relevant headers — no ACAC for a refused origin",
        request: get("/cred", &[(ORIGIN, EVIL)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, None),
            (ACAC, None),
            (ACEH, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "credentials/no-origin",
        rule: R_NO_ORIGIN_VARY,
        request: get("/cred", &[]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, None),
            (ACAC, None),
            (ACEH, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "credentials/absent-without-credentials",
        rule: "Fetch › CORS protocol and credentials (#cors-protocol-and-credentials): sharing \
            with credentials is an explicit opt-in; a policy without `credentials` sends no ACAC",
        request: get("/exact", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some(A)), (ACAC, None), (VARY, Some("Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "credentials/handler-set-two-acao-and-True",
        rule: "Fetch › CORS check (#cors-check) step 1 'gets' ACAO — several fields combine to \
            `x, y`, which never equals an origin, so exactly one field; steps 6-7 and the \
            #cors-protocol-and-credentials table: '`true` is (byte) case-sensitive', so the \
            handler's `True` is replaced by `true`",
        request: get("/own", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "credentials/handler-headers-removed-for-refused-origin",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): to refuse, omit the \
            relevant headers — also those the handler set itself",
        request: get("/own", &[(ORIGIN, EVIL)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
];

// ---------------------------------------------------------------------------------------------
// `Vary`.
// ---------------------------------------------------------------------------------------------

const R_VARY_MERGE: &str = "Fetch › CORS protocol and HTTP caches \
    (#cors-protocol-and-http-caches): `Vary: Origin`; RFC 9110 §12.5.5: `Vary` is a list, the \
    handler's own members are kept";

pub const VARY_CASES: &[Case] = &[
    Case {
        name: "vary/merged-allowed",
        rule: R_VARY_MERGE,
        request: get("/vary", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some(A)), (VARY, Some("Accept-Encoding, Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "vary/merged-no-origin",
        rule: R_VARY_MERGE,
        request: get("/vary", &[]),
        expect_status: 200,
        expect_headers: &[(ACAO, None), (VARY, Some("Accept-Encoding, Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "vary/merged-refused",
        rule: R_VARY_MERGE,
        request: get("/vary", &[(ORIGIN, EVIL)]),
        expect_status: 200,
        expect_headers: &[(ACAO, None), (VARY, Some("Accept-Encoding, Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "vary/preflight-allowed",
        rule: "Fetch › CORS protocol and HTTP caches (#cors-protocol-and-http-caches): a \
            preflight answer depends on `Origin`, `Access-Control-Request-Method` and \
            `-Headers`, so `Vary` names all three",
        request: options("/item", &[(ORIGIN, A), (ACRM, "PUT")]),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "vary/preflight-refused",
        rule: "Fetch › CORS protocol and HTTP caches (#cors-protocol-and-http-caches): the \
            refusal depends on the same request headers as an allowed answer",
        request: options("/item", &[(ORIGIN, EVIL), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// `Access-Control-Request-Method`: case-sensitive, one token, served by the route.
// ---------------------------------------------------------------------------------------------

pub const PREFLIGHT_METHOD: &[Case] = &[
    Case {
        name: "method/exact",
        rule: R_PREFLIGHT_OK,
        request: options("/item", &[(ORIGIN, A), (ACRM, "PUT")]),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "method/lowercase-put",
        rule: R_METHOD_BYTES,
        request: options("/item", &[(ORIGIN, A), (ACRM, "put")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/mixed-case-put",
        rule: R_METHOD_BYTES,
        request: options("/item", &[(ORIGIN, A), (ACRM, "Put")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/not-a-token",
        rule: R_ACRM_SYNTAX,
        request: options("/item", &[(ORIGIN, A), (ACRM, "PU T")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/empty",
        rule: R_ACRM_SYNTAX,
        request: options("/item", &[(ORIGIN, A), (ACRM, "")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/list-in-one-field",
        rule: R_ACRM_SYNTAX,
        request: options("/item", &[(ORIGIN, A), (ACRM, "PUT, DELETE")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/two-fields",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 3 appends ONE \
            `Access-Control-Request-Method`; two fields are not a method (#http-new-header-syntax) \
            — refused, never an ok status",
        request: options("/item", &[(ORIGIN, A), (ACRM, "PUT"), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "method/unknown",
        rule: R_METHOD_BYTES,
        request: options("/item", &[(ORIGIN, A), (ACRM, "FROB")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/not-served-patch",
        rule: R_METHOD_BYTES,
        request: options("/item", &[(ORIGIN, A), (ACRM, "PATCH")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/safelisted-get-not-served",
        rule:
            "Fetch › Methods: `GET` is a CORS-safelisted method (#cors-safelisted-method), \
            but a preflight for it on a PUT-only resource gets no ok status (#cors-preflight-fetch)",
        request: options("/item", &[(ORIGIN, A), (ACRM, "GET")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/forbidden-trace",
        rule: "Fetch › Methods: `TRACE` is a forbidden method (#forbidden-method) — no script \
            can ask for it, and no preflight is answered for it",
        request: options("/item", &[(ORIGIN, A), (ACRM, "TRACE")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/forbidden-connect",
        rule: "Fetch › Methods: `CONNECT` is a forbidden method (#forbidden-method)",
        request: options("/item", &[(ORIGIN, A), (ACRM, "CONNECT")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/options",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch): `OPTIONS` is the \
            preflight's own method; a route that does not serve it grants no preflight for it",
        request: options("/item", &[(ORIGIN, A), (ACRM, "OPTIONS")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/several-allowed-methods",
        rule: "Fetch › HTTP new-header syntax (#http-new-header-syntax): \
            `Access-Control-Allow-Methods = #method`, the methods of the route",
        request: options("/multi", &[(ORIGIN, A), (ACRM, "DELETE")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, None),
            (ACAM, Some("PUT, DELETE, PATCH")),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "method/patch-exact",
        rule: R_PREFLIGHT_OK,
        request: options("/multi", &[(ORIGIN, A), (ACRM, "PATCH")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("PUT, DELETE, PATCH")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "method/lowercase-patch-is-not-normalized",
        rule: "Fetch › Methods › normalize (#concept-method-normalize): only DELETE, GET, HEAD, \
            OPTIONS, POST and PUT are uppercased, so `fetch(url, {method: \"patch\"})` asks for \
            `patch`, a different method from `PATCH`",
        request: options("/multi", &[(ORIGIN, A), (ACRM, "patch")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "method/lowercase-delete",
        rule: R_METHOD_BYTES,
        request: options("/multi", &[(ORIGIN, A), (ACRM, "delete")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// Preflight origin checks.
// ---------------------------------------------------------------------------------------------

const R_PREFLIGHT_REFUSED: &str = "Fetch › CORS protocol › HTTP responses (#http-responses): \
    to refuse, 'the 403 status can be used, coupled with omitting the relevant headers'; the \
    CORS-preflight fetch then fails (#cors-preflight-fetch step 7)";

pub const PREFLIGHT_ORIGIN: &[Case] = &[
    Case {
        name: "preflight-origin/refused",
        rule: R_PREFLIGHT_REFUSED,
        request: options("/item", &[(ORIGIN, EVIL), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/trailing-slash",
        rule: R_PREFLIGHT_REFUSED,
        request: options("/item", &[(ORIGIN, "https://a.example/"), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/uppercase-host",
        rule: R_PREFLIGHT_REFUSED,
        request: options("/item", &[(ORIGIN, "https://A.example"), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/null-not-listed",
        rule: R_PREFLIGHT_REFUSED,
        request: options("/item", &[(ORIGIN, "null"), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/two-fields",
        rule: "Fetch › `Origin` header (#origin-header): one serialized origin; SPEC §4 several \
            fields match nothing — refused",
        request: options("/item", &[(ORIGIN, A), (ORIGIN, A), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/empty",
        rule: R_PREFLIGHT_REFUSED,
        request: options("/item", &[(ORIGIN, ""), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/null-listed",
        rule:
            "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7 runs the CORS check \
            (#cors-check): ACAO must be the literal `Origin`, which can be `null` (#http-responses)",
        request: options("/null", &[(ORIGIN, "null"), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some("null")),
            (ACAM, Some("GET")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/with-port",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7: CORS check step 4 \
            byte comparison, port included",
        request: options("/exact", &[(ORIGIN, B), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(B)),
            (ACAM, Some("GET")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/wildcard-echoes-the-origin",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7: CORS check step 4 \
            — ACAO is the request's origin itself, never the configured pattern",
        request: options("/wild", &[(ORIGIN, "https://x.example.org"), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some("https://x.example.org")),
            (ACAM, Some("GET")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/wildcard-two-labels",
        rule: R_PREFLIGHT_REFUSED,
        request: options(
            "/wild",
            &[(ORIGIN, "https://a.b.example.org"), (ACRM, "GET")],
        ),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "preflight-origin/absent",
        rule: "Fetch › CORS protocol › HTTP requests (#http-requests): a CORS-preflight \
            request IS a CORS request, i.e. has `Origin`; without it this is a plain OPTIONS \
            the route does not serve",
        request: options("/item", &[(ACRM, "PUT")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// `Access-Control-Request-Headers`.
// ---------------------------------------------------------------------------------------------

pub const PREFLIGHT_HEADERS: &[Case] = &[
    Case {
        name: "headers/browser-form",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) steps 4-5: browsers send \
            the CORS-unsafe names lowercase, sorted, joined by `,`",
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, "content-type,x-request-id"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/uppercase",
        rule: R_ACRH_LIST,
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, "Content-Type, X-Request-ID"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/spaces-and-tabs",
        rule: R_ACRH_LIST,
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, "x-request-id ,\tcontent-type"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/empty-items",
        rule: R_ACRH_LIST,
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, ",content-type,,x-request-id,"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/duplicates",
        rule: R_ACRH_LIST,
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, "x-request-id,x-request-id,X-REQUEST-ID"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/two-fields",
        rule: "RFC 9110 §5.3: several fields of a list header are one list; Fetch \
            #http-new-header-syntax `1#field-name`",
        request: options(
            "/item",
            &[
                (ORIGIN, A),
                (ACRM, "PUT"),
                (ACRH, "content-type"),
                (ACRH, "x-request-id"),
            ],
        ),
        expect_status: 204,
        expect_headers: ITEM_PREFLIGHT_OK,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/one-not-allowed",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7.7: every CORS-unsafe \
            name must match an allowed one — a server that grants `x-other` anyway is wrong, \
            so it refuses",
        request: options(
            "/item",
            &[(ORIGIN, A), (ACRM, "PUT"), (ACRH, "content-type,x-other")],
        ),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/not-a-token",
        rule: "Fetch › HTTP new-header syntax (#http-new-header-syntax): items are \
            `field-name` tokens; `content type` is not one — refused",
        request: options(
            "/item",
            &[(ORIGIN, A), (ACRM, "PUT"), (ACRH, "content type")],
        ),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "headers/star-covers-names",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7.7: `*` in \
            `Access-Control-Allow-Headers` covers the names of requests without credentials",
        request: options(
            "/star-headers",
            &[(ORIGIN, A), (ACRM, "PUT"), (ACRH, "x-anything,x-other")],
        ),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("PUT")),
            (ACAH, Some("*")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "headers/star-does-not-cover-authorization",
        rule: "Fetch › CORS-preflight fetch (#cors-preflight-fetch) step 7.6: `Authorization` \
            is a CORS non-wildcard request-header name (#cors-non-wildcard-request-header-name); \
            `*` does not cover it",
        request: options(
            "/star-headers",
            &[(ORIGIN, A), (ACRM, "PUT"), (ACRH, "authorization")],
        ),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// Preflight-only headers stay on preflights; actual-only headers stay on actual responses.
// ---------------------------------------------------------------------------------------------

pub const HEADER_PLACEMENT: &[Case] = &[
    Case {
        name: "placement/actual-put-has-no-preflight-headers",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): \
            `Access-Control-Allow-Methods/-Allow-Headers/-Max-Age` are headers of a response to \
            a CORS-PREFLIGHT request",
        request: req("PUT", "/item", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (ACAM, None),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "placement/actual-get-has-expose-but-no-preflight-headers",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): \
            `Access-Control-Expose-Headers` belongs to a response to a CORS request that is \
            not a preflight",
        request: get("/cred", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (ACEH, Some("x-total, x-page")),
            (ACAM, None),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "placement/preflight-has-no-expose",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): \
            `Access-Control-Expose-Headers` is for responses that are not preflight answers; \
            the preflight carries ACAC because the actual request may include credentials",
        request: options("/cred", &[(ORIGIN, A), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (ACAM, Some("GET")),
            (ACEH, None),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// `OPTIONS` without `Access-Control-Request-Method` is not a preflight.
// ---------------------------------------------------------------------------------------------

pub const NOT_A_PREFLIGHT: &[Case] = &[
    Case {
        name: "not-preflight/options-route-with-origin",
        rule: R_NOT_A_PREFLIGHT,
        request: options("/opt", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, None),
            (ACAH, None),
            (ACMA, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "not-preflight/options-route-without-origin",
        rule: R_NOT_A_PREFLIGHT,
        request: options("/opt", &[]),
        expect_status: 200,
        expect_headers: NOT_CORS,
        handler_runs: Some(true),
    },
    Case {
        name: "not-preflight/options-route-refused-origin",
        rule: R_NOT_A_PREFLIGHT,
        request: options("/opt", &[(ORIGIN, EVIL)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "not-preflight/no-options-route",
        rule: R_NOT_A_PREFLIGHT,
        request: options("/item", &[(ORIGIN, A)]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
    Case {
        name: "not-preflight/real-preflight-on-options-route",
        rule: R_PREFLIGHT_OK,
        request: options("/opt", &[(ORIGIN, A), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("GET")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// CORS headers on every status.
// ---------------------------------------------------------------------------------------------

pub const STATUSES: &[Case] = &[
    Case {
        name: "status/200",
        rule: R_ANY_STATUS,
        request: get("/status/200", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/204",
        rule: R_ANY_STATUS,
        request: get("/status/204", &[(ORIGIN, A)]),
        expect_status: 204,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/301",
        rule: R_REDIRECT,
        request: get("/status/301", &[(ORIGIN, A)]),
        expect_status: 301,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/302",
        rule: R_REDIRECT,
        request: get("/status/302", &[(ORIGIN, A)]),
        expect_status: 302,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/303",
        rule: R_REDIRECT,
        request: get("/status/303", &[(ORIGIN, A)]),
        expect_status: 303,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/307",
        rule: R_REDIRECT,
        request: get("/status/307", &[(ORIGIN, A)]),
        expect_status: 307,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/308",
        rule: R_REDIRECT,
        request: get("/status/308", &[(ORIGIN, A)]),
        expect_status: 308,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/304",
        rule: "RFC 9110 §15.4.5: a 304 MUST carry the `Vary` a 200 would; it refreshes the \
            stored response's headers (RFC 9111 §4.3.4), so it carries the CORS headers too \
            (Fetch #http-fetch skips the CORS check on 304 because of that merge)",
        request: get("/status/304", &[(ORIGIN, A)]),
        expect_status: 304,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/400",
        rule: R_ANY_STATUS,
        request: get("/status/400", &[(ORIGIN, A)]),
        expect_status: 400,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/401",
        rule: R_ANY_STATUS,
        request: get("/status/401", &[(ORIGIN, A)]),
        expect_status: 401,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/403",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses) note: for a CORS \
            request that is not a preflight 'the status can be anything, including 403'",
        request: get("/status/403", &[(ORIGIN, A)]),
        expect_status: 403,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/404-from-handler",
        rule: R_ANY_STATUS,
        request: get("/status/404", &[(ORIGIN, A)]),
        expect_status: 404,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/409",
        rule: R_ANY_STATUS,
        request: get("/status/409", &[(ORIGIN, A)]),
        expect_status: 409,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/500",
        rule: R_ANY_STATUS,
        request: get("/status/500", &[(ORIGIN, A)]),
        expect_status: 500,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/503",
        rule: R_ANY_STATUS,
        request: get("/status/503", &[(ORIGIN, A)]),
        expect_status: 503,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(true),
    },
    Case {
        name: "status/404-from-path-extractor",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): any status — an \
            extractor error is a response of the route too (SPEC §4)",
        request: get("/status/abc", &[(ORIGIN, A)]),
        expect_status: 404,
        expect_headers: STATUS_OK_A,
        handler_runs: Some(false),
    },
    Case {
        name: "status/500-from-handler-error",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): any status — a \
            handler `Err` is a response of the route too; without ACAO the script sees only a \
            network error",
        request: get("/fail", &[(ORIGIN, A)]),
        expect_status: 500,
        expect_headers: &[(ACAO, Some(A)), (VARY, Some("Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "status/500-refused-origin",
        rule: "Fetch › CORS protocol › HTTP responses (#http-responses): a refused origin gets \
            no CORS header on an error either",
        request: get("/status/500", &[(ORIGIN, EVIL)]),
        expect_status: 500,
        expect_headers: &[
            (ACAO, None),
            (ACAC, None),
            (ACEH, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "status/302-no-origin",
        rule: R_NO_ORIGIN_VARY,
        request: get("/status/302", &[]),
        expect_status: 302,
        expect_headers: &[
            (ACAO, None),
            (ACAC, None),
            (ACEH, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "status/304-no-origin",
        rule: "RFC 9110 §15.4.5: a 304 carries the `Vary` a 200 would (here `Origin`, Fetch \
            #cors-protocol-and-http-caches)",
        request: get("/status/304", &[]),
        expect_status: 304,
        expect_headers: &[
            (ACAO, None),
            (ACAC, None),
            (ACEH, None),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
];

// ---------------------------------------------------------------------------------------------
// HEAD (a `#[routes] #[get] #[head]` handler).
// ---------------------------------------------------------------------------------------------

pub const HEAD: &[Case] = &[
    Case {
        name: "head/allowed",
        rule: "Fetch › Methods: `HEAD` is a CORS-safelisted method (#cors-safelisted-method) — \
            no preflight, the CORS check (#cors-check) runs on the HEAD response itself",
        request: req("HEAD", "/h", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "head/refused",
        rule: R_BYTE_EXACT,
        request: req("HEAD", "/h", &[(ORIGIN, EVIL)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
    Case {
        name: "head/no-origin",
        rule: R_NO_ORIGIN_VARY,
        request: req("HEAD", "/h", &[]),
        expect_status: 200,
        expect_headers: NOT_CORS,
        handler_runs: Some(true),
    },
    Case {
        name: "head/get-allowed",
        rule: R_ACAO_ECHO,
        request: get("/h", &[(ORIGIN, A)]),
        expect_status: 200,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (VARY, Some("Origin")),
        ],
        handler_runs: Some(true),
    },
    Case {
        name: "head/preflight-for-head",
        rule: R_PREFLIGHT_OK,
        request: options("/h", &[(ORIGIN, A), (ACRM, "HEAD")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAC, Some("true")),
            (ACAM, Some("GET, HEAD")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "head/preflight-lowercase-head",
        rule: R_METHOD_BYTES,
        request: options("/h", &[(ORIGIN, A), (ACRM, "head")]),
        expect_status: 404,
        expect_headers: FALLS_THROUGH,
        handler_runs: Some(false),
    },
];

// ---------------------------------------------------------------------------------------------
// Two handlers on one path, each with its own policy.
// ---------------------------------------------------------------------------------------------

const R_PER_METHOD: &str = "Fetch › CORS protocol › HTTP requests (#http-requests): \
    `Access-Control-Request-Method` 'indicates which method a future CORS request to the same \
    resource might use' — the answer is the policy of the handler serving that method";

pub const SHARED_PATH: &[Case] = &[
    Case {
        name: "shared/preflight-put-its-origin",
        rule: R_PER_METHOD,
        request: options("/shared", &[(ORIGIN, C), (ACRM, "PUT")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(C)),
            (ACAM, Some("PUT")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "shared/preflight-put-other-handlers-origin",
        rule: R_PER_METHOD,
        request: options("/shared", &[(ORIGIN, A), (ACRM, "PUT")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
    Case {
        name: "shared/preflight-get-its-origin",
        rule: R_PER_METHOD,
        request: options("/shared", &[(ORIGIN, A), (ACRM, "GET")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("GET")),
            (VARY, Some(PREFLIGHT_VARY)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "shared/actual-put",
        rule: R_ACAO_ECHO,
        request: req("PUT", "/shared", &[(ORIGIN, C)]),
        expect_status: 200,
        expect_headers: &[(ACAO, Some(C)), (VARY, Some("Origin"))],
        handler_runs: Some(true),
    },
    Case {
        name: "shared/actual-get-other-handlers-origin",
        rule: R_BYTE_EXACT,
        request: get("/shared", &[(ORIGIN, C)]),
        expect_status: 200,
        expect_headers: DENIED,
        handler_runs: Some(true),
    },
];

// ---------------------------------------------------------------------------------------------
// Private Network Access (an extension of the Fetch preflight).
// ---------------------------------------------------------------------------------------------

pub const PRIVATE_NETWORK: &[Case] = &[
    Case {
        name: "pna/allowed",
        rule: "WICG Private Network Access › CORS-preflight: \
            `Access-Control-Request-Private-Network: true` is answered with \
            `Access-Control-Allow-Private-Network: true` when allowed; `Vary` names the request \
            header, since the answer depends on it",
        request: options("/pna", &[(ORIGIN, A), (ACRM, "PUT"), (ACRPN, "true")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("PUT")),
            (ACAPN, Some("true")),
            (VARY, Some(PREFLIGHT_VARY_PNA)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "pna/not-asked",
        rule: "WICG Private Network Access: `Access-Control-Allow-Private-Network` answers the \
            request header only",
        request: options("/pna", &[(ORIGIN, A), (ACRM, "PUT")]),
        expect_status: 204,
        expect_headers: &[
            (ACAO, Some(A)),
            (ACAM, Some("PUT")),
            (ACAPN, None),
            (VARY, Some(PREFLIGHT_VARY_PNA)),
        ],
        handler_runs: Some(false),
    },
    Case {
        name: "pna/not-allowed",
        rule: "WICG Private Network Access: a route without `private_network` refuses",
        request: options("/item", &[(ORIGIN, A), (ACRM, "PUT"), (ACRPN, "true")]),
        expect_status: 403,
        expect_headers: PREFLIGHT_REFUSED,
        handler_runs: Some(false),
    },
];

/// Every group that must pass, with its name.
pub const GROUPS: &[(&str, &[Case])] = &[
    ("origin matching", ORIGIN_MATCHING),
    ("star", STAR),
    ("credentials", CREDENTIALS),
    ("vary", VARY_CASES),
    ("preflight method", PREFLIGHT_METHOD),
    ("preflight origin", PREFLIGHT_ORIGIN),
    ("preflight headers", PREFLIGHT_HEADERS),
    ("header placement", HEADER_PLACEMENT),
    ("not a preflight", NOT_A_PREFLIGHT),
    ("statuses", STATUSES),
    ("head", HEAD),
    ("shared path", SHARED_PATH),
    ("private network", PRIVATE_NETWORK),
];
