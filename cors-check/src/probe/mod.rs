//! `cors-check --probe URL --origin ORIGIN`: an adversarial scan of one URL. From the origin the
//! server allows, [`attempts`] derives the origins a careless check lets through; [`send`]
//! sends each as the request itself (for `GET` and `HEAD`) and as a preflight, as Chromium
//! would from a page on it (several `Origin` fields and control bytes too, which no browser
//! sends); [`judge`] applies the browser's checks to every answer, with and without
//! credentials, and also looks for a reflection without `Vary: Origin` and for `*` with
//! credentials; [`headers`] sends a preflight with an oversized
//! `Access-Control-Request-Headers` and times it; [`print`](mod@print) writes one line per
//! finding, with its [`class`] and severity, and a summary.
//!
//! Exit status: 0 no finding, 1 a finding, 2 usage or network error (the allowed origin's own
//! request or preflight gets no answer, or the server stops answering during the probe).

pub mod attempts;
pub mod class;
pub mod headers;
pub mod judge;
pub mod print;
pub mod send;

use crate::browser::plan::{self, Plan};
use crate::cli::{Args, ProbeArgs};
use crate::exit::{usage_error, ALLOWED, BLOCKED, ERROR};
use crate::net::tls::Tls;
use crate::url::{self, Target};
use judge::{Answer, Kind, Outcome};
use send::{Sender, Sent};

/// Runs the probe and returns the exit status.
pub fn run(args: &ProbeArgs) -> u8 {
    let (target, allowed, plan, tls) = match prepare(args) {
        Ok(ready) => ready,
        Err(e) => return usage_error(&e),
    };
    let sender = Sender {
        target: &target,
        tls: tls.as_ref(),
        plan: &plan,
    };
    let mut out = print::Printer::new(std::io::stdout().lock());
    out.title(&args.origin, &plan.method, &target.serialize());
    if tls.as_ref().is_some_and(Tls::is_insecure) {
        out.insecure();
    }
    match probe(&sender, &args.origin, &allowed) {
        Ok(run) => {
            let (findings, refused) = run.judge(&args.origin, &plan);
            out.run(&run, &args.origin, &plan, &findings, &refused);
            if findings.is_empty() {
                ALLOWED
            } else {
                BLOCKED
            }
        }
        Err(e) => {
            out.flush();
            eprintln!("cors-check: network error: {e}");
            ERROR
        }
    }
}

/// The URL, the allowed origin (parsed), the request as a page would make it, and TLS; `Err`
/// is a usage error.
fn prepare(args: &ProbeArgs) -> Result<(Target, Target, Plan, Option<Tls>), String> {
    let target = Target::parse(&args.url)?;
    url::check_origin(&args.origin)?;
    let allowed = Target::parse(&args.origin)
        .ok()
        .filter(|t| t.origin() == args.origin)
        .ok_or_else(|| {
            format!(
                "--probe derives the origins it tries from an http:// or https:// origin the server allows: `{}` is not one",
                args.origin
            )
        })?;
    let plan = plan::plan(&Args {
        url: args.url.clone(),
        origin: args.origin.clone(),
        method: args.method.clone(),
        headers: Vec::new(),
        data: None,
        credentials: false,
        engine: Default::default(),
        cacert: args.cacert.clone(),
        insecure: args.insecure,
    })?;
    let tls = Tls::for_scheme(target.scheme, args.cacert.as_deref(), args.insecure)?;
    Ok((target, allowed, plan, tls))
}

/// Everything a probe sent and got.
pub struct Run {
    /// The allowed origin's request (`None` for a method that is not safe to send).
    pub baseline_actual: Option<Sent>,
    /// The allowed origin's preflight.
    pub baseline_preflight: Sent,
    /// Each attempt's answers.
    pub outcomes: Vec<Outcome>,
    /// The oversized `Access-Control-Request-Headers`.
    pub list: headers::ListProbe,
    /// How many times the allowed origin's preflight was sent again, to see whether the
    /// server still answers after an attempt got no answer.
    pub rechecks: usize,
    /// `origin` as sent, for the baseline's answers.
    origin: Vec<String>,
}

