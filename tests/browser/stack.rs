//! The production-shaped app of `tests/stack/app.rs` (a rate limiter on the App, bearer
//! authentication on `/api`) in Chromium: credentialed `fetch()` calls with `Authorization`
//! from the page at `ALLOWED`, and from the one at `REFUSED`, against the app with `CorsFirst`
//! and, once, against the same app without it.
//!
//! Each case is its own rate-limit client (`client=<case name>`), so the cases count alone.

use crate::case::CorsError;
use crate::case::{Case, Req};
use crate::stack_app::{ALLOWED, REFUSED, TOKEN};
use crate::world::STACK_LIMIT;

/// `GET /api/items?client=<case>` with credentials and, with a token, `Authorization: Bearer`.
fn items(c: &Case, token: Option<&str>) -> Req {
    let req = Req::get(&format!("/api/items?client={}", c.token())).include_credentials();
    match token {
        Some(token) => req.header("authorization", &format!("Bearer {token}")),
        None => req,
    }
}

pub fn a_bearer_fetch_is_preflighted_through_the_authenticated_scope_and_read() {
    let mut c = case!(
        a_bearer_fetch_is_preflighted_through_the_authenticated_scope_and_read,
        ALLOWED
    );
    let req = items(&c, Some(TOKEN));
    let res = c.fetch_on(c.servers().stack_port, &req).read();
    assert_eq!((res.status, res.body.as_str()), (200, r#"[{"id":1}]"#));
    let seen = c.server_saw();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    // CorsFirst answered the preflight; the authentication never saw it.
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("OPTIONS", 204));
    assert_eq!(seen[0].request_headers.as_deref(), Some("authorization"));
    assert_eq!(seen[0].allow_origin.as_deref(), Some(ALLOWED));
    assert_eq!(seen[0].allow_credentials.as_deref(), Some("true"));
    assert_eq!(seen[0].allow_headers.as_deref(), Some("authorization"));
    assert_eq!(seen[0].max_age.as_deref(), Some("600"));
    assert_eq!((seen[1].method.as_str(), seen[1].status), ("GET", 200));
}

pub fn without_cors_first_the_same_bearer_fetch_is_blocked_at_its_preflight() {
    // The failure CorsFirst fixes: the preflight carries no token, so the authentication
    // answers it with a 401 that has no CORS headers.
    let mut c = case!(
        without_cors_first_the_same_bearer_fetch_is_blocked_at_its_preflight,
        ALLOWED
    );
    let req = items(&c, Some(TOKEN));
    let port = c.servers().stack_without_cors_first_port;
    let blocked = c.fetch_on(port, &req).blocked();
    blocked.because(CorsError::PreflightMissingAllowOriginHeader);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "only the preflight: {seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("OPTIONS", 401));
    assert_eq!(seen[0].allow_origin, None);
}

pub fn a_401_of_the_authentication_is_readable_by_the_allowed_page() {
    let mut c = case!(
        a_401_of_the_authentication_is_readable_by_the_allowed_page,
        ALLOWED
    );
    let req = items(&c, None);
    let res = c.fetch_on(c.servers().stack_port, &req).read();
    assert_eq!(res.status, 401);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "no preflight without a token: {seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 401));
    assert_eq!(seen[0].allow_origin.as_deref(), Some(ALLOWED));
    assert_eq!(seen[0].allow_credentials.as_deref(), Some("true"));
}

pub fn a_429_of_the_rate_limiter_is_readable_by_the_allowed_page() {
    let mut c = case!(
        a_429_of_the_rate_limiter_is_readable_by_the_allowed_page,
        ALLOWED
    );
    let req = items(&c, Some(TOKEN));
    let port = c.servers().stack_port;
    // The case counts preflights: warm the engine's preflight cache first (Firefox, see
    // `Case::warm_preflight_cache`), each URL a rate-limit client of its own.
    let warm = Req::get(&format!("/api/items?client=warm-{}", c.token()))
        .include_credentials()
        .header("authorization", &format!("Bearer {TOKEN}"));
    c.warm_preflight_cache(port, &warm);
    for _ in 0..STACK_LIMIT {
        assert_eq!(c.fetch_on(port, &req).read().status, 200);
    }
    let res = c.fetch_on(port, &req).read();
    assert_eq!(res.status, 429);
    let seen = c.server_saw();
    // One preflight (cached for max_age = 600 s), answered before the limiter, then the GETs.
    assert_eq!(c.server_count("OPTIONS"), 1, "{seen:#?}");
    let last = seen.last().expect("the server saw the requests");
    assert_eq!((last.method.as_str(), last.status), ("GET", 429));
    assert_eq!(last.allow_origin.as_deref(), Some(ALLOWED));
    assert_eq!(last.allow_credentials.as_deref(), Some("true"));
}

pub fn a_refused_pages_bearer_fetch_is_blocked_at_its_preflight() {
    let mut c = case!(
        a_refused_pages_bearer_fetch_is_blocked_at_its_preflight,
        REFUSED
    );
    let req = items(&c, Some(TOKEN));
    let blocked = c.fetch_on(c.servers().stack_port, &req).blocked();
    blocked.because(CorsError::PreflightMissingAllowOriginHeader);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "only the preflight: {seen:#?}");
    // CorsFirst's refusal, not the authentication's 401.
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("OPTIONS", 403));
}

pub fn a_refused_pages_401_is_blocked() {
    let mut c = case!(a_refused_pages_401_is_blocked, REFUSED);
    let req = items(&c, None);
    let blocked = c.fetch_on(c.servers().stack_port, &req).blocked();
    blocked.because(CorsError::MissingAllowOriginHeader);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 401));
    assert_eq!(seen[0].allow_origin, None);
}
