//! `cors-check --engine`: whose verdict the exit status is. On the one recorded difference
//! (`Access-Control-Allow-Headers: *` and a request that sends `Authorization`), the standard
//! blocks and Chromium, Firefox and WebKit read the response; everywhere else each engine's
//! verdict is the standard's. The servers are misconfigured.rs's.

use crate::misconfigured::{routes, APP};
use crate::support::{actix, cors_check};

const ENGINES: [(&str, &str, &str); 3] = [
    ("chromium", "Chromium", "Chromium 156"),
    ("firefox", "Firefox", "Firefox 153"),
    ("webkit", "WebKit", "WebKit 2.50"),
];

fn star_and_authorization(url: &str, engine: Option<&str>) -> crate::support::Run {
    let mut args = vec![
        url,
        "--origin",
        APP,
        "-X",
        "PATCH",
        "-H",
        "authorization: Bearer x",
    ];
    if let Some(engine) = engine {
        args.extend(["--engine", engine]);
    }
    cors_check(&args)
}

#[test]
fn each_engine_reads_what_the_standard_blocks_and_says_not_to_rely_on_it() {
    let server = actix(routes);
    let url = server.url("/star-headers");

    for run in [
        star_and_authorization(&url, None),
        star_and_authorization(&url, Some("standard")),
    ] {
        run.assert_code(1)
            .assert_line("✗ header authorization: not allowed; Access-Control-Allow-Headers lists *")
            .assert_line("· `*` does not cover `authorization` in the Fetch standard: it must be listed by name")
            .assert_line("! Chromium 156, Firefox 153 and WebKit 2.50 (measured) let `*` cover `authorization` all the same, and send the request (https://github.com/whatwg/fetch/issues/1919 discusses changing the standard). Do not rely on it: list `authorization` by name in Access-Control-Allow-Headers")
            .assert_line("Verdict: BLOCKED by the Fetch standard, but not by today's engines: Chromium 156, Firefox 153 and WebKit 2.50 (measured) let `*` cover `authorization` and send the PATCH request (--engine chromium, firefox or webkit follows one of them to the end). Do not rely on it: a browser that follows the standard blocks this request.")
            .assert_line("Console message of a browser that follows the standard (Chromium's words):")
            .assert_line(&format!("Access to fetch at '{url}' from origin '{APP}' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response."))
            .assert_line("Fix: List authorization by name in Access-Control-Allow-Headers: `*` does not cover `authorization` (with actix-route-cors: `headers = [\"*\", \"authorization\"]`).")
            .assert_no_line_starting("3. Request")
            .assert_no_line_starting("Verdict: BLOCKED —");
    }

    for (option, name, version) in ENGINES {
        let run = star_and_authorization(&url, Some(option));
        let others: Vec<&str> = ENGINES
            .iter()
            .filter(|(o, ..)| *o != option)
            .map(|(.., v)| *v)
            .collect();
        let others = others.join(" and ");
        run.assert_code(0)
            .assert_line(&format!(
                "cors-check: can a page on {APP} read PATCH {url} (no credentials) in {name}?"
            ))
            .assert_line(&format!("✓ header authorization: covered by `*` in Access-Control-Allow-Headers in {version}, though not in the Fetch standard"))
            .assert_line(&format!("! {version} lets `*` cover `authorization`, as {others} do (measured); the Fetch standard does not (https://github.com/whatwg/fetch/issues/1919 discusses changing the standard). Do not rely on it: list `authorization` by name in Access-Control-Allow-Headers"))
            .assert_line("3. Request")
            .assert_line(&format!(
                "Verdict: ALLOWED — {name} lets a page on {APP} read this response."
            ))
            .assert_line(&format!("! Only because {version} lets `*` cover `authorization` (as {others} do): the Fetch standard refuses it, and a browser that follows it blocks this request (https://github.com/whatwg/fetch/issues/1919 discusses changing the standard). Do not rely on it: list `authorization` by name in Access-Control-Allow-Headers."))
            .assert_no_line_starting("Chromium console");
    }
}

#[test]
fn where_no_difference_is_recorded_every_engine_gives_the_standard_verdict() {
    let server = actix(routes);
    // With credentials `*` is no wildcard, in the standard and in every engine.
    let url = server.url("/star-headers");
    let blocked = "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.";
    for (option, name, _) in ENGINES {
        let run = cors_check(&[
            &url,
            "--origin",
            APP,
            "-X",
            "PATCH",
            "-H",
            "authorization: Bearer x",
            "--credentials",
            "--engine",
            option,
        ]);
        run.assert_code(1).assert_line(&format!(
            "Access to fetch at '{url}' from origin '{APP}' has been blocked by CORS policy: {blocked}"
        ));
        if option == "chromium" {
            run.assert_line("Verdict: BLOCKED — Chromium blocks this request: the page's fetch() rejects with \"TypeError: Failed to fetch\".")
                .assert_line("Chromium console:");
        } else {
            run.assert_line(&format!(
                "Verdict: BLOCKED — {name} blocks this request: the page's fetch() rejects with a TypeError."
            ))
            .assert_line(&format!(
                "Chromium console ({name} words it otherwise; the reason is the same):"
            ));
        }
    }
    // A readable answer is readable in every engine.
    let url = server.url("/error-with-cors");
    for (option, name, _) in ENGINES {
        cors_check(&[&url, "--origin", APP, "--engine", option])
            .assert_code(0)
            .assert_line(&format!(
                "Verdict: ALLOWED — {name} lets a page on {APP} read this response."
            ))
            .assert_no_line_starting("! Only because");
    }
}

#[test]
fn engine_is_a_usage_error_when_unknown_or_given_twice() {
    let run = cors_check(&["http://127.0.0.1:9/", "--origin", APP, "--engine", "blink"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("cors-check: --engine `blink`: write chromium, firefox, webkit or standard (the default: the Fetch standard's verdict)"),
        "{run}"
    );
    let run = cors_check(&[
        "http://127.0.0.1:9/",
        "--origin",
        APP,
        "--engine=firefox",
        "--engine=webkit",
    ]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("cors-check: --engine is given twice"),
        "{run}"
    );
}