impl Run {
    /// How many requests were sent.
    pub fn requests(&self) -> usize {
        1 + usize::from(self.baseline_actual.is_some())
            + self
                .outcomes
                .iter()
                .map(|o| 1 + usize::from(o.actual.is_some()))
                .sum::<usize>()
            + self.list.tries.len()
            + self.rechecks
    }

    /// Every answer of the baseline and the attempts.
    fn answers(&self) -> Vec<Answer<'_>> {
        let baseline = [
            (Kind::Actual, self.baseline_actual.as_ref()),
            (Kind::Preflight, Some(&self.baseline_preflight)),
        ]
        .into_iter()
        .map(|(kind, sent)| (kind, &self.origin, sent));
        let attempts = self.outcomes.iter().flat_map(|o| {
            [
                (Kind::Actual, &o.attempt.origins, o.actual.as_ref()),
                (Kind::Preflight, &o.attempt.origins, Some(&o.preflight)),
            ]
        });
        baseline
            .chain(attempts)
            .filter_map(|(kind, origins, sent)| {
                Some(Answer {
                    kind,
                    origins,
                    response: sent?.ok()?,
                })
            })
            .collect()
    }

    /// The findings, the most severe first (in the order found within a severity), and the
    /// classes of the attempts that were all refused.
    pub fn judge(&self, origin: &str, plan: &Plan) -> (Vec<judge::Finding>, Vec<class::Class>) {
        let (mut findings, refused) = judge::attempts(&self.outcomes, plan);
        let answers = self.answers();
        findings.extend(judge::missing_vary(&answers, &plan.method));
        findings.extend(judge::wildcard_credentials(&answers, &plan.method));
        findings.extend(headers::findings(&self.list, origin, &plan.method));
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        (findings, refused)
    }
}

/// Sends everything: the allowed origin's request and preflight, each attempt's, the oversized
/// preflight. `Err` is a network error: the allowed origin gets no answer, or the server stops
/// answering during the probe (an attempt with no answer is then asked again from the allowed
/// origin: a server that drops a request it finds malformed still answers that one).
fn probe(sender: &Sender, origin: &str, allowed: &Target) -> Result<Run, String> {
    let safe = matches!(sender.plan.method.as_str(), "GET" | "HEAD");
    let own = vec![origin.to_owned()];
    let baseline_actual = safe.then(|| sender.actual(&own));
    let baseline_preflight = sender.preflight(&own, sender.plan);
    for (sent, what) in [
        (baseline_actual.as_ref(), sender.plan.method.clone()),
        (
            Some(&baseline_preflight),
            format!("the preflight for {}", sender.plan.method),
        ),
    ] {
        if let Some(Err(e)) = sent.map(|s| &s.response) {
            return Err(format!("{what} from {origin}: {e}"));
        }
    }
    let mut outcomes = Vec::new();
    let mut rechecks = 0;
    for attempt in attempts::attempts(allowed) {
        let actual = safe.then(|| sender.actual(&attempt.origins));
        let preflight = sender.preflight(&attempt.origins, sender.plan);
        if actual
            .iter()
            .chain([&preflight])
            .any(|s| s.response.is_err())
        {
            rechecks += 1;
            if let Err(e) = sender.preflight(&own, sender.plan).response {
                return Err(format!(
                    "the server stopped answering during the probe (the preflight from {origin} again: {e})"
                ));
            }
        }
        outcomes.push(Outcome {
            attempt,
            actual,
            preflight,
        });
    }
    let normal = headers::median(
        [&baseline_preflight]
            .into_iter()
            .chain(outcomes.iter().map(|o| &o.preflight))
            .filter(|s| s.response.is_ok())
            .map(|s| s.elapsed)
            .collect(),
    );
    let list = headers::send(sender, origin, normal);
    Ok(Run {
        baseline_actual,
        baseline_preflight,
        outcomes,
        list,
        rechecks,
        origin: own,
    })
}
