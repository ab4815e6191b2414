//! Judging the answers: which origin tried a page could read from, with credentials or
//! without (the browser's own checks, [`crate::browser::checks`], applied to each answer); a
//! reflection without `Vary: Origin`; `*` with credentials.

use cors_runtime::text::Quoted;

use super::attempts::{Attempt, ARBITRARY};
use super::class::{Class, Severity};
use super::send::Sent;
use crate::browser::checks::{cors_check, preflight_checks, Checks};
use crate::browser::plan::Plan;
use crate::net::response::Response;

/// What a page on an origin can read of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Nothing: the browser blocks it.
    None,
    /// The answer, without credentials, as every origin can (`Access-Control-Allow-Origin: *`):
    /// a public answer, no grant to this origin.
    Public,
    /// The answer, without credentials only: `Access-Control-Allow-Origin` names the origin.
    Plain,
    /// The answer to a request with the user's cookies.
    Credentials,
}

/// One finding: a line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// How bad it is.
    pub severity: Severity,
    /// What it is about.
    pub class: Class,
    /// What was sent and answered, in words.
    pub message: String,
}

impl Finding {
    /// A finding about the answers themselves, with its class's fixed severity.
    pub fn about_answers(class: Class, message: String) -> Finding {
        Finding {
            severity: class.severity().unwrap_or(Severity::Low),
            class,
            message,
        }
    }
}

/// The answers to one attempt.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What was tried.
    pub attempt: Attempt,
    /// The request's answer; `None` when the method is not safe to send.
    pub actual: Option<Sent>,
    /// The preflight's answer.
    pub preflight: Sent,
}

/// Whether a response is a request's (`GET`, ...) or a preflight's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request itself.
    Actual,
    /// The preflight.
    Preflight,
}

/// What a page on `origin` can read of `response`, by the browser's checks (the CORS check;
/// for a preflight, the CORS-preflight checks of `plan` too).
pub fn browser_access(response: &Response, origin: &str, kind: Kind, plan: &Plan) -> Access {
    let passes = |credentials: bool| {
        let mut checks = Checks::default();
        match kind {
            Kind::Actual => cors_check(&mut checks, response, origin, credentials).is_ok(),
            Kind::Preflight => {
                let mut plan = plan.clone();
                plan.credentials = credentials;
                preflight_checks(&mut checks, response, origin, &plan).is_ok()
            }
        }
    };
    if passes(true) {
        Access::Credentials
    } else if !passes(false) {
        Access::None
    } else if is_wildcard(response) {
        Access::Public
    } else {
        Access::Plain
    }
}

/// What the server grants a request whose `Origin` no browser sends: an
/// `Access-Control-Allow-Origin` (other than `*`, and other than what the unrelated origin got,
/// `reference`: a fixed value is no grant) on an ok answer.
fn server_access(response: &Response, kind: Kind, reference: Option<&[u8]>) -> Access {
    if kind == Kind::Preflight && !response.is_ok() {
        return Access::None;
    }
    match response.get("access-control-allow-origin") {
        Some(acao) if acao != b"*" && Some(acao.as_slice()) != reference => {
            if allows_credentials(response) {
                Access::Credentials
            } else {
                Access::Plain
            }
        }
        _ => Access::None,
    }
}

fn is_wildcard(response: &Response) -> bool {
    response.get("access-control-allow-origin").as_deref() == Some(b"*")
}

fn allows_credentials(response: &Response) -> bool {
    response.get("access-control-allow-credentials").as_deref() == Some(b"true")
}

/// What one attempt was granted, by request kind, with the evidence.
struct Granted<'a> {
    kind: Kind,
    access: Access,
    response: &'a Response,
}

