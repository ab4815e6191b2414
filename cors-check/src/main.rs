//! `cors-check`: asks a server what a browser would ask, applies the browser's CORS checks to
//! the real answers, and says whether a page on a given origin could read the response — and
//! if not, prints the message Chromium shows in the console and what to change.
//!
//! ```text
//! cors-check URL --origin ORIGIN [--method METHOD] [--header NAME[:VALUE]]... [--data BODY] [--credentials]
//!                [--cacert FILE] [--insecure]
//! cors-check --deployment AUDIT.json BASE_URL [--cacert FILE] [--insecure]
//! ```
//!
//! Exit status: 0 a browser would allow the request, 1 it would block it, 2 usage or network
//! error (a certificate a browser refuses is one). URLs are `http://` or `https://`.
//!
//! The steps follow the Fetch standard: [`plan`] decides, as `fetch()` does, what is sent and
//! whether a preflight goes first; [`http`] sends it (over [`tls`] for `https://`) and keeps
//! every response header field;
//! [`checks`] applies the CORS check and the CORS-preflight checks; [`report`] and [`console`]
//! print the steps, the verdict and Chromium's console message.
#![forbid(unsafe_code)]

pub mod checks;
pub mod cli;
pub mod console;
pub mod deployment;
pub mod net;
pub mod plan;
pub mod report;
pub mod url;

use std::process::ExitCode;

use checks::{Checks, Failure, Stage};
use cli::{Args, Command, USAGE};
use net::client::exchange;
use net::error::NetError;
use net::request::Request;
use net::tls::Tls;
use plan::Plan;
use report::Report;
use url::{Scheme, Target};

/// Exit status: a browser would allow the request.
const ALLOWED: u8 = 0;
/// Exit status: a browser would block the request.
const BLOCKED: u8 = 1;
/// Exit status: usage or network error.
const ERROR: u8 = 2;

fn main() -> ExitCode {
    ExitCode::from(match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ALLOWED
        }
        Ok(Command::Version) => {
            println!("cors-check {}", env!("CARGO_PKG_VERSION"));
            ALLOWED
        }
        Ok(Command::Check(args)) => check(&args),
        Ok(Command::Deployment {
            audit,
            base,
            cacert,
            insecure,
        }) => deployment::run(&audit, &base, cacert.as_deref(), insecure),
        Err(e) => usage_error(&e.0),
    })
}

fn usage_error(message: &str) -> u8 {
    eprintln!("cors-check: {message}\n\n{USAGE}");
    ERROR
}

fn user_agent() -> Vec<u8> {
    format!("cors-check/{}", env!("CARGO_PKG_VERSION")).into_bytes()
}

/// The preflight Chromium sends: its header fields in Chromium's order.
fn preflight_request(target: &Target, origin: &str, plan: &Plan) -> Request {
    let mut fields = vec![
        ("Host".to_owned(), target.host_header().into_bytes()),
        ("Accept".to_owned(), b"*/*".to_vec()),
        (
            "Access-Control-Request-Method".to_owned(),
            plan.method.clone().into_bytes(),
        ),
    ];
    if let Some(names) = plan.request_headers_value() {
        fields.push((
            "Access-Control-Request-Headers".to_owned(),
            names.into_bytes(),
        ));
    }
    fields.extend([
        ("Origin".to_owned(), origin.as_bytes().to_vec()),
        ("User-Agent".to_owned(), user_agent()),
        ("Sec-Fetch-Mode".to_owned(), b"cors".to_vec()),
        ("Connection".to_owned(), b"close".to_vec()),
    ]);
    Request {
        method: "OPTIONS".to_owned(),
        fields,
        body: Vec::new(),
    }
}

/// The actual request: the script's headers, and what the browser adds (no cookies: this is
/// not a browser with a cookie jar).
fn actual_request(target: &Target, origin: &str, plan: &Plan) -> Request {
    let mut fields = vec![("Host".to_owned(), target.host_header().into_bytes())];
    fields.extend(plan.headers.iter().cloned());
    if !plan
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
    {
        fields.push(("Accept".to_owned(), b"*/*".to_vec()));
    }
    fields.extend([
        ("Origin".to_owned(), origin.as_bytes().to_vec()),
        ("User-Agent".to_owned(), user_agent()),
        ("Sec-Fetch-Mode".to_owned(), b"cors".to_vec()),
    ]);
    let body = plan.body.clone().unwrap_or_default();
    if !matches!(plan.method.as_str(), "GET" | "HEAD") {
        fields.push((
            "Content-Length".to_owned(),
            body.len().to_string().into_bytes(),
        ));
    }
    fields.push(("Connection".to_owned(), b"close".to_vec()));
    Request {
        method: plan.method.clone(),
        fields,
        body,
    }
}

