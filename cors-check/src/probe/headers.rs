//! An oversized `Access-Control-Request-Headers`: a preflight from the allowed origin that asks
//! for [`NAMES`] request headers (about 6 KB, over the 4 KB a careful server accepts and under
//! the 8 KB a front proxy such as nginx accepts per header line). A server that allows it puts
//! no bound on the list it parses; a server that takes far longer over it than over a normal
//! preflight does work that grows with it.
//!
//! Timing is judged robustly: the reference is the median time of every normal preflight of
//! the run (a few dozen), and the oversized preflight counts as slow only when it is slow
//! [`TRIES`] times over, at best, by both a factor ([`SLOW_FACTOR`]) and a margin
//! ([`SLOW_MARGIN`]) over that median: a scheduling hiccup slows one exchange, not three, and
//! a 1 ms server taking 25 ms is noise on a busy machine, not a finding.

use std::time::Duration;

use super::class::Class;
use super::judge::{browser_access, Access, Finding, Kind};
use super::send::{Sender, Sent};
use crate::browser::plan::Plan;
use crate::net::limits::IO_TIMEOUT;

/// How many request-header names the oversized preflight asks for.
pub const NAMES: usize = 1200;
/// How many times the oversized preflight is sent when the first one is slow.
pub const TRIES: usize = 3;
/// How many times slower than a normal preflight is abnormal...
pub const SLOW_FACTOR: u32 = 20;
/// ...and by how much at least.
pub const SLOW_MARGIN: Duration = Duration::from_millis(500);

/// The names asked for: `x0`, `x1`, ... `x1199`.
pub fn names() -> Vec<String> {
    (0..NAMES).map(|i| format!("x{i}")).collect()
}

/// What the oversized preflight gave.
#[derive(Debug, Clone)]
pub struct ListProbe {
    /// The number of names asked for.
    pub names: usize,
    /// The length of the `Access-Control-Request-Headers` value, in bytes.
    pub bytes: usize,
    /// Each time it was sent (once, or [`TRIES`] times when the first was slow).
    pub tries: Vec<Sent>,
    /// The median time of a normal preflight in this run, and of how many.
    pub normal: Option<(Duration, usize)>,
    /// The plan of the oversized preflight (the probe's, asking for the names).
    pub plan: Plan,
}

impl ListProbe {
    /// The fastest try: what the server needs at best.
    pub fn best(&self) -> Option<&Sent> {
        self.tries.iter().min_by_key(|s| s.elapsed)
    }

    /// Whether it took abnormally long: every try, and the best one by both the factor and the
    /// margin over a normal preflight (a try that timed out counts as slow).
    pub fn is_slow(&self) -> bool {
        match (self.best(), self.normal) {
            (Some(best), Some((normal, _))) => {
                self.tries.len() == TRIES && slow(best.elapsed, normal)
            }
            _ => false,
        }
    }
}

/// Whether `elapsed` is abnormal against a normal preflight's `normal` time.
pub fn slow(elapsed: Duration, normal: Duration) -> bool {
    elapsed >= (normal * SLOW_FACTOR).max(normal + SLOW_MARGIN)
}

/// The median of `times`, and how many there are.
pub fn median(mut times: Vec<Duration>) -> Option<(Duration, usize)> {
    times.sort();
    let n = times.len();
    (n > 0).then(|| (times[n / 2], n))
}

/// Sends the oversized preflight from `origin` (again, up to [`TRIES`] times in all, when the
/// first is slow against `normal`).
pub fn send(sender: &Sender, origin: &str, normal: Option<(Duration, usize)>) -> ListProbe {
    let mut plan = sender.plan.clone();
    plan.unsafe_names = names();
    let bytes = plan.request_headers_value().map_or(0, |v| v.len());
    let origins = [origin.to_owned()];
    let mut tries = vec![sender.preflight(&origins, &plan)];
    let first_slow = normal.is_some_and(|(normal, _)| slow(tries[0].elapsed, normal));
    if first_slow {
        while tries.len() < TRIES {
            tries.push(sender.preflight(&origins, &plan));
        }
    }
    ListProbe {
        names: NAMES,
        bytes,
        tries,
        normal,
        plan,
    }
}

/// The findings: the list is allowed (a page on `origin` could send it), or it is slow.
pub fn findings(probe: &ListProbe, origin: &str, method: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let asked = format!(
        "a preflight for {method} from {origin} asking for {} request headers ({} bytes of Access-Control-Request-Headers)",
        probe.names, probe.bytes
    );
    if let Some(response) = probe.tries.first().and_then(Sent::ok) {
        if browser_access(response, origin, Kind::Preflight, &probe.plan) != Access::None {
            out.push(Finding::about_answers(
                Class::RequestHeadersUnbounded,
                format!(
                    "{asked} is allowed ({}): the server puts no limit on the list it parses (a server with one refuses it)",
                    response.status
                ),
            ));
        }
    }
    if let (true, Some(best), Some((normal, _))) = (probe.is_slow(), probe.best(), probe.normal) {
        let timed_out = best.response.is_err() && best.elapsed >= IO_TIMEOUT;
        out.push(Finding::about_answers(
            Class::RequestHeadersSlow,
            format!(
                "{asked} takes {}{} at best of {} tries, a normal preflight {}: the server's work grows with the list, and a few such requests tie it up",
                duration(best.elapsed),
                if timed_out { " (no answer in time)" } else { "" },
                probe.tries.len(),
                duration(normal),
            ),
        ));
    }
    out
}

/// A duration for the report: `0.8 ms`, `12 ms`, `1.5 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_over_the_runtime_limit_and_under_a_proxy_line_limit() {
        let value = names().join(",");
        assert!(value.len() > cors_runtime::MAX_REQUEST_HEADERS_LEN);
        assert!(value.len() + "Access-Control-Request-Headers: ".len() < 8 * 1024);
    }

    #[test]
    fn slowness_needs_a_factor_and_a_margin() {
        let ms = Duration::from_millis;
        // Noise on a fast server: 20 times slower, but by less than the margin.
        assert!(!slow(ms(25), ms(1)));
        assert!(slow(ms(501), ms(1)));
        // A slow server: the margin is met, the factor is not.
        assert!(!slow(ms(900), ms(200)));
        assert!(slow(ms(4000), ms(200)));
    }

    #[test]
    fn median_and_duration() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(9), ms(1), ms(2)]), Some((ms(2), 3)));
        assert_eq!(median(Vec::new()), None);
        assert_eq!(duration(Duration::from_micros(800)), "0.8 ms");
        assert_eq!(duration(ms(12)), "12 ms");
        assert_eq!(duration(ms(1500)), "1.5 s");
    }
}
