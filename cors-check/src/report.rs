//! What `cors-check` prints: each step, the verdict and, when the browser would block the
//! request, the console message and the fix.

use std::io::Write;

use crate::browser::blocked::{Blocked, Failure};
use crate::browser::checks::{Line, Mark};
use crate::browser::console;
use crate::browser::engines::{self, Engine, Judge, Quirk};
use crate::net::request::Request;
use crate::net::response::Response;
use crate::net::tls::{Session, Verification};
use cors_runtime::text::Quoted;

/// Response fields a CORS check looks at, or that explain one; others are only named.
fn is_relevant(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("access-control-")
        || matches!(lower.as_str(), "vary" | "content-type" | "location")
}

/// The report, written to standard output as the check goes.
pub struct Report<W: Write> {
    out: W,
}

impl<W: Write> Report<W> {
    /// A report written to `out`.
    pub fn new(out: W) -> Self {
        Report { out }
    }

    /// A line as it is.
    pub fn line(&mut self, text: impl AsRef<str>) {
        // A closed standard output (`cors-check ... | head`) must not turn into a panic.
        let _ = writeln!(self.out, "{}", text.as_ref());
    }

    /// The first line: what is being checked, and in which engine with `--engine`.
    pub fn title(
        &mut self,
        method: &str,
        url: &str,
        origin: &str,
        credentials: bool,
        judge: Judge,
    ) {
        let credentials = if credentials {
            "credentials: include"
        } else {
            "no credentials"
        };
        let engine = match judge {
            Judge::Standard => String::new(),
            Judge::Engine(engine) => format!(" in {engine}"),
        };
        self.line(format!(
            "cors-check: can a page on {origin} read {method} {url} ({credentials}){engine}?"
        ));
    }

    /// A section heading.
    pub fn step(&mut self, heading: &str) {
        self.line("");
        self.line(heading);
    }

    /// An information line under a heading.
    pub fn info(&mut self, text: impl AsRef<str>) {
        self.line(format!("  · {}", text.as_ref()));
    }

    /// A decision, under the reasons for it.
    pub fn decision(&mut self, text: impl AsRef<str>) {
        self.line(format!("  → {}", text.as_ref()));
    }

    /// A warning about the whole check, right under the title: it stands out.
    pub fn warning(&mut self, text: impl AsRef<str>) {
        self.line(format!("WARNING: {}", text.as_ref()));
    }

    /// What a TLS handshake agreed on, and what became of the server's certificate.
    pub fn tls(&mut self, session: &Session, host: &str) {
        let mut agreed = format!("{}, {}", session.version, session.cipher);
        if let Some(alpn) = &session.alpn {
            agreed.push_str(&format!(", ALPN {alpn}"));
        }
        match &session.verification {
            Verification::Verified => self.info(format!(
                "TLS ({agreed}): the certificate is valid for {host}"
            )),
            Verification::Skipped { refusal: None } => self.note(format!(
                "TLS ({agreed}): the certificate is not verified (--insecure); it would pass"
            )),
            Verification::Skipped {
                refusal: Some(refusal),
            } => self.note(format!(
                "TLS ({agreed}): the certificate is not verified (--insecure), and a browser refuses it: {refusal}"
            )),
        }
    }

    /// A warning: something the browser does differently from what was asked.
    pub fn note(&mut self, text: impl AsRef<str>) {
        self.line(format!("  ! {}", text.as_ref()));
    }

    /// The request as sent.
    pub fn request(&mut self, request: &Request, path_and_query: &str) {
        self.line(format!("  > {} {path_and_query} HTTP/1.1", request.method));
        for (name, value) in &request.fields {
            self.line(format!("  > {name}: {}", Quoted::all(value)));
        }
        if !request.body.is_empty() {
            let shown: String = Quoted::all(&request.body)
                .to_string()
                .chars()
                .take(200)
                .collect();
            self.line(format!("  > body: {shown}"));
        }
    }

