//! The check of one URL (`cors-check URL --origin ORIGIN ...`): what the browser sends, the
//! preflight when one goes first, then the request, each answer put through the browser's
//! checks; the report shows every step as it goes, and the verdict.

use std::io::StdoutLock;

use crate::browser::blocked::{Blocked, Failure, Stage};
use crate::browser::checks::{self, Checks};
use crate::browser::engines::{Engine, Judge, Quirk};
use crate::browser::local_network;
use crate::browser::plan::{self, Plan};
use crate::browser::requests;
use crate::cli::Args;
use crate::exit::{usage_error, ALLOWED, BLOCKED, ERROR};
use crate::net::client::exchange;
use crate::net::error::NetError;
use crate::net::request::Request;
use crate::net::response::Response;
use crate::net::tls::Tls;
use crate::report::Report;
use crate::url::{self, Scheme, Target};

/// Runs one check and returns the exit status.
pub fn run(args: &Args) -> u8 {
    let (target, plan, tls) = match prepare(args) {
        Ok(ready) => ready,
        Err(e) => return usage_error(&e),
    };
    Check {
        args,
        url: target.serialize(),
        target,
        plan,
        tls,
        report: Report::new(std::io::stdout().lock()),
        quirks: Vec::new(),
    }
    .run()
}

/// What the check needs before anything is sent; `Err` is a usage error.
fn prepare(args: &Args) -> Result<(Target, Plan, Option<Tls>), String> {
    let target = Target::parse(&args.url)?;
    url::check_origin(&args.origin)?;
    let plan = plan::plan(args)?;
    let tls = Tls::for_scheme(target.scheme, args.cacert.as_deref(), args.insecure)?;
    Ok((target, plan, tls))
}

/// One check under way. Each step returns `Err` with the exit status when the check ends there.
struct Check<'a> {
    args: &'a Args,
    /// The URL as a browser serializes it.
    url: String,
    target: Target,
    plan: Plan,
    tls: Option<Tls>,
    report: Report<StdoutLock<'static>>,
    /// The differences from the standard that let a check pass for `--engine`.
    quirks: Vec<Quirk>,
}

