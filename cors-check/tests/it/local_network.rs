//! Chrome's Local Network Access beside the verdict: a page on a public origin (or a local
//! one) calling a loopback server needs the user's permission, which no response header
//! grants. The exit status stays the CORS verdict's. `/star-credentials` answers `*`, which any
//! origin reads without credentials.

use crate::misconfigured::routes;
use crate::support::{actix, cors_check};

const HEADING: &str =
    "Local Network Access (Chrome 142 and later; beside the verdict, which it does not change)";
const IFRAME: &str = "A page in a cross-origin iframe gets it only if its parent delegates it: <iframe allow=\"local-network-access\"> (or \"loopback-network\"), and a Permissions-Policy header on the parent, if it sends one, that lists the frame's origin: Permissions-Policy: local-network-access=(self \"https://frame.example\").";

#[test]
fn a_public_https_page_calling_loopback_needs_the_users_permission() {
    let server = actix(routes);
    let url = server.url("/error-with-cors");
    let origin = "https://app.example.com";
    let run = cors_check(&[&url, "--origin", origin]);
    run.assert_allowed(origin)
        .assert_line(HEADING)
        .assert_line("· the page's origin https://app.example.com is public (its host is a name, taken to be served from a public address); the URL's host 127.0.0.1 is loopback")
        .assert_line("! Chrome asks the user for permission before it sends this request (`loopback-network` from Chrome 145, `local-network-access` in Chrome 142 to 144), and the page's fetch() fails if the user refuses. No response header grants it: nothing on the server can.")
        .assert_line(&format!("→ The user allows it in Chrome's prompt, or later under Site settings → Local network access. {IFRAME}"))
        .assert_line("· https://developer.chrome.com/blog/local-network-access, https://chromestatus.com/feature/5152728072060928");
    // After the verdict.
    let verdict = run.stdout.find("Verdict: ALLOWED").unwrap();
    assert!(run.stdout.find(HEADING).unwrap() > verdict, "{run}");

    // Beside a BLOCKED verdict too, which it does not change.
    let url = server.url("/plain");
    cors_check(&[&url, "--origin", origin])
        .assert_code(1)
        .assert_line(HEADING);
}

#[test]
fn an_http_page_gets_no_prompt_and_a_local_page_calling_loopback_needs_it_too() {
    let server = actix(routes);
    // `localhost` by its name; the page is no secure context.
    let url = server
        .url("/star-credentials")
        .replace("127.0.0.1", "localhost");
    let origin = "http://app.example.com";
    cors_check(&[&url, "--origin", origin])
        .assert_code(0)
        .assert_line("· the page's origin http://app.example.com is public (its host is a name, taken to be served from a public address); the URL's host localhost is loopback")
        .assert_line("! Chrome blocks this request without asking: it grants the permission (`loopback-network` from Chrome 145, `local-network-access` in Chrome 142 to 144) only to secure contexts, and the page is served over http://. No response header changes that.")
        .assert_line(&format!("→ Serve the page over https://; then the user allows it in Chrome's prompt, or later under Site settings → Local network access. {IFRAME}"));

    // An intranet page (a private address) calling loopback: local to loopback.
    let url = server.url("/star-credentials");
    cors_check(&[&url, "--origin", "https://10.0.0.8"])
        .assert_code(0)
        .assert_line("· the page's origin https://10.0.0.8 is local; the URL's host 127.0.0.1 is loopback")
        .assert_line("! Chrome asks the user for permission before it sends this request (`loopback-network` from Chrome 145, `local-network-access` in Chrome 142 to 144), and the page's fetch() fails if the user refuses. No response header grants it: nothing on the server can.");
}

#[test]
fn no_word_of_it_when_the_page_is_as_private_as_the_server() {
    let server = actix(routes);
    let url = server.url("/star-credentials");
    for origin in [
        "http://127.0.0.1:8081",
        "http://localhost:3000",
        "http://[::1]:3000",
    ] {
        cors_check(&[&url, "--origin", origin])
            .assert_code(0)
            .assert_no_line_starting("Local Network Access");
    }
    // With --engine firefox it is said to be Chrome's.
    cors_check(&[
        &url,
        "--origin",
        "https://app.example.com",
        "--engine",
        "firefox",
    ])
    .assert_code(0)
    .assert_line(HEADING)
    .assert_line("· Chrome's, not Firefox's: cors-check records nothing of the kind for Firefox");
}
