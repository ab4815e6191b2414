//! The Fetch standard's checks, applied to real responses: the "CORS check" (every response a
//! page reads cross-origin) and the checks of a "CORS-preflight fetch". Where the standard
//! leaves the order of the checks open, Chromium's order is used, so that the first failure is
//! the one Chromium reports.

use cors_runtime::grammar::is_token;
use cors_runtime::text::Quoted;

use super::blocked::Blocked;
use super::engines::{self, Judge, Quirk};
use super::plan::Plan;
use super::rules::SAFELISTED_METHODS;
use crate::net::response::Response;

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Passed.
    Pass,
    /// Failed: the browser blocks the request.
    Fail,
    /// Not a check: what was seen, or why a check does not apply.
    Info,
    /// A warning: engines differ from the standard here.
    Note,
}

/// One line of the report under a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Passed, failed or information.
    pub mark: Mark,
    /// What was checked, in words.
    pub text: String,
}

/// The lines written while checking one response, and whose checks they are.
#[derive(Debug, Default)]
pub struct Checks {
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// Whose checks: the Fetch standard's (the default) or one engine's, where it differs
    /// ([`engines`]).
    pub judge: Judge,
    /// The differences from the standard that let a check pass for [`judge`](Self::judge).
    pub quirks: Vec<Quirk>,
}

impl Checks {
    /// The checks of `judge`, no line yet.
    pub fn new(judge: Judge) -> Checks {
        Checks {
            judge,
            ..Checks::default()
        }
    }
    fn note(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            mark: Mark::Note,
            text: text.into(),
        });
    }
    fn pass(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            mark: Mark::Pass,
            text: text.into(),
        });
    }
    fn fail(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            mark: Mark::Fail,
            text: text.into(),
        });
    }
    fn info(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            mark: Mark::Info,
            text: text.into(),
        });
    }
}

/// Chromium calls an `Access-Control-Allow-Origin` value that does not parse as a URL "invalid"
/// (and `null`, or another URL, a mismatch). The WHATWG URL Standard's parser (the `url` crate)
/// stands in for Chromium's: they agree on the values servers send here.
fn is_url(value: &str) -> bool {
    ::url::Url::parse(value).is_ok()
}

/// How an `Access-Control-Allow-Origin` value that is not the origin differs from it, when
/// it is close.
fn near_miss(value: &str, origin: &str) -> Option<&'static str> {
    if value.trim_end_matches('/') == origin {
        Some("it differs from the origin only by a trailing `/`: an origin has no path")
    } else if value.eq_ignore_ascii_case(origin) {
        Some("it differs from the origin only in letter case: the comparison is byte for byte")
    } else if value.strip_suffix(":443") == Some(origin)
        || value.strip_suffix(":80") == Some(origin)
    {
        Some("it differs from the origin only by the default port, which browsers leave out")
    } else if value.contains('*') {
        Some("a pattern is not a value: the server must send the one origin it matched")
    } else {
        None
    }
}

