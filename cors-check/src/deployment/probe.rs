//! The probes of a route: the requests that show whether a deployment answers as the route's
//! policy says, planned from the audit, then sent and compared.
//!
//! For each path of a route (dynamic segments `{id}`, `{id:\d+}`, `{tail}*` filled with `1`):
//! - a preflight from an allowed origin, asking for the first preflight method and every listed
//!   request header: `2xx`, and exactly the policy's `Access-Control-*` values, each once;
//! - the same origin's actual request, **only for a safe method** (`GET`, `HEAD`; a check must
//!   not create or delete anything): one `Access-Control-Allow-Origin`, the credentials and
//!   exposed headers of the policy;
//! - a preflight and (safe) actual request from an origin no policy allows
//!   ([`REFUSED_ORIGIN`]): no `Access-Control-Allow-Origin` at all.
//!
//! The allowed origin is the first listed one, a `https://*.example.com` pattern filled with
//! `cors-check`.

use super::audit::Route;
use super::compare::{compare, Difference, Expect};
use crate::net::client::exchange;
use crate::net::request::Request;
use crate::net::tls::Tls;
use crate::url::Target;

/// The origin no policy allows.
pub const REFUSED_ORIGIN: &str = "https://cors-check.invalid";

/// One request of the check, with what its response must say.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What it is, for the report: `preflight for GET from https://app.example.com`.
    pub what: String,
    /// The path to request (dynamic segments filled).
    pub path: String,
    /// The method sent: `OPTIONS` for a preflight.
    pub method: String,
    /// The header fields that ask (`Origin`, and for a preflight what it asks for).
    pub fields: Vec<(String, Vec<u8>)>,
    /// What the answer must be.
    pub expect: Expect,
}

impl Probe {
    /// Sends the probe to the deployment at `base` (a URL without a trailing `/`) and says how
    /// the answer differs from what it must be; `Err` is a URL or network error, in words.
    pub fn run(&self, base: &str, tls: Option<&Tls>) -> Result<Vec<Difference>, String> {
        let target = Target::parse(&format!("{base}{}", self.path))?;
        let request = Request::new(
            &target,
            self.method.clone(),
            self.fields.clone(),
            Vec::new(),
        );
        let (response, _) = exchange(&target, &request, tls).map_err(|e| {
            format!(
                "network error on {} {}: {e}",
                request.method,
                target.serialize()
            )
        })?;
        Ok(compare(&self.expect, &response))
    }
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
    // `http://localhost:*` stands for any port of a loopback host; `https://*.example.com`
    // for one label.
    if let Some(base) = first.strip_suffix(":*") {
        return Some(format!("{base}:5173"));
    }
    Some(first.replacen('*', "cors-check", 1))
}

/// The method and the fields of a request from `origin`: a preflight for `method` (asking for
/// `headers`) when `preflight`, else `method` itself.
fn ask(origin: &str, method: &str, preflight: bool, headers: Option<&str>) -> Ask {
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
    let method = if preflight { "OPTIONS" } else { method };
    (method.to_owned(), fields)
}

/// A request's method and header fields, before it is framed for a URL.
type Ask = (String, Vec<(String, Vec<u8>)>);

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
        let mut probe = |what: String, (method, fields): Ask, expect: Expect| {
            out.push(Probe {
                what,
                path: concrete.clone(),
                method,
                fields,
                expect,
            });
        };
        if let (Some(origin), Some(method)) = (&allowed, preflight_method) {
            let acao = if route.any_origin { "*" } else { origin }.to_owned();
            probe(
                format!("preflight for {method} from {origin}"),
                ask(origin, method, true, asked.as_deref()),
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
                    ask(origin, safe, false, None),
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
                ask(REFUSED_ORIGIN, method, true, None),
                Expect::Refused,
            );
        }
        if let Some(safe) = safe {
            probe(
                format!("{safe} from {REFUSED_ORIGIN}"),
                ask(REFUSED_ORIGIN, safe, false, None),
                Expect::Refused,
            );
        }
    }
    out
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
}
