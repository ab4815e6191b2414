//! `cors-check --engine E` against the real engine E, on the misconfigured servers of
//! `cors-check/tests/it/misconfigured.rs` (ported here: the same routes, but naming the test
//! page's origin, which a real browser sends, instead of `https://app.example.com`; the raw TCP
//! servers there send nothing actix-web cannot, so they are routes here too).
//!
//! For each scenario the engine runs the `fetch()` from the page, and `cors-check` sends the same
//! request (method, headers, credentials) from the same origin with `--engine` set to that
//! engine; its exit status (0: the engine reads the response, 1: it blocks it) must be what the
//! engine did. The case also holds each engine to the Fetch standard's verdict, except where the
//! engine is known to deviate (named, with the engine's bug or the standard's issue).
//!
//! The binary is the workspace's `cors-check` (`cargo build -p cors-check`; `cargo test
//! --workspace` builds it), found next to this test's own binary, or at `$CORS_CHECK`.

use crate::api::PAGE_A;
use crate::case::{Case, Req};
use crate::engine::Engine;
use crate::harness;
use actix_web::http::Method;
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use std::path::PathBuf;
use std::process::Command;

/// The origin the servers name: the page the engines run the scenarios from.
const APP: &str = PAGE_A;

/// `OPTIONS` answered by `preflight`, every other method by `actual`.
fn both(
    cfg: &mut web::ServiceConfig,
    path: &'static str,
    preflight: fn() -> HttpResponse,
    actual: fn() -> HttpResponse,
) {
    cfg.route(
        path,
        web::route()
            .method(Method::OPTIONS)
            .to(move |_: HttpRequest| async move { preflight() }),
    )
    .route(
        path,
        web::route().to(move |_: HttpRequest| async move { actual() }),
    );
}

fn acao_app(builder: &mut HttpResponseBuilder) -> &mut HttpResponseBuilder {
    builder.insert_header(("access-control-allow-origin", APP))
}

fn ok_with_acao() -> HttpResponse {
    acao_app(&mut HttpResponse::Ok()).body("{}")
}

/// The misconfigured servers, as routes of one app (served by the world).
pub fn routes(cfg: &mut web::ServiceConfig) {
    // No CORS at all.
    cfg.route(
        "/plain",
        web::get().to(|| async { HttpResponse::Ok().body("{}") }),
    );
    // `*` and credentials together.
    cfg.route(
        "/star-credentials",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", "*"))
                .insert_header(("access-control-allow-credentials", "true"))
                .body("{}")
        }),
    );
    // The origin, but no Access-Control-Allow-Credentials.
    cfg.route(
        "/no-credentials",
        web::get().to(|| async { ok_with_acao() }),
    );
    // The origin with a trailing slash.
    cfg.route(
        "/trailing-slash",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", format!("{APP}/")))
                .body("{}")
        }),
    );
    // A comma-separated list of origins in one field.
    cfg.route(
        "/origin-list",
        web::get().to(|| async {
            HttpResponse::Ok()
                .insert_header((
                    "access-control-allow-origin",
                    format!("{APP}, https://admin.example.com"),
                ))
                .body("{}")
        }),
    );
    // A host without a scheme.
    cfg.route(
        "/no-scheme",
        web::get().to(|| async {
            let host = APP.trim_start_matches("http://");
            HttpResponse::Ok()
                .insert_header(("access-control-allow-origin", host))
                .body("{}")
        }),
    );
    // The allowed origin twice, as two fields.
    cfg.route(
        "/double",
        web::get().to(|| async {
            HttpResponse::Ok()
                .append_header(("access-control-allow-origin", APP))
                .append_header(("access-control-allow-origin", APP))
                .body("{}")
        }),
    );
    // The preflight lists the wrong methods.
    both(
        cfg,
        "/wrong-methods",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "GET, POST"))
                .finish()
        },
        ok_with_acao,
    );
    // The preflight lists the method in lowercase.
    both(
        cfg,
        "/lowercase-method",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "get, put"))
                .finish()
        },
        ok_with_acao,
    );
    // An authentication layer answers the preflight 401 (with the CORS headers).
    both(
        cfg,
        "/preflight-401",
        || {
            acao_app(&mut HttpResponse::Unauthorized())
                .insert_header(("access-control-allow-methods", "PUT"))
                .body("login first")
        },
        ok_with_acao,
    );
    // `*` for methods and headers, which does not cover `authorization`.
    both(
        cfg,
        "/star-headers",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "*"))
                .insert_header(("access-control-allow-headers", "*"))
                .finish()
        },
        ok_with_acao,
    );
    // A preflight that passes, and an actual response without CORS headers.
    both(
        cfg,
        "/preflight-only",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "PUT"))
                .insert_header(("access-control-allow-headers", "x-a, X-B"))
                .finish()
        },
        || HttpResponse::Ok().body("{}"),
    );
    // An error status that carries the CORS headers: readable.
    cfg.route(
        "/error-with-cors",
        web::get().to(|| async { acao_app(&mut HttpResponse::InternalServerError()).body("{}") }),
    );
    // A preflight answered with a redirect.
    both(
        cfg,
        "/moved",
        || {
            acao_app(&mut HttpResponse::MovedPermanently())
                .insert_header(("location", "/moved/"))
                .finish()
        },
        ok_with_acao,
    );
    // Lists that do not parse.
    both(
        cfg,
        "/bad-methods",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "PUT;"))
                .finish()
        },
        ok_with_acao,
    );
    both(
        cfg,
        "/bad-headers",
        || {
            acao_app(&mut HttpResponse::NoContent())
                .insert_header(("access-control-allow-methods", "PUT"))
                .insert_header(("access-control-allow-headers", "x-a x-b"))
                .finish()
        },
        ok_with_acao,
    );
}