/// The findings of the attempts, and the classes of the attempts that were refused (each
/// once, in order).
pub fn attempts(outcomes: &[Outcome], plan: &Plan) -> (Vec<Finding>, Vec<Class>) {
    let reference = |kind: Kind| -> Option<Vec<u8>> {
        let arbitrary = outcomes.iter().find(|o| o.attempt.origins == [ARBITRARY])?;
        let sent = match kind {
            Kind::Actual => arbitrary.actual.as_ref()?,
            Kind::Preflight => &arbitrary.preflight,
        };
        sent.ok()?.get("access-control-allow-origin")
    };
    let (reference_actual, reference_preflight) =
        (reference(Kind::Actual), reference(Kind::Preflight));
    let mut findings = Vec::new();
    let mut refused: Vec<Class> = Vec::new();
    for outcome in outcomes {
        let attempt = &outcome.attempt;
        let granted: Vec<Granted> = [
            (Kind::Actual, outcome.actual.as_ref()),
            (Kind::Preflight, Some(&outcome.preflight)),
        ]
        .into_iter()
        .filter_map(|(kind, sent)| {
            let response = sent?.ok()?;
            let access = if attempt.sendable {
                browser_access(response, &attempt.origins[0], kind, plan)
            } else {
                let reference = match kind {
                    Kind::Actual => reference_actual.as_deref(),
                    Kind::Preflight => reference_preflight.as_deref(),
                };
                server_access(response, kind, reference)
            };
            (access > Access::Public).then_some(Granted {
                kind,
                access,
                response,
            })
        })
        .collect();
        let Some(best) = granted.iter().map(|g| g.access).max() else {
            if !refused.contains(&attempt.class) {
                refused.push(attempt.class);
            }
            continue;
        };
        let with_credentials = best == Access::Credentials;
        findings.push(Finding {
            severity: attempt.reach.severity(with_credentials),
            class: attempt.class,
            message: describe(attempt, &granted, with_credentials, &plan.method),
        });
    }
    // A class is refused only when every attempt of it is.
    refused.retain(|c| findings.iter().all(|f| f.class != *c));
    (fold_into_any_origin(findings), refused)
}

/// A server that lets any origin through lets every other attempt through too: those that are
/// no worse than the unrelated origin's finding are named on its line instead of their own.
fn fold_into_any_origin(findings: Vec<Finding>) -> Vec<Finding> {
    let Some(ceiling) = findings
        .iter()
        .find(|f| f.class == Class::AnyOrigin)
        .map(|f| f.severity)
    else {
        return findings;
    };
    let (mut kept, mut folded) = (Vec::new(), Vec::new());
    for f in findings {
        if f.class != Class::AnyOrigin && f.severity <= ceiling {
            folded.push(f);
        } else {
            kept.push(f);
        }
    }
    if !folded.is_empty() {
        let mut names: Vec<&str> = Vec::new();
        for f in &folded {
            if !names.contains(&f.class.name()) {
                names.push(f.class.name());
            }
        }
        if let Some(line) = kept.iter_mut().find(|f| f.class == Class::AnyOrigin) {
            line.message.push_str(&format!(
                "; {} more origins tried are let through as well ({})",
                folded.len(),
                names.join(", ")
            ));
        }
    }
    kept
}

/// The finding's line for an attempt that was let through.
fn describe(
    attempt: &Attempt,
    granted: &[Granted],
    with_credentials: bool,
    method: &str,
) -> String {
    let quoted: Vec<String> = attempt
        .origins
        .iter()
        .map(|o| Quoted::all(o.as_bytes()).to_string())
        .collect();
    let who = match quoted.as_slice() {
        [one] => format!("Origin {one} is"),
        several => format!(
            "{} Origin fields in one request ({}) are",
            several.len(),
            several.join(", ")
        ),
    };
    let how = if with_credentials {
        "allowed with credentials"
    } else {
        "allowed (without credentials)"
    };
    let evidence: Vec<(String, String)> = granted
        .iter()
        .map(|g| {
            let label = match g.kind {
                Kind::Actual => format!("{method} {}", g.response.status),
                Kind::Preflight => format!("preflight for {method} {}", g.response.status),
            };
            let acao = g
                .response
                .get("access-control-allow-origin")
                .unwrap_or_default();
            let mut headers = if attempt.origins.len() == 1 && acao == attempt.origins[0].as_bytes()
            {
                "Access-Control-Allow-Origin echoes it".to_owned()
            } else {
                format!("Access-Control-Allow-Origin: {}", Quoted::all(&acao))
            };
            if allows_credentials(g.response) {
                headers.push_str(", Access-Control-Allow-Credentials: true");
            }
            (label, headers)
        })
        .collect();
    let evidence = match evidence.as_slice() {
        [(a, x), (b, y)] if x == y => format!("{a} and {b}: {x}"),
        all => all
            .iter()
            .map(|(label, headers)| format!("{label}: {headers}"))
            .collect::<Vec<_>>()
            .join("; "),
    };
    format!("{who} {how} ({evidence}): {}", attempt.who)
}

