//! `cors-check --deployment AUDIT.json BASE_URL`: every route of the audit (`cargo run
//! --example audit -- --json`, or `actix_route_cors::audit::Json` in the application) checked
//! against a running deployment. A reverse proxy or CDN that strips, adds, duplicates or rewrites
//! a CORS header is the usual reason a policy that is right in the code fails in production.
//!
//! For each route and each of its paths (the full paths when the audit knows them), four
//! requests:
//! - a preflight from an allowed origin, asking for the first preflight method and every listed
//!   request header: `2xx`, and exactly the policy's `Access-Control-*` values, each once;
//! - the same origin's actual request, **only for a safe method** (`GET`, `HEAD`; a check must
//!   not create or delete anything): one `Access-Control-Allow-Origin`, the credentials and
//!   exposed headers of the policy;
//! - a preflight and (safe) actual request from an origin no policy allows
//!   (`https://cors-check.invalid`): no `Access-Control-Allow-Origin` at all.
//!
//! A path's dynamic segments (`{id}`, `{id:\d+}`, `{tail}*`) are filled with `1`; the allowed
//! origin is the first listed one, a `https://*.example.com` pattern filled with `cors-check`.

use std::fmt;

use serde_json::Value;

use crate::net::client::exchange;
use crate::net::request::Request;
use crate::net::response::Response;
use crate::net::tls::Tls;
use crate::url::Target;

/// The origin no policy allows.
pub const REFUSED_ORIGIN: &str = "https://cors-check.invalid";

/// What one route promises, read from the audit document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `handler`, for the report.
    pub handler: String,
    /// The paths to request: `mounted_paths`, or `path` when none is known.
    pub paths: Vec<String>,
    /// `methods`: those the handler serves.
    pub methods: Vec<String>,
    /// `preflight_methods`.
    pub preflight_methods: Vec<String>,
    /// `origins.any`.
    pub any_origin: bool,
    /// `origins.list`; `None` when a source was not loaded when the audit was made, or when a
    /// function or a lookup decides the origins at run time.
    pub origins: Option<Vec<String>>,
    /// `origins.source`: where the origins come from, if not written (`env VAR`,
    /// `startup ..`, `fn path`, `lookup ..`).
    pub source: Option<String>,
    /// `credentials`.
    pub credentials: bool,
    /// The exact `access-control-allow-methods` value.
    pub allow_methods: String,
    /// The exact `access-control-allow-headers` value, if sent.
    pub allow_headers: Option<String>,
    /// The exact `access-control-expose-headers` value, if sent.
    pub expose: Option<String>,
    /// The exact `access-control-max-age` value, if sent.
    pub max_age: Option<String>,
}

/// Reads the audit document (version 1).
pub fn parse(json: &str) -> Result<Vec<Route>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    if doc["format"] != "actix-route-cors audit" {
        return Err(
            "not an actix-route-cors audit (its `format` is not \"actix-route-cors audit\"): \
             make one with `cargo run --example audit -- --json` or `audit::Json`"
                .to_owned(),
        );
    }
    if doc["version"] != 1 {
        return Err(format!(
            "audit version {} is not one this cors-check reads (1)",
            doc["version"]
        ));
    }
    let routes = doc["routes"]
        .as_array()
        .ok_or("the audit has no `routes` list")?;
    routes
        .iter()
        .enumerate()
        .map(|(i, r)| route(i, r))
        .collect()
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or_else(|| format!("`{what}` is not a list"))?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("`{what}` holds something else than strings"))
        })
        .collect()
}

fn opt_string(v: &Value, what: &str) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(format!("`{what}` is neither a string nor null")),
    }
}

