//! Cross-origin writes in Chromium: `POST /write` (`#[cors(origins = [PAGE_A])]`) refuses a
//! write from any other origin before its handler runs, whether a form or a `fetch()` sends it,
//! and the handler's runs are counted on the server (`api::writes_with_token`).
//!
//! What Chromium sends: the pages (`127.0.0.1:28461`, `127.0.0.1:28462`) and the API
//! (`127.0.0.1:<ephemeral>`) differ only by their ports, so they are different origins of one
//! site, and Chromium marks a write from a page `Sec-Fetch-Site: same-site` (a site is a scheme
//! and a host, without the port); a form of the API's own page, `same-origin`.
//!
//! A form submission navigates its tab away from the test page, so those cases use a tab of
//! their own ([`OwnTab`]), closed at the end, rather than one lent by the pool.

use crate::api::{self, Seen, PAGE_A, PAGE_B};
use crate::case::CorsError;
use crate::case::{Case, OwnTab, Req};
use std::time::{Duration, Instant};

/// How long the server may take to see a submitted form, and its tab to show the answer.
const FORM_TIMEOUT: Duration = Duration::from_secs(5);

/// Loads the case's own page (see [`OwnTab`]).
macro_rules! own_tab {
    ($name:ident, $open:path, $where:expr) => {
        $open(stringify!($name), $where)
    };
}

/// The one `POST` of `token` the API saw, once it saw it (at most [`FORM_TIMEOUT`]).
fn the_post_of(token: &str) -> Seen {
    let deadline = Instant::now() + FORM_TIMEOUT;
    loop {
        let seen = api::seen_with_token(token);
        let posts: Vec<&Seen> = seen.iter().filter(|s| s.method == "POST").collect();
        match posts[..] {
            [] if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            [] => panic!("{token}: the server saw no POST within {FORM_TIMEOUT:?}: {seen:#?}"),
            [post] => return post.clone(),
            _ => panic!("{token}: the server saw several POSTs: {seen:#?}"),
        }
    }
}

/// The reason of the refusal of a write from `origin`, as the route answers it (one line).
fn refusal(origin: &str) -> String {
    format!(
        "cross-origin write refused: a cross-origin write: the browser marks it \
         `Sec-Fetch-Site: same-site` and origin `{origin}` is not allowed (allowed origins: \
         {PAGE_A})"
    )
}

// ---- forms -------------------------------------------------------------------------------------

pub fn a_form_posted_from_a_refused_page_does_not_run_the_handler() {
    let tab = own_tab!(
        a_form_posted_from_a_refused_page_does_not_run_the_handler,
        OwnTab::open,
        &format!("{PAGE_B}/page.html")
    );
    let url = tab.api_url("/write");
    tab.submit_form(&url);
    let post = the_post_of(tab.token());
    assert_eq!(post.status, 403, "{post:#?}");
    assert_eq!(post.origin.as_deref(), Some(PAGE_B));
    assert_eq!(post.fetch_site.as_deref(), Some("same-site"));
    assert_eq!(post.allow_origin, None);
    assert_eq!(api::writes_with_token(tab.token()), 0);
    // The tab shows the refusal: a form's answer is a page, which no CORS check hides.
    assert_eq!(tab.wait_for_document(&url, FORM_TIMEOUT), refusal(PAGE_B));
}

pub fn a_form_posted_from_the_allowed_page_runs_the_handler_once() {
    let tab = own_tab!(
        a_form_posted_from_the_allowed_page_runs_the_handler_once,
        OwnTab::open,
        &format!("{PAGE_A}/page.html")
    );
    let url = tab.api_url("/write");
    tab.submit_form(&url);
    let post = the_post_of(tab.token());
    assert_eq!(post.status, 200, "{post:#?}");
    assert_eq!(post.origin.as_deref(), Some(PAGE_A));
    assert_eq!(post.fetch_site.as_deref(), Some("same-site"));
    assert_eq!(api::writes_with_token(tab.token()), 1);
    assert_eq!(
        tab.wait_for_document(&url, FORM_TIMEOUT),
        format!("written {}", tab.token())
    );
}

pub fn a_form_of_the_apis_own_page_runs_the_handler_once() {
    let tab = own_tab!(
        a_form_of_the_apis_own_page_runs_the_handler_once,
        OwnTab::open_on_api,
        "/form"
    );
    tab.run("document.getElementById('write').submit()");
    let post = the_post_of(tab.token());
    let url = tab.api_url("/write");
    let api_origin = url.split("/write").next().expect("an origin");
    assert_eq!(post.status, 200, "{post:#?}");
    assert_eq!(post.origin.as_deref(), Some(api_origin));
    assert_eq!(post.fetch_site.as_deref(), Some("same-origin"));
    assert_eq!(api::writes_with_token(tab.token()), 1);
    assert_eq!(
        tab.wait_for_document(&url, FORM_TIMEOUT),
        format!("written {}", tab.token())
    );
}

// ---- simple fetch() writes (text/plain, no preflight) ----------------------------------------

pub fn a_simple_fetch_post_from_a_refused_page_does_not_run_the_handler() {
    let mut c = case!(
        a_simple_fetch_post_from_a_refused_page_does_not_run_the_handler,
        PAGE_B
    );
    let blocked = c.fetch(&Req::new("POST", "/write").body("x")).blocked();
    // The refusal carries no `Access-Control-Allow-Origin`: the script cannot read it either.
    blocked.because(CorsError::MissingAllowOriginHeader);
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "the POST, no preflight: {seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("POST", 403));
    assert_eq!(seen[0].origin.as_deref(), Some(PAGE_B));
    assert_eq!(seen[0].fetch_site.as_deref(), Some("same-site"));
    assert_eq!(seen[0].allow_origin, None);
    assert_eq!(seen[0].vary.as_deref(), Some("Origin"));
    assert_eq!(api::writes_with_token(c.token()), 0);
}

pub fn a_simple_fetch_post_from_the_allowed_page_runs_the_handler_and_is_read() {
    let mut c = case!(
        a_simple_fetch_post_from_the_allowed_page_runs_the_handler_and_is_read,
        PAGE_A
    );
    let res = c.fetch(&Req::new("POST", "/write").body("x")).read();
    assert_eq!(
        (res.status, res.body.as_str()),
        (200, format!("written {}", c.token()).as_str())
    );
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "the POST, no preflight: {seen:#?}");
    assert_eq!(seen[0].fetch_site.as_deref(), Some("same-site"));
    assert_eq!(seen[0].allow_origin.as_deref(), Some(PAGE_A));
    assert_eq!(api::writes_with_token(c.token()), 1);
}