/// The Fetch standard's CORS check of `response` for a request from `origin`.
pub fn cors_check(
    checks: &mut Checks,
    response: &Response,
    origin: &str,
    credentials: bool,
) -> Result<(), Blocked> {
    let count = response.get_all("access-control-allow-origin").count();
    let Some(value) = response.get("access-control-allow-origin") else {
        checks.fail(
            "Access-Control-Allow-Origin: missing (the response must name the origin, or `*`)",
        );
        return Err(Blocked::MissingAllowOrigin);
    };
    let value = Quoted::all(&value).to_string();
    if count > 1 {
        checks.fail(format!(
            "Access-Control-Allow-Origin: {count} fields, which a browser reads as one value `{value}`; exactly one is allowed"
        ));
        return Err(Blocked::MultipleAllowOrigin(value));
    }
    if value == "*" {
        if credentials {
            checks.fail("Access-Control-Allow-Origin: `*` is not allowed when credentials are included: it must be the origin itself");
            return Err(Blocked::WildcardWithCredentials);
        }
        checks.pass(
            "Access-Control-Allow-Origin: `*` allows every origin (credentials are not included)",
        );
    } else if value == origin {
        checks.pass(format!(
            "Access-Control-Allow-Origin: `{value}`, one value, equal to the origin byte for byte"
        ));
    } else if value.contains([' ', ',']) {
        checks.fail(format!(
            "Access-Control-Allow-Origin: `{value}` holds several values; exactly one is allowed"
        ));
        return Err(Blocked::MultipleAllowOrigin(value));
    } else if value != "null" && !is_url(&value) {
        checks.fail(format!(
            "Access-Control-Allow-Origin: `{value}` is not an origin (scheme://host[:port]) nor `*`"
        ));
        return Err(Blocked::InvalidAllowOrigin(value));
    } else {
        checks.fail(format!(
            "Access-Control-Allow-Origin: `{value}` is not equal to the origin `{origin}`"
        ));
        if let Some(why) = near_miss(&value, origin) {
            checks.info(why);
        }
        return Err(Blocked::AllowOriginMismatch(value));
    }

    if !credentials {
        checks.info("Access-Control-Allow-Credentials: not needed (credentials are not included)");
        return Ok(());
    }
    match response.get("access-control-allow-credentials") {
        Some(v) if v == b"true" => {
            checks.pass("Access-Control-Allow-Credentials: `true` (credentials are included)");
            Ok(())
        }
        other => {
            let v = other
                .as_deref()
                .map(|v| Quoted::all(v).to_string())
                .unwrap_or_default();
            if other.is_some() {
                checks.fail(format!(
                    "Access-Control-Allow-Credentials: `{v}`; with credentials included it must be exactly `true`"
                ));
            } else {
                checks.fail("Access-Control-Allow-Credentials: missing; with credentials included it must be `true`");
            }
            Err(Blocked::AllowCredentials(v))
        }
    }
}

/// The items of a `#token` list field (`Access-Control-Allow-Methods` or `-Headers`): `None`
/// when the field is absent, `Err` when an item is not a token. Empty items are skipped.
fn token_list(response: &Response, name: &str) -> Option<Result<Vec<String>, String>> {
    let value = response.get(name)?;
    let mut items = Vec::new();
    for item in value.split(|&b| b == b',') {
        let item = Quoted::all(item).to_string();
        let item = item.trim_matches([' ', '\t']);
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Some(Err(item.to_owned()));
        }
        items.push(item.to_owned());
    }
    Some(Ok(items))
}