fn route(i: usize, r: &Value) -> Result<Route, String> {
    let at = |e: String| format!("route {i}: {e}");
    let handler = r["handler"]
        .as_str()
        .ok_or_else(|| at("no `handler`".into()))?
        .to_owned();
    let mut paths = strings(&r["mounted_paths"], "mounted_paths").map_err(at)?;
    if paths.is_empty() {
        paths.push(
            r["path"]
                .as_str()
                .ok_or_else(|| at("no `path`".into()))?
                .to_owned(),
        );
    }
    let headers = &r["headers"];
    Ok(Route {
        handler,
        paths,
        methods: strings(&r["methods"], "methods").map_err(at)?,
        preflight_methods: strings(&r["preflight_methods"], "preflight_methods").map_err(at)?,
        any_origin: r["origins"]["any"].as_bool().unwrap_or(false),
        origins: match &r["origins"]["list"] {
            Value::Null => None,
            list => Some(strings(list, "origins.list").map_err(at)?),
        },
        source: r["origins"]["source"].as_str().map(str::to_owned),
        credentials: r["credentials"].as_bool().unwrap_or(false),
        allow_methods: headers["access-control-allow-methods"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        allow_headers: opt_string(
            &headers["access-control-allow-headers"],
            "access-control-allow-headers",
        )
        .map_err(at)?,
        expose: opt_string(
            &headers["access-control-expose-headers"],
            "access-control-expose-headers",
        )
        .map_err(at)?,
        max_age: opt_string(&headers["access-control-max-age"], "access-control-max-age")
            .map_err(at)?,
    })
}

/// `path` with each dynamic segment filled with `1`.
pub fn concrete_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push('1');
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                // A tail segment: `{tail}*`.
                if depth == 0 && chars.peek() == Some(&'*') {
                    chars.next();
                }
            }
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The origin a route's policy allows, to send: its first origin, a pattern filled in.
pub fn allowed_origin(route: &Route) -> Option<String> {
    if route.any_origin {
        return Some("https://cors-check.example".to_owned());
    }
    let first = route.origins.as_ref()?.first()?;
    Some(first.replacen('*', "cors-check", 1))
}

/// One request of the check, with what its response must say.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What it is, for the report: `preflight for GET from https://app.example.com`.
    pub what: String,
    /// The path to request (dynamic segments filled).
    pub path: String,
    /// The request (without `Host`).
    pub request: Request,
    /// What the answer must be.
    pub expect: Expect,
}