/// An answer, with what was sent to get it.
pub struct Answer<'a> {
    /// The request's or the preflight's.
    pub kind: Kind,
    /// The `Origin` fields sent.
    pub origins: &'a [String],
    /// The answer.
    pub response: &'a Response,
}

/// A reflected `Access-Control-Allow-Origin` without `Vary: Origin`, when the value depends on
/// the origin: a shared cache may then give one origin's answer to another (one finding, on the
/// first such answer).
pub fn missing_vary(answers: &[Answer], method: &str) -> Option<Finding> {
    let actual: Vec<&Answer> = answers.iter().filter(|a| a.kind == Kind::Actual).collect();
    let mut values: Vec<Option<Vec<u8>>> = Vec::new();
    for a in &actual {
        let v = a.response.get("access-control-allow-origin");
        if !values.contains(&v) {
            values.push(v);
        }
    }
    if values.len() < 2 {
        return None;
    }
    let answer = actual.iter().find(|a| {
        a.response
            .get("access-control-allow-origin")
            .is_some_and(|v| v != b"*")
            && !varies_by_origin(a.response)
    })?;
    let acao = answer
        .response
        .get("access-control-allow-origin")
        .unwrap_or_default();
    Some(Finding::about_answers(
        Class::MissingVary,
        format!(
            "{method} from {} answers Access-Control-Allow-Origin: {} without Vary: Origin, and other origins get {}: a shared cache can serve this answer to another origin (cache poisoning), or a refusal to this one",
            answer
                .origins
                .iter()
                .map(|o| Quoted::all(o.as_bytes()).to_string())
                .collect::<Vec<_>>()
                .join(" + "),
            Quoted::all(&acao),
            values
                .iter()
                .filter(|v| v.as_deref() != Some(acao.as_slice()))
                .map(|v| match v {
                    Some(v) => format!("`{}`", Quoted::all(v)),
                    None => "none".to_owned(),
                })
                .take(3)
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    ))
}

/// Whether `Vary` names `Origin` (or is `*`).
fn varies_by_origin(response: &Response) -> bool {
    response
        .get_all("vary")
        .flat_map(|v| v.split(|&b| b == b','))
        .any(|item| {
            let item = item.trim_ascii();
            item == b"*" || item.eq_ignore_ascii_case(b"origin")
        })
}

/// `Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true` (one
/// finding, on the first such answer): browsers refuse credentialed reads of it, so the server
/// means to share credentialed answers with everyone, one step from reflecting any origin.
pub fn wildcard_credentials(answers: &[Answer], method: &str) -> Option<Finding> {
    let answer = answers
        .iter()
        .find(|a| is_wildcard(a.response) && allows_credentials(a.response))?;
    let what = match answer.kind {
        Kind::Actual => format!("{method} {}", answer.response.status),
        Kind::Preflight => format!("preflight for {method} {}", answer.response.status),
    };
    Some(Finding::about_answers(
        Class::WildcardCredentials,
        format!(
            "{what} answers Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true: browsers refuse credentialed reads of it, and the server means to give them to every origin (one step from reflecting any origin)"
        ),
    ))
}