    /// The response: the status line, every field a CORS check reads (each field on its own
    /// line, in order), the names of the others, and the start of a body when `with_body`.
    pub fn response(&mut self, response: &Response, with_body: bool) {
        self.line(format!("  < {}", response.status_line));
        let mut others = Vec::new();
        for (name, value) in &response.fields {
            if is_relevant(name) {
                self.line(format!("  < {name}: {}", Quoted::all(value)));
            } else {
                others.push(name.as_str());
            }
        }
        if !others.is_empty() {
            self.line(format!(
                "  < ({} more: {})",
                others.len(),
                others.join(", ")
            ));
        }
        if with_body && !response.body.is_empty() {
            let text = String::from_utf8_lossy(&response.body);
            let first = text.lines().next().unwrap_or_default();
            let mut shown: String = first.chars().take(200).collect();
            if shown.len() < text.trim_end().len() {
                shown.push_str(" …");
            }
            self.line(format!("  < body: {shown}"));
        }
    }

    /// The check lines under a response.
    pub fn checks(&mut self, lines: &[Line]) {
        for line in lines {
            let mark = match line.mark {
                Mark::Pass => "✓",
                Mark::Fail => "✗",
                Mark::Info => "·",
                Mark::Note => "!",
            };
            self.line(format!("  {mark} {}", line.text));
        }
    }

    /// The verdict when the browser lets the page read the response; `quirks` are the
    /// differences from the standard that let a check pass for `judge`.
    pub fn allowed(&mut self, origin: &str, judge: Judge, quirks: &[Quirk]) {
        self.line("");
        self.line(format!(
            "Verdict: ALLOWED — {} lets a page on {origin} read this response.",
            judge.who()
        ));
        let Judge::Engine(engine) = judge else {
            return;
        };
        for quirk in quirks {
            let d = engines::deviation(*quirk);
            let others = engines::lenient_engines(*quirk, Some(engine));
            let like = if others.is_empty() {
                String::new()
            } else {
                format!(" (as {others} do)")
            };
            self.note(format!(
                "Only because {} {}{like}: the Fetch standard refuses it, and a browser that follows it blocks this request ({} discusses changing the standard). Do not rely on it: {}.",
                d.behaviour(engine).version,
                d.engine_does,
                d.discussion,
                d.fix
            ));
        }
    }

    /// The verdict when the browser blocks the request, with the console message and the fix.
    pub fn blocked(
        &mut self,
        url: &str,
        origin: &str,
        method: &str,
        failure: &Failure,
        judge: Judge,
    ) {
        self.line("");
        let standard_only = judge == Judge::Standard
            && !engines::lenient_engines(Quirk::AuthorizationCoveredByWildcard, None).is_empty()
            && matches!(
                failure.blocked,
                Blocked::Header {
                    authorization_wildcard: true,
                    ..
                }
            );
        if standard_only {
            let quirk = Quirk::AuthorizationCoveredByWildcard;
            let d = engines::deviation(quirk);
            let options =
                engines::and_list(Engine::ALL.map(Engine::option)).replace(" and ", " or ");
            self.line(format!(
                "Verdict: BLOCKED by the Fetch standard, but not by today's engines: {} ({}) {} and send the {method} request (--engine {options} follows one of them to the end). Do not rely on it: a browser that follows the standard blocks this request.",
                engines::lenient_engines(quirk, None),
                engines::evidence(quirk),
                d.engines_do,
            ));
            self.line("Console message of a browser that follows the standard (Chromium's words):");
        } else {
            let rejects = match judge {
                Judge::Standard | Judge::Engine(Engine::Chromium) => {
                    "rejects with \"TypeError: Failed to fetch\""
                }
                Judge::Engine(_) => "rejects with a TypeError",
            };
            self.line(format!(
                "Verdict: BLOCKED — {} blocks this request: the page's fetch() {rejects}.",
                judge.who()
            ));
            match judge {
                Judge::Engine(engine @ (Engine::Firefox | Engine::WebKit)) => self.line(format!(
                    "Chromium console ({engine} words it otherwise; the reason is the same):"
                )),
                _ => self.line("Chromium console:"),
            }
        }
        self.line(format!("  {}", console::message(url, origin, failure)));
        if let Some(remark) = console::remark(failure) {
            self.line(format!("  ({remark})"));
        }
        self.line(format!("Fix: {}", console::fix(failure, origin, method)));
    }

    /// Flushes the output.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
    }
}