/// Runs one check and returns the exit status.
fn check(args: &Args) -> u8 {
    let target = match Target::parse(&args.url) {
        Ok(t) => t,
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = url::check_origin(&args.origin) {
        return usage_error(&e);
    }
    let plan = match plan::plan(args) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    let tls = match Tls::for_scheme(target.scheme, args.cacert.as_deref(), args.insecure) {
        Ok(tls) => tls,
        Err(e) => return usage_error(&e),
    };
    let origin = args.origin.as_str();
    let url = target.serialize();
    let mut report = Report::new(std::io::stdout().lock());
    report.title(&plan.method, &url, origin, plan.credentials);
    if tls.as_ref().is_some_and(Tls::is_insecure) {
        report.warning("--insecure: the server's TLS certificate is NOT verified. A browser never skips this check: if it refuses the certificate, the page's fetch() fails before any CORS check, whatever this report says.");
    }

    report.step("1. What the browser sends");
    for note in &plan.notes {
        report.note(note);
    }
    if target.scheme == Scheme::Http {
        for (given, option) in [
            (args.cacert.is_some(), "--cacert"),
            (args.insecure, "--insecure"),
        ] {
            if given {
                report.note(format!("{option} does nothing for an http:// URL (no TLS)"));
            }
        }
    }
    if target.origin() == origin {
        report.info(format!(
            "{url} is on the page's own origin: a same-origin request, no CORS check applies"
        ));
        report.allowed(origin);
        return ALLOWED;
    }
    if plan.credentials {
        report.info("credentials: include — a browser also sends its cookies for the site; cors-check sends none (the CORS checks do not depend on them, the server's answer may)");
    }
    for reason in &plan.reasons {
        report.info(reason);
    }
    if plan.needs_preflight() {
        report.decision("a preflight (OPTIONS) goes first; the request is sent only if the preflight's answer allows it");
    } else {
        report.decision(
            "no preflight: the request is sent as is, and the browser checks the response",
        );
    }

    if plan.needs_preflight() {
        report.step("2. Preflight");
        let request = preflight_request(&target, origin, &plan);
        report.request(&request, &target.path_and_query);
        let response = match exchange(&target, &request, tls.as_ref()) {
            Ok((response, session)) => {
                if let Some(session) = session {
                    report.tls(&session, &target.host);
                }
                response
            }
            Err(e) => return network_error(&mut report, &e),
        };
        report.response(&response, !(200..300).contains(&response.status));
        let mut checks = Checks::default();
        let result = checks::preflight_checks(&mut checks, &response, origin, &plan);
        report.checks(&checks.lines);
        if let Err(blocked) = result {
            report.info(format!(
                "the browser stops here: the {} request is not sent",
                plan.method
            ));
            let failure = Failure {
                stage: Stage::Preflight,
                blocked,
                status: response.status,
            };
            report.blocked(&url, origin, &plan.method, &failure);
            return BLOCKED;
        }
    }

    report.step(if plan.needs_preflight() {
        "3. Request"
    } else {
        "2. Request"
    });
    let request = actual_request(&target, origin, &plan);
    report.request(&request, &target.path_and_query);
    let response = match exchange(&target, &request, tls.as_ref()) {
        Ok((response, session)) => {
            if let Some(session) = session {
                report.tls(&session, &target.host);
            }
            response
        }
        Err(e) => return network_error(&mut report, &e),
    };
    report.response(&response, false);
    let mut checks = Checks::default();
    let result = checks::cors_check(&mut checks, &response, origin, plan.credentials);
    report.checks(&checks.lines);
    match result {
        Ok(()) => {
            if response.is_redirect() {
                let location = response
                    .get("location")
                    .map(|l| cors_runtime::text::Quoted::all(&l).to_string())
                    .unwrap_or_default();
                report.info(format!(
                    "a redirect: the browser follows it to `{location}` and checks that response too (after a redirect to another origin it sends `Origin: null`); cors-check stops here — run it on that URL"
                ));
            } else if !(200..300).contains(&response.status) {
                report.info(format!(
                    "status {}: the page can read this error response (CORS does not depend on the status of the actual response)",
                    response.status
                ));
            }
            report.allowed(origin);
            ALLOWED
        }
        Err(blocked) => {
            let failure = Failure {
                stage: Stage::Actual,
                blocked,
                status: response.status,
            };
            report.blocked(&url, origin, &plan.method, &failure);
            BLOCKED
        }
    }
}

fn network_error<W: std::io::Write>(report: &mut Report<W>, e: &NetError) -> u8 {
    report.info(format!("network error: {e}"));
    report.flush();
    eprintln!("cors-check: network error: {e} (a browser reports this as a network error, not a CORS error)");
    ERROR
}