/// What a probe's response must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// An allowed preflight: `2xx` and these exact fields, each once (`None`: absent).
    Preflight(Vec<(&'static str, Option<String>)>),
    /// An allowed actual request: these exact fields, each once (`None`: absent).
    Actual(Vec<(&'static str, Option<String>)>),
    /// A refused origin: no `Access-Control-Allow-Origin`.
    Refused,
}

/// A request from `origin`: a preflight for `method` (asking for `headers`) when `preflight`,
/// else `method` itself.
fn request(origin: &str, method: &str, preflight: bool, headers: Option<&str>) -> Request {
    let mut fields = vec![("origin".to_owned(), origin.as_bytes().to_vec())];
    if preflight {
        fields.push((
            "access-control-request-method".to_owned(),
            method.as_bytes().to_vec(),
        ));
        if let Some(headers) = headers {
            fields.push((
                "access-control-request-headers".to_owned(),
                headers.as_bytes().to_vec(),
            ));
        }
    }
    Request {
        method: if preflight { "OPTIONS" } else { method }.to_owned(),
        fields,
        body: Vec::new(),
    }
}

/// The probes of one route.
pub fn probes(route: &Route) -> Vec<Probe> {
    let mut out = Vec::new();
    let safe = route
        .methods
        .iter()
        .find(|m| matches!(m.as_str(), "GET" | "HEAD"));
    let preflight_method = route.preflight_methods.first();
    let allowed = allowed_origin(route);
    // Every listed request header, as a browser lists them.
    let asked: Vec<&str> = route
        .allow_headers
        .iter()
        .flat_map(|h| h.split(", "))
        .filter(|h| *h != "*")
        .collect();
    let asked = (!asked.is_empty()).then(|| asked.join(","));
    let credentials = route.credentials.then(|| "true".to_owned());
    for path in &route.paths {
        let concrete = concrete_path(path);
        let mut probe = |what: String, request: Request, expect: Expect| {
            out.push(Probe {
                what,
                path: concrete.clone(),
                request,
                expect,
            });
        };
        if let (Some(origin), Some(method)) = (&allowed, preflight_method) {
            let acao = if route.any_origin { "*" } else { origin }.to_owned();
            probe(
                format!("preflight for {method} from {origin}"),
                request(origin, method, true, asked.as_deref()),
                Expect::Preflight(vec![
                    ("access-control-allow-origin", Some(acao.clone())),
                    ("access-control-allow-credentials", credentials.clone()),
                    (
                        "access-control-allow-methods",
                        Some(route.allow_methods.clone()),
                    ),
                    ("access-control-allow-headers", route.allow_headers.clone()),
                    ("access-control-max-age", route.max_age.clone()),
                ]),
            );
            if let Some(safe) = safe {
                probe(
                    format!("{safe} from {origin}"),
                    request(origin, safe, false, None),
                    Expect::Actual(vec![
                        ("access-control-allow-origin", Some(acao)),
                        ("access-control-allow-credentials", credentials.clone()),
                        ("access-control-expose-headers", route.expose.clone()),
                    ]),
                );
            }
        }
        if route.any_origin {
            continue;
        }
        if let Some(method) = preflight_method {
            probe(
                format!("preflight for {method} from {REFUSED_ORIGIN}"),
                request(REFUSED_ORIGIN, method, true, None),
                Expect::Refused,
            );
        }
        if let Some(safe) = safe {
            probe(
                format!("{safe} from {REFUSED_ORIGIN}"),
                request(REFUSED_ORIGIN, safe, false, None),
                Expect::Refused,
            );
        }
    }
    out
}

/// How a response differs from what the policy promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The preflight's status is not `2xx`.
    Status(u16),
    /// A field the policy sends is missing.
    Missing {
        name: &'static str,
        expected: String,
    },
    /// A field the policy does not send is there.
    Added { name: String, value: String },
    /// A field is sent more than once.
    Duplicated { name: String, values: Vec<String> },
    /// A field has another value.
    Changed {
        name: &'static str,
        expected: String,
        got: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Status(s) => write!(f, "status {s}, not 2xx: the preflight fails"),
            Difference::Missing { name, expected } => {
                write!(
                    f,
                    "{name} missing (the policy sends `{expected}`): stripped on the way?"
                )
            }
            Difference::Added { name, value } => write!(
                f,
                "{name}: `{value}` sent, which the policy does not send: added on the way?"
            ),
            Difference::Duplicated { name, values } => write!(
                f,
                "{name} sent {} times ({}): browsers refuse the response",
                values.len(),
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Difference::Changed {
                name,
                expected,
                got,
            } => write!(f, "{name} is `{got}`, the policy sends `{expected}`"),
        }
    }
}

fn text(v: &[u8]) -> String {
    cors_runtime::text::Quoted::all(v).to_string()
}

/// How `response` differs from what `expect` says.
pub fn compare(expect: &Expect, response: &Response) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut fields: Vec<(&'static str, Option<String>)> = Vec::new();
    match expect {
        Expect::Preflight(f) => {
            if !(200..300).contains(&response.status) {
                out.push(Difference::Status(response.status));
            }
            fields.extend(f.iter().cloned());
        }
        Expect::Actual(f) => fields.extend(f.iter().cloned()),
        Expect::Refused => {
            let acao: Vec<String> = response
                .get_all("access-control-allow-origin")
                .map(text)
                .collect();
            if let Some(first) = acao.first() {
                out.push(Difference::Added {
                    name: "access-control-allow-origin".to_owned(),
                    value: first.clone(),
                });
            }
            return out;
        }
    }
    for (name, expected) in &fields {
        let got: Vec<String> = response.get_all(name).map(text).collect();
        if got.len() > 1 {
            out.push(Difference::Duplicated {
                name: (*name).to_owned(),
                values: got,
            });
            continue;
        }
        match (expected, got.first()) {
            (Some(e), None) => out.push(Difference::Missing {
                name,
                expected: e.clone(),
            }),
            (None, Some(g)) => out.push(Difference::Added {
                name: (*name).to_owned(),
                value: g.clone(),
            }),
            (Some(e), Some(g)) if e != g => out.push(Difference::Changed {
                name,
                expected: e.clone(),
                got: g.clone(),
            }),
            _ => {}
        }
    }
    out
}

/// Runs the check: reads `audit`, probes every route at `base`, prints a line per route (and
/// one per difference) and a summary; returns the exit status (0: every route as promised,
/// 1: some route differs, 2: the audit, the URL or the network failed).
pub fn run(audit: &str, base: &str, cacert: Option<&str>, insecure: bool) -> u8 {
    let fail = |message: String| {
        eprintln!("cors-check: {message}");
        2
    };
    let text = match std::fs::read_to_string(audit) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read the audit `{audit}`: {e}")),
    };
    let routes = match parse(&text) {
        Ok(r) => r,
        Err(e) => return fail(format!("`{audit}`: {e}")),
    };
    let base = base.trim_end_matches('/');
    let base_target = match Target::parse(base) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let tls = match Tls::for_scheme(base_target.scheme, cacert, insecure) {
        Ok(tls) => tls,
        Err(e) => return fail(e),
    };
    if insecure {
        println!("WARNING: --insecure: the server's TLS certificate is NOT verified.");
    }
    let mut differ = 0;
    for route in &routes {
        let mut lines = Vec::new();
        if route.origins.is_none() {
            let why = match route.source.as_deref() {
                Some(s) if s.starts_with("fn ") || s.starts_with("lookup ") => format!(
                    "its origins are decided at run time ({s}), so the audit names none to ask from; the refused-origin probes ran"
                ),
                _ => "its origins come from a source that was not loaded when the audit was made".to_owned(),
            };
            lines.push(format!("  allowed origins not checked: {why}"));
        }
        for probe in probes(route) {
            let target = match Target::parse(&format!("{base}{}", probe.path)) {
                Ok(t) => t,
                Err(e) => return fail(e),
            };
            let mut request = probe.request.clone();
            request
                .fields
                .insert(0, ("Host".to_owned(), target.host_header().into_bytes()));
            request
                .fields
                .push(("Connection".to_owned(), b"close".to_vec()));
            let response = match exchange(&target, &request, tls.as_ref()) {
                Ok((response, _)) => response,
                Err(e) => {
                    return fail(format!(
                        "network error on {} {}: {e}",
                        request.method,
                        target.serialize()
                    ))
                }
            };
            for difference in compare(&probe.expect, &response) {
                lines.push(format!("  {}: {difference}", probe.what));
            }
        }
        let differs = lines.iter().any(|l| !l.starts_with("  not checked"));
        differ += usize::from(differs);
        println!(
            "{}  {}  {} {}",
            if differs { "DIFFERS" } else { "ok     " },
            route.handler,
            route.methods.join(","),
            route.paths.join(", ")
        );
        for line in lines {
            println!("{line}");
        }
    }
    println!("{} routes, {differ} differ", routes.len());
    u8::from(differ > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_segments_are_filled() {
        assert_eq!(concrete_path("/items/{id}"), "/items/1");
        assert_eq!(concrete_path(r"/t/{t}/items/{id:\d{3}}"), "/t/1/items/1");
        assert_eq!(concrete_path("/files/{tail}*"), "/files/1");
        assert_eq!(concrete_path("/plain"), "/plain");
    }

    fn response(status: u16, fields: &[(&str, &str)]) -> Response {
        Response {
            status_line: format!("HTTP/1.1 {status}"),
            status,
            fields: fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn differences_are_named() {
        let expect = Expect::Actual(vec![
            (
                "access-control-allow-origin",
                Some("https://a.example".into()),
            ),
            ("access-control-allow-credentials", Some("true".into())),
            ("access-control-expose-headers", None),
        ]);
        let stripped = response(200, &[("access-control-allow-origin", "https://a.example")]);
        assert_eq!(
            compare(&expect, &stripped),
            [Difference::Missing {
                name: "access-control-allow-credentials",
                expected: "true".into()
            }]
        );
        let doubled = response(
            200,
            &[
                ("access-control-allow-origin", "https://a.example"),
                ("Access-Control-Allow-Origin", "*"),
                ("access-control-allow-credentials", "true"),
            ],
        );
        assert_eq!(
            compare(&expect, &doubled),
            [Difference::Duplicated {
                name: "access-control-allow-origin".into(),
                values: vec!["https://a.example".into(), "*".into()]
            }]
        );
        assert!(compare(&Expect::Refused, &response(403, &[])).is_empty());
    }
}
