//! What `--probe` prints: what was sent and how the allowed origin fared, one line per finding
//! (`SEVERITY  class  what was sent and answered`), and a summary.

use std::io::Write;

use cors_runtime::text::Quoted;

use super::class::{Class, Severity};
use super::headers::{duration, ListProbe};
use super::judge::{browser_access, Access, Finding, Kind};
use super::send::Sent;
use super::Run;
use crate::browser::plan::Plan;
use crate::report::Report;

/// The probe's report, written to `W` as lines.
pub struct Printer<W: Write> {
    report: Report<W>,
}

impl<W: Write> Printer<W> {
    /// A report written to `out`.
    pub fn new(out: W) -> Self {
        Printer {
            report: Report::new(out),
        }
    }

    /// The first line: what is probed.
    pub fn title(&mut self, origin: &str, method: &str, url: &str) {
        self.report.line(format!(
            "cors-check --probe: which origins besides {origin} can read {method} {url}?"
        ));
    }

    /// The warning of `--insecure`.
    pub fn insecure(&mut self) {
        self.report
            .warning("--insecure: the server's TLS certificate is NOT verified.");
    }

    /// Everything after the title: what was sent, the findings, the summary.
    pub fn run(
        &mut self,
        run: &Run,
        origin: &str,
        plan: &Plan,
        findings: &[Finding],
        refused: &[Class],
    ) {
        self.baseline(run, origin, plan);
        let method = &plan.method;
        let each = if run.baseline_actual.is_some() {
            format!("each sent as {method} and as a preflight for {method}")
        } else {
            format!("each sent as a preflight for {method} ({method} itself is not sent: a probe changes nothing)")
        };
        self.report.info(format!(
            "{} attempts, {each}; every answer judged with and without credentials",
            run.outcomes.len()
        ));
        if !refused.is_empty() {
            let names: Vec<&str> = refused.iter().map(|c| c.name()).collect();
            self.report.info(format!("refused: {}", names.join(", ")));
        }
        for outcome in &run.outcomes {
            let sent = [
                (method.to_string(), outcome.actual.as_ref()),
                (
                    format!("the preflight for {method}"),
                    Some(&outcome.preflight),
                ),
            ];
            for (what, sent) in sent {
                if let Some(Err(e)) = sent.map(|s| &s.response) {
                    let origins: Vec<String> = outcome
                        .attempt
                        .origins
                        .iter()
                        .map(|o| Quoted::all(o.as_bytes()).to_string())
                        .collect();
                    self.report.info(format!(
                        "{}: no answer to {what} from {}: {e}",
                        outcome.attempt.class.name(),
                        origins.join(" + ")
                    ));
                }
            }
        }
        self.list(&run.list, method);
        self.report.line("");
        for f in findings {
            self.report.line(format!(
                "{:<6}  {}  {}",
                f.severity,
                f.class.name(),
                f.message
            ));
        }
        if !findings.is_empty() {
            self.report.line("");
        }
        self.summary(findings, run.requests());
        self.flush();
    }

    /// How the allowed origin's own request and preflight fared.
    fn baseline(&mut self, run: &Run, origin: &str, plan: &Plan) {
        let method = &plan.method;
        let mut parts = Vec::new();
        let mut allowed = false;
        for (label, kind, sent) in [
            (
                method.to_string(),
                Kind::Actual,
                run.baseline_actual.as_ref(),
            ),
            (
                format!("preflight for {method}"),
                Kind::Preflight,
                Some(&run.baseline_preflight),
            ),
        ] {
            let Some(response) = sent.and_then(Sent::ok) else {
                continue;
            };
            let access = match browser_access(response, origin, kind, plan) {
                Access::Credentials => "allowed with credentials",
                Access::Plain => "allowed without credentials",
                Access::Public => "public (Access-Control-Allow-Origin: *)",
                Access::None => "not allowed",
            };
            allowed |= access != "not allowed";
            parts.push(format!("{label} {}, {access}", response.status));
        }
        self.report
            .info(format!("{origin} itself: {}", parts.join("; ")));
        if !allowed {
            self.report.note(format!(
                "{origin} itself is not allowed here (another URL or --method?): the findings still name every origin the server lets through"
            ));
        }
    }

    /// The oversized `Access-Control-Request-Headers`: its status and time, and a normal
    /// preflight's.
    fn list(&mut self, list: &ListProbe, method: &str) {
        let Some(best) = list.best() else {
            return;
        };
        let answer = match &best.response {
            Ok(response) => format!("{} in {}", response.status, duration(best.elapsed)),
            Err(e) => format!("no answer after {} ({e})", duration(best.elapsed)),
        };
        let tries = if list.tries.len() > 1 {
            format!(" at best of {} tries", list.tries.len())
        } else {
            String::new()
        };
        let normal = match list.normal {
            Some((normal, n)) => format!(
                "; a normal preflight: {} (the median of {n})",
                duration(normal)
            ),
            None => String::new(),
        };
        self.report.info(format!(
            "a preflight for {method} asking for {} request headers ({} bytes): {answer}{tries}{normal}",
            list.names, list.bytes
        ));
    }

    /// The last line.
    fn summary(&mut self, findings: &[Finding], requests: usize) {
        if findings.is_empty() {
            self.report
                .line(format!("Summary: no finding ({requests} requests)."));
            return;
        }
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        self.report.line(format!(
            "Summary: {} finding{} ({} HIGH, {} MEDIUM, {} LOW) in {requests} requests.",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            count(Severity::High),
            count(Severity::Medium),
            count(Severity::Low),
        ));
    }

    /// Flushes the output.
    pub fn flush(&mut self) {
        self.report.flush();
    }
}