impl Check<'_> {
    fn run(&mut self) -> u8 {
        let origin = self.args.origin.as_str();
        self.report.title(
            &self.plan.method,
            &self.url,
            origin,
            self.plan.credentials,
            self.args.engine,
        );
        if self.tls.as_ref().is_some_and(Tls::is_insecure) {
            self.report.warning("--insecure: the server's TLS certificate is NOT verified. A browser never skips this check: if it refuses the certificate, the page's fetch() fails before any CORS check, whatever this report says.");
        }
        let steps = self.what_is_sent().and_then(|()| {
            if self.plan.needs_preflight() {
                self.preflight()?;
                self.request("3. Request")
            } else {
                self.request("2. Request")
            }
        });
        let status = match steps {
            Ok(()) => ALLOWED,
            Err(status) => status,
        };
        if status != ERROR && self.target.origin() != origin {
            self.local_network();
        }
        status
    }

    /// Beside the verdict: Chrome's Local Network Access, when a page calls an address more
    /// private than its own (no response header grants it, so it is no CORS check).
    fn local_network(&mut self) {
        let origin = self.args.origin.as_str();
        let (Some(page), Some(target)) = (
            local_network::page(origin),
            local_network::target(&self.target.host, self.target.port),
        ) else {
            return;
        };
        let Some(lines) = local_network::lines(
            origin,
            &page,
            self.target.connect_host(),
            self.target.scheme == Scheme::Https,
            &target,
        ) else {
            return;
        };
        self.report.step(
            "Local Network Access (Chrome 142 and later; beside the verdict, which it does not change)",
        );
        if let Judge::Engine(engine @ (Engine::Firefox | Engine::WebKit)) = self.args.engine {
            self.report.info(format!(
                "Chrome's, not {engine}'s: cors-check records nothing of the kind for {engine}"
            ));
        }
        for (mark, text) in lines {
            match mark {
                '!' => self.report.note(text),
                '→' => self.report.decision(text),
                _ => self.report.info(text),
            }
        }
    }

    /// Step 1: what the browser sends, and whether a preflight goes first. A same-origin
    /// request ends the check here.
    fn what_is_sent(&mut self) -> Result<(), u8> {
        let (args, plan, report) = (self.args, &self.plan, &mut self.report);
        let origin = args.origin.as_str();
        report.step("1. What the browser sends");
        for note in &plan.notes {
            report.note(note);
        }
        if self.target.scheme == Scheme::Http {
            for (given, option) in [
                (args.cacert.is_some(), "--cacert"),
                (args.insecure, "--insecure"),
            ] {
                if given {
                    report.note(format!("{option} does nothing for an http:// URL (no TLS)"));
                }
            }
        }
        if self.target.origin() == origin {
            report.info(format!(
                "{} is on the page's own origin: a same-origin request, no CORS check applies",
                self.url
            ));
            report.allowed(origin, args.engine, &[]);
            return Err(ALLOWED);
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
        Ok(())
    }

    /// Step 2: the preflight, and the CORS-preflight checks of its answer.
    fn preflight(&mut self) -> Result<(), u8> {
        let request = requests::preflight(&self.target, &self.args.origin, &self.plan);
        let response = self.exchange("2. Preflight", &request, Stage::Preflight)?;
        let result = self.apply(|checks, origin, plan| {
            checks::preflight_checks(checks, &response, origin, plan)
        });
        result.map_err(|blocked| {
            self.report.info(format!(
                "the browser stops here: the {} request is not sent",
                self.plan.method
            ));
            self.blocked(Stage::Preflight, blocked, &response)
        })
    }

    /// The last step: the request, and the CORS check of its answer.
    fn request(&mut self, heading: &str) -> Result<(), u8> {
        let request = requests::actual(&self.target, &self.args.origin, &self.plan);
        let response = self.exchange(heading, &request, Stage::Actual)?;
        let result = self.apply(|checks, origin, plan| {
            checks::cors_check(checks, &response, origin, plan.credentials)
        });
        if let Err(blocked) = result {
            return Err(self.blocked(Stage::Actual, blocked, &response));
        }
        if response.is_redirect() {
            let location = response
                .get("location")
                .map(|l| cors_runtime::text::Quoted::all(&l).to_string())
                .unwrap_or_default();
            self.report.info(format!(
                "a redirect: the browser follows it to `{location}` and checks that response too (after a redirect to another origin it sends `Origin: null`); cors-check stops here — run it on that URL"
            ));
        } else if !response.is_ok() {
            self.report.info(format!(
                "status {}: the page can read this error response (CORS does not depend on the status of the actual response)",
                response.status
            ));
        }
        self.report
            .allowed(&self.args.origin, self.args.engine, &self.quirks);
        Ok(())
    }

    /// Sends `request` under `heading`, and reports it, the TLS session and the response (the
    /// start of the body too for a preflight that fails by its status: a refusal often says
    /// why there). A network error ends the check.
    fn exchange(&mut self, heading: &str, request: &Request, stage: Stage) -> Result<Response, u8> {
        self.report.step(heading);
        self.report.request(request, &self.target.path_and_query);
        let (response, session) = exchange(&self.target, request, self.tls.as_ref())
            .map_err(|e| self.network_error(&e))?;
        if let Some(session) = session {
            self.report.tls(&session, &self.target.host);
        }
        self.report
            .response(&response, stage == Stage::Preflight && !response.is_ok());
        Ok(response)
    }

    /// Runs the browser's checks on an answer and reports their lines.
    fn apply(
        &mut self,
        check: impl FnOnce(&mut Checks, &str, &Plan) -> Result<(), Blocked>,
    ) -> Result<(), Blocked> {
        let mut checks = Checks::new(self.args.engine);
        let result = check(&mut checks, &self.args.origin, &self.plan);
        self.report.checks(&checks.lines);
        self.quirks.extend(checks.quirks);
        result
    }

    /// Reports the verdict of a blocked request: the console message and the fix.
    fn blocked(&mut self, stage: Stage, blocked: Blocked, response: &Response) -> u8 {
        let failure = Failure {
            stage,
            blocked,
            status: response.status,
        };
        self.report.blocked(
            &self.url,
            &self.args.origin,
            &self.plan.method,
            &failure,
            self.args.engine,
        );
        BLOCKED
    }

    fn network_error(&mut self, e: &NetError) -> u8 {
        self.report.info(format!("network error: {e}"));
        self.report.flush();
        eprintln!("cors-check: network error: {e} (a browser reports this as a network error, not a CORS error)");
        ERROR
    }
}
