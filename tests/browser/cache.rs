//! The preflight cache: what each engine does with this crate's `Access-Control-Max-Age`, and
//! without it. Measured, not assumed: each case records what it saw (one preflight then none,
//! for how long), and the matrix shows it.
//!
//! The Fetch standard lets a browser keep a preflight's result for `Access-Control-Max-Age`
//! seconds, capped as it likes, and for 5 s when the header is absent
//! (<https://fetch.spec.whatwg.org/#http-access-control-max-age>). The caps are not measured
//! here (they are minutes to hours; `docs/browsers.md` names them with their sources): Chromium's
//! is 7200 s, Firefox's 86400 s, WebKit's 600 s.
//!
//! Timing without flaky assertions: a request meant to find the entry still cached is checked
//! only if it came back early enough (measured from before the first request, which bounds the
//! preflight's time from below), and one meant to find it expired is sent long enough after the
//! first request came back (which bounds it from above). When the machine was too slow for a
//! conclusive attempt, the case tries again on a fresh URL, at most [`ATTEMPTS`] times.
//!
//! Firefox does not keep the first preflights of a session to an IP-literal host such as
//! 127.0.0.1 (measured: the first two URLs of a fresh session, sometimes one later on; its DNS
//! re-resolution guard, as far as the team found): each case first warms the cache up
//! ([`Case::warm_preflight_cache`]), so that it measures the cache and not that guard.

use crate::api::PAGE_A;
use crate::case::{Case, Req};
use crate::harness;
use std::time::{Duration, Instant};

/// Conclusive attempts are needed; a slower machine gets this many.
const ATTEMPTS: usize = 3;

/// One preflighted `PUT` of the case on `path` (`/{route}/{id}`), with `x-request-id`.
fn put(path: &str) -> Req {
    Req::new("PUT", path).header("x-request-id", "same")
}

/// How many preflights of `path` the server answered for this case.
fn preflights(c: &Case, path: &str) -> usize {
    c.server_saw()
        .iter()
        .filter(|s| s.method == "OPTIONS" && s.target.starts_with(&format!("{path}?")))
        .count()
}

/// Warms the preflight cache for the API (see the module's documentation).
fn warm_up(c: &mut Case, route: &str) {
    let port = c.servers().api_port;
    c.warm_preflight_cache(port, &put(&format!("/{route}/0")));
}

/// For each `(delay, cached)` in `checks`: whether the request at `delay` after the first one
/// needed a preflight (`true`) or found it cached (`false`). `cached` says what the check is
/// meant to find, and so which bound makes it conclusive (see the module's documentation):
/// `ttl` is the lifetime being measured.
fn measure(c: &mut Case, route: &str, ttl: Duration, checks: &[(Duration, bool)]) -> Vec<bool> {
    warm_up(c, route);
    for attempt in 1..=ATTEMPTS {
        let path = format!("/{route}/{attempt}");
        let before = Instant::now();
        assert!(c.fetch(&put(&path)).was_read(), "the first request");
        let done = Instant::now();
        assert_eq!(preflights(c, &path), 1, "{:#?}", c.server_saw());
        let mut seen = Vec::new();
        let mut conclusive = true;
        for &(delay, cached) in checks {
            let at = if cached { before + delay } else { done + delay };
            std::thread::sleep(at.saturating_duration_since(Instant::now()));
            let count = preflights(c, &path);
            assert!(c.fetch(&put(&path)).was_read(), "the request at {delay:?}");
            let back = Instant::now();
            if cached && back.duration_since(before) + Duration::from_millis(300) > ttl {
                harness::log(format!(
                    "attempt {attempt}: the request meant for {delay:?} came back {:?} after \
                     the first was sent: too late to say whether the entry ({ttl:?}) was kept",
                    back.duration_since(before)
                ));
                conclusive = false;
                break;
            }
            seen.push(preflights(c, &path) > count);
        }
        if conclusive {
            return seen;
        }
    }
    panic!("no conclusive attempt in {ATTEMPTS}: the machine is too slow to time {ttl:?}");
}

fn says(preflighted: bool) -> &'static str {
    if preflighted {
        "preflight again"
    } else {
        "cached"
    }
}

pub fn max_age_600_caches_the_preflight() {
    let mut c = case!(max_age_600_caches_the_preflight, PAGE_A);
    warm_up(&mut c, "cached");
    let req = put("/cached/1");
    assert_eq!(c.fetch(&req).read().body, "cached 1");
    assert_eq!(c.fetch(&req).read().body, "cached 1");
    assert_eq!(c.server_count("PUT"), 2);
    assert_eq!(c.server_count("OPTIONS"), 1, "{:#?}", c.server_saw());
    assert_eq!(c.server_saw()[0].max_age.as_deref(), Some("600"));
    harness::observe("`max_age = 600`: a second request at once", "cached");
}

pub fn max_age_0_sends_a_preflight_every_time() {
    let mut c = case!(max_age_0_sends_a_preflight_every_time, PAGE_A);
    let req = put("/uncached/1");
    assert_eq!(c.fetch(&req).read().body, "uncached 1");
    assert_eq!(c.fetch(&req).read().body, "uncached 1");
    assert_eq!(c.server_count("PUT"), 2);
    assert_eq!(c.server_count("OPTIONS"), 2, "{:#?}", c.server_saw());
    assert_eq!(c.server_saw()[0].max_age.as_deref(), Some("0"));
    harness::observe("`max_age = 0`: a second request at once", "preflight again");
}

pub fn max_age_2_expires_after_2_seconds() {
    let mut c = case!(max_age_2_expires_after_2_seconds, PAGE_A);
    let second = Duration::from_secs(1);
    let third = Duration::from_secs(3);
    let seen = measure(
        &mut c,
        "ttl2",
        Duration::from_secs(2),
        &[(second, true), (third, false)],
    );
    harness::observe("`max_age = 2`: a request 1 s later", says(seen[0]));
    harness::observe("`max_age = 2`: a request 3 s later", says(seen[1]));
    assert_eq!(seen, [false, true], "1 s: cached; 3 s: preflight again");
}

pub fn without_max_age_a_preflight_is_kept_5_seconds() {
    let mut c = case!(without_max_age_a_preflight_is_kept_5_seconds, PAGE_A);
    let seen = measure(
        &mut c,
        "ttl-default",
        Duration::from_secs(5),
        &[
            (Duration::from_secs(2), true),
            (Duration::from_millis(6500), false),
        ],
    );
    harness::observe("no `max_age`: a request 2 s later", says(seen[0]));
    harness::observe("no `max_age`: a request 6.5 s later", says(seen[1]));
    assert_eq!(seen, [false, true], "2 s: cached; 6.5 s: preflight again");
}