/// The checks of a CORS-preflight fetch on the preflight's `response`.
pub fn preflight_checks(
    checks: &mut Checks,
    response: &Response,
    origin: &str,
    plan: &Plan,
) -> Result<(), Blocked> {
    if response.is_redirect() {
        checks.fail(format!(
            "status {}: a redirect, which a browser never follows for a preflight",
            response.status
        ));
        return Err(Blocked::PreflightRedirect);
    }
    cors_check(checks, response, origin, plan.credentials)?;
    if response.is_ok() {
        checks.pass(format!(
            "status {}: an ok status (200-299)",
            response.status
        ));
    } else {
        checks.fail(format!(
            "status {}: not an ok status; a preflight's answer must be 200-299",
            response.status
        ));
        return Err(Blocked::PreflightStatus(response.status));
    }

    let methods = match token_list(response, "access-control-allow-methods") {
        Some(Err(bad)) => {
            checks.fail(format!(
                "Access-Control-Allow-Methods: `{bad}` is not a method; the field cannot be parsed"
            ));
            return Err(Blocked::AllowMethodsUnparsable);
        }
        Some(Ok(list)) => Some(list),
        None => None,
    };
    let headers = match token_list(response, "access-control-allow-headers") {
        Some(Err(bad)) => {
            checks.fail(format!(
                "Access-Control-Allow-Headers: `{bad}` is not a header name; the field cannot be parsed"
            ));
            return Err(Blocked::AllowHeadersUnparsable);
        }
        Some(Ok(list)) => list,
        None => Vec::new(),
    };

    let method = &plan.method;
    let listed = methods.as_deref().unwrap_or_default();
    let star = listed.iter().any(|m| m == "*");
    if listed.contains(method) {
        checks.pass(format!(
            "method {method}: listed in Access-Control-Allow-Methods"
        ));
    } else if SAFELISTED_METHODS.contains(&method.as_str()) {
        checks.pass(format!(
            "method {method}: CORS-safelisted, allowed without being listed"
        ));
    } else if star && !plan.credentials {
        checks.pass(format!(
            "method {method}: covered by `*` in Access-Control-Allow-Methods (credentials are not included)"
        ));
    } else {
        let shown = match &methods {
            None => "there is no Access-Control-Allow-Methods field".to_owned(),
            Some(list) if list.is_empty() => "Access-Control-Allow-Methods is empty".to_owned(),
            Some(list) => format!("Access-Control-Allow-Methods lists {}", list.join(", ")),
        };
        checks.fail(format!("method {method}: not allowed; {shown}"));
        if star {
            checks.info("`*` covers methods only when credentials are not included");
        } else if let Some(other) = listed.iter().find(|m| m.eq_ignore_ascii_case(method)) {
            checks.info(format!(
                "`{other}` is listed, but methods are compared byte for byte: `{other}` is not `{method}`"
            ));
        }
        return Err(Blocked::Method(method.clone()));
    }

    let star = headers.iter().any(|h| h == "*");
    let mut refused = Vec::new();
    let mut authorization_wildcard = false;
    let quirk = Quirk::AuthorizationCoveredByWildcard;
    for name in &plan.unsafe_names {
        let is_listed = headers.iter().any(|h| h.eq_ignore_ascii_case(name));
        let only_star = star && !plan.credentials && name == "authorization";
        if is_listed {
            checks.pass(format!(
                "header {name}: listed in Access-Control-Allow-Headers"
            ));
        } else if star && !plan.credentials && name != "authorization" {
            checks.pass(format!(
                "header {name}: covered by `*` in Access-Control-Allow-Headers (credentials are not included)"
            ));
        } else if only_star && checks.judge.allows(quirk) {
            let engine = match checks.judge {
                Judge::Engine(engine) => engine,
                Judge::Standard => continue,
            };
            let version = engines::deviation(quirk).behaviour(engine).version;
            checks.pass(format!(
                "header {name}: covered by `*` in Access-Control-Allow-Headers in {version}, though not in the Fetch standard"
            ));
            checks.note(wildcard_note(quirk, Some(engine)));
            checks.quirks.push(quirk);
        } else {
            authorization_wildcard |= only_star;
            let shown = if headers.is_empty() {
                "no Access-Control-Allow-Headers lists it".to_owned()
            } else {
                format!("Access-Control-Allow-Headers lists {}", headers.join(", "))
            };
            checks.fail(format!("header {name}: not allowed; {shown}"));
            if only_star {
                checks.info("`*` does not cover `authorization` in the Fetch standard: it must be listed by name");
                let except = match checks.judge {
                    Judge::Engine(engine) => Some(engine),
                    Judge::Standard => None,
                };
                checks.note(wildcard_note(quirk, except));
            } else if star {
                checks.info("`*` covers headers only when credentials are not included");
            }
            refused.push(name.clone());
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(Blocked::Header {
            names: refused,
            authorization_wildcard,
        })
    }
}

/// What the engines do where `*` meets `authorization`, for a line under the check; `judge`
/// is the engine whose checks these are (`None`: the standard's).
fn wildcard_note(quirk: Quirk, judge: Option<engines::Engine>) -> String {
    let d = engines::deviation(quirk);
    let others = engines::lenient_engines(quirk, judge);
    let who = match judge.map(|engine| d.behaviour(engine)) {
        Some(own) if !own.follows_standard => {
            let like = if others.is_empty() {
                String::new()
            } else {
                format!(", as {others} do")
            };
            format!(
                "{} {}{like} ({}); the Fetch standard does not",
                own.version,
                d.engine_does,
                engines::evidence(quirk)
            )
        }
        _ => format!(
            "{others} ({}) {} all the same, and send the request",
            engines::evidence(quirk),
            d.engines_do
        ),
    };
    format!(
        "{who} ({} discusses changing the standard). Do not rely on it: {}",
        d.discussion, d.fix
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_as_chromium_sees_them() {
        for valid in [
            "http://a.example",
            "https://a.example/",
            "foo:bar",
            "http:a",
        ] {
            assert!(is_url(valid), "{valid}");
        }
        for invalid in [
            "a.example",
            "http://",
            "1http://a",
            "",
            "*.example.com",
            "https://[::1",
            "https://a.example:99999",
        ] {
            assert!(!is_url(invalid), "{invalid}");
        }
    }
}