/// One request of the page to a misconfigured server.
struct Scenario {
    path: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    credentials: bool,
    /// The Fetch standard's verdict: can the script read the response?
    readable: bool,
}

const fn get(path: &'static str, readable: bool) -> Scenario {
    Scenario {
        path,
        method: "GET",
        headers: &[],
        credentials: false,
        readable,
    }
}

const fn with(
    path: &'static str,
    method: &'static str,
    headers: &'static [(&'static str, &'static str)],
    credentials: bool,
    readable: bool,
) -> Scenario {
    Scenario {
        path,
        method,
        headers,
        credentials,
        readable,
    }
}

/// The scenarios of `cors-check/tests/it/misconfigured.rs`, in its order.
const SCENARIOS: &[Scenario] = &[
    get("/plain", false),
    with("/star-credentials", "GET", &[], true, false),
    get("/star-credentials", true),
    with("/no-credentials", "GET", &[], true, false),
    get("/trailing-slash", false),
    get("/origin-list", false),
    get("/no-scheme", false),
    get("/double", false),
    with("/wrong-methods", "PUT", &[], false, false),
    with(
        "/wrong-methods",
        "POST",
        &[("content-type", "application/json")],
        false,
        false,
    ),
    with("/lowercase-method", "PUT", &[], false, false),
    with("/preflight-401", "PUT", &[], false, false),
    with(
        "/star-headers",
        "PATCH",
        &[("authorization", "Bearer x"), ("x-custom", "1")],
        false,
        false,
    ),
    with("/star-headers", "PATCH", &[], true, false),
    with(
        "/preflight-only",
        "PUT",
        &[("x-b", "2"), ("X-A", "1")],
        false,
        false,
    ),
    with(
        "/preflight-only",
        "PUT",
        &[("x-c", "3"), ("x-d", "4")],
        false,
        false,
    ),
    get("/error-with-cors", true),
    with("/moved", "PUT", &[], false, false),
    with("/bad-methods", "PUT", &[], false, false),
    with("/bad-headers", "PUT", &[("x-a", "1")], false, false),
];

impl Scenario {
    /// How the scenario reads, as in the matrix: `PUT /moved (credentials; x-a)`.
    fn label(&self) -> String {
        let mut extras: Vec<String> = Vec::new();
        if self.credentials {
            extras.push("credentials".into());
        }
        extras.extend(self.headers.iter().map(|(n, _)| n.to_ascii_lowercase()));
        if extras.is_empty() {
            format!("`{} {}`", self.method, self.path)
        } else {
            format!("`{} {}` ({})", self.method, self.path, extras.join(", "))
        }
    }

    fn req(&self, index: usize) -> Req {
        let sep = if self.path.contains('?') { '&' } else { '?' };
        let mut req = Req::new(self.method, &format!("{}{sep}s={index}", self.path));
        for (name, value) in self.headers {
            req = req.header(name, value);
        }
        if self.credentials {
            req = req.include_credentials();
        }
        req
    }

    /// Where an engine is known to read or block otherwise than the standard says: what it
    /// does, and the link.
    fn deviation(&self, engine: Engine) -> Option<(&'static str, &'static str)> {
        let authorization = self.headers.iter().any(|(n, _)| *n == "authorization");
        if self.path == "/star-headers" && authorization && !self.credentials {
            let what = match engine {
                Engine::Chromium | Engine::Firefox | Engine::Webkit => {
                    "reads a response whose preflight allowed `Authorization` only through \
                     `Access-Control-Allow-Headers: *` (the standard: `*` never covers it)"
                }
            };
            return Some((what, "https://github.com/whatwg/fetch/issues/1919"));
        }
        None
    }
}

/// The `cors-check` binary of this workspace: `$CORS_CHECK`, else next to this test's binary
/// (`target/<profile>/cors-check`, where `cargo build -p cors-check` puts it).
fn cors_check_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CORS_CHECK") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("CORS_CHECK={} does not exist", path.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    // target/<profile>/deps/browser-<hash>
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .ok_or_else(|| format!("no target folder above {}", exe.display()))?;
    let binary = profile.join("cors-check");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} does not exist: build it with `cargo build -p cors-check` (`cargo test \
             --workspace` builds it), or set CORS_CHECK=/path/to/cors-check",
            binary.display()
        ))
    }
}

pub fn cors_check_agrees_with_the_engine() {
    let mut c = case!(cors_check_agrees_with_the_engine, PAGE_A);
    let engine = c.engine();
    let binary = match cors_check_binary() {
        Ok(binary) => binary,
        Err(why) => harness::skip(&why),
    };
    let port = c.servers().misconfigured_port;
    let mut disagreements = Vec::new();
    let mut unexpected = Vec::new();
    for (index, scenario) in SCENARIOS.iter().enumerate() {
        let req = scenario.req(index);
        let read = c.fetch_on(port, &req).was_read();

        // cors-check: the same request, from the same origin, marked with another token so
        // that the case's own records stay the browser's.
        let url = c
            .url_on(port, &req_path(&req))
            .replace("&t=", "&t=cors-check-");
        let mut command = Command::new(&binary);
        command
            .arg(&url)
            .args(["--origin", APP, "--method", scenario.method])
            .args(["--engine", engine.id()]);
        for (name, value) in scenario.headers {
            command.args(["--header", &format!("{name}: {value}")]);
        }
        if scenario.credentials {
            command.arg("--credentials");
        }
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
        let says = match output.status.code() {
            Some(0) => true,
            Some(1) => false,
            _ => panic!(
                "cors-check --engine {} failed on {}: {}\n{}{}",
                engine.id(),
                scenario.label(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        };
        let verdict = |r: bool| if r { "read" } else { "blocked" };
        harness::observe(&scenario.label(), verdict(read));
        if says != read {
            disagreements.push(format!(
                "{}: {engine} {}, cors-check --engine {} says {}",
                scenario.label(),
                verdict(read),
                engine.id(),
                verdict(says)
            ));
        }
        match scenario.deviation(engine) {
            Some((what, link)) if read != scenario.readable => harness::differs(what, link),
            _ if read != scenario.readable => unexpected.push(format!(
                "{}: {engine} {}, the standard says {}",
                scenario.label(),
                verdict(read),
                verdict(scenario.readable)
            )),
            Some((what, _)) => unexpected.push(format!(
                "{}: {engine} no longer deviates as recorded ({what})",
                scenario.label()
            )),
            None => {}
        }
    }
    harness::observe(
        "`cors-check --engine` gives this engine's verdict",
        &format!(
            "{} of {}",
            SCENARIOS.len() - disagreements.len(),
            SCENARIOS.len()
        ),
    );
    assert!(
        unexpected.is_empty(),
        "{engine} differs from the standard where no known deviation says so:\n{}",
        unexpected.join("\n")
    );
    assert!(
        disagreements.is_empty(),
        "cors-check --engine {} disagrees with {engine}:\n{}",
        engine.id(),
        disagreements.join("\n")
    );
}

/// The path and query of `req` (without the case's token, which `url_on` adds).
fn req_path(req: &Req) -> String {
    req.path().to_owned()
}
