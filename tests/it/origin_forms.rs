//! The scenarios every form of origins passes, each run over the five forms of one policy
//! (`tests/support/policy.rs`): written in the attribute, from configuration (`OriginSource`),
//! decided by a function, looked up (`OriginLookup`) and a named `cors_policy!`. The answers are
//! the same in every form; only the words that name the allowed origins, in a refusal and in
//! the audit, differ. What is particular to one form stays with it: `configured_origins.rs`,
//! `origin_fn.rs`, `origin_lookup.rs`, `named_policies.rs`, and the written origins of
//! `runtime_*.rs`.
//!
//! The lookup keeps no answer and takes 10 ms to give one: every request waits for its lookup,
//! as the first request of an origin does.

use std::future::Future;
use std::sync::Once;
use std::time::Duration;

use actix_route_cors::{audit, CorsFirst, LookupSettings};
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::test::{init_service, TestRequest};
use actix_web::{web, App};

use crate::policy::{self, APP, EVIL};
use crate::support::{get, preflight, require_authorization, send, send_fallible};

/// Where the policy's origins come from.
#[derive(Debug, Clone, Copy)]
enum Form {
    Written,
    Configured,
    Function,
    Lookup,
    Named,
}

const FORMS: [Form; 5] = [
    Form::Written,
    Form::Configured,
    Form::Function,
    Form::Lookup,
    Form::Named,
];

impl Form {
    /// Registers the form's `GET /items` and `POST /items`.
    fn routes(self, config: &mut web::ServiceConfig) {
        prepare();
        match self {
            Form::Written => config.service(policy::cors).service(policy::cors_write),
            Form::Configured => config
                .service(policy::cors_configured)
                .service(policy::cors_configured_write),
            Form::Function => config
                .service(policy::cors_fn)
                .service(policy::cors_fn_write),
            Form::Lookup => config
                .service(policy::cors_lookup)
                .service(policy::cors_lookup_write),
            Form::Named => config
                .service(policy::cors_named)
                .service(policy::cors_named_write),
        };
    }

    /// The handler of its `GET /items`, as the audit names it.
    fn handler(self) -> &'static str {
        match self {
            Form::Written => "cors",
            Form::Configured => "cors_configured",
            Form::Function => "cors_fn",
            Form::Lookup => "cors_lookup",
            Form::Named => "cors_named",
        }
    }

    /// The allowed origins, as a refusal names them.
    fn allowed(self) -> &'static str {
        match self {
            Form::Written | Form::Named => "https://app.example.com",
            Form::Configured => {
                "https://app.example.com from start-up value `the policy's origins`"
            }
            Form::Function => {
                "those function `it::policy::allows_app` allows; it refused the origin"
            }
            Form::Lookup => "those lookup `the policy's lookup` allows; it refused the origin",
        }
    }

    /// The origins in the audit: the table's cell and the JSON's `origins` object.
    fn audited(self) -> (&'static str, serde_json::Value) {
        let list = serde_json::json!([APP]);
        let (cell, source, list) = match self {
            Form::Written | Form::Named => (APP, serde_json::Value::Null, list),
            Form::Configured => (
                "the policy's origins: https://app.example.com",
                "startup the policy's origins".into(),
                list,
            ),
            Form::Function => (
                "fn it::policy::allows_app",
                "fn it::policy::allows_app".into(),
                serde_json::Value::Null,
            ),
            Form::Lookup => (
                "lookup the policy's lookup",
                "lookup the policy's lookup".into(),
                serde_json::Value::Null,
            ),
        };
        let origins = serde_json::json!({ "any": false, "list": list, "source": source });
        (cell, origins)
    }
}

/// Fills the configured origins and installs the lookup's function, once per process.
fn prepare() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        policy::CONFIGURED.set([APP]).expect("valid origins");
        policy::LOOKUP
            .install(
                LookupSettings::default()
                    .ttl(Duration::ZERO)
                    .refusal_ttl(Duration::ZERO),
                |origin: String| async move {
                    actix_web::rt::time::sleep(Duration::from_millis(10)).await;
                    Ok::<_, std::io::Error>(origin == APP)
                },
            )
            .expect("installed once");
    });
}

/// Runs `scenario` once per form, naming the form on stdout (shown when the test fails).
async fn each_form<F: Future<Output = ()>>(scenario: impl Fn(Form) -> F) {
    for form in FORMS {
        println!("--- origins {form:?}");
        scenario(form).await;
    }
}

#[actix_web::test]
async fn actual_requests_are_answered_alike_in_every_form() {
    each_form(|form| async move {
        let app = init_service(App::new().configure(|c| form.routes(c))).await;
        let res = send(&app, get("/items", APP).to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.one("access-control-allow-origin"), APP);
        assert_eq!(res.one("access-control-allow-credentials"), "true");
        assert_eq!(res.one("access-control-expose-headers"), "x-total");
        assert_eq!(res.one("vary"), "Origin");
        res.assert_no_cors_log();

        let res = send(&app, get("/items", EVIL).to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
        res.assert_one_log_containing(&[
            "origin `https://evil.example` is not allowed",
            form.allowed(),
        ]);

        let res = send(&app, TestRequest::get().uri("/items").to_request()).await;
        assert_eq!(res.status, StatusCode::OK);
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");

        // Two `Origin` fields, both allowed: refused without asking.
        let res = send(
            &app,
            TestRequest::get()
                .uri("/items")
                .append_header(("origin", APP))
                .append_header(("origin", APP))
                .to_request(),
        )
        .await;
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
    })
    .await;
}

#[actix_web::test]
async fn preflights_are_answered_alike_in_every_form() {
    each_form(|form| async move {
        let app = init_service(App::new().configure(|c| form.routes(c))).await;
        let res = send(
            &app,
            preflight("/items", APP, "POST")
                .insert_header(("access-control-request-headers", "content-type"))
                .to_request(),
        )
        .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        assert_eq!(res.one("access-control-allow-origin"), APP);
        assert_eq!(res.one("access-control-allow-credentials"), "true");
        assert_eq!(res.one("access-control-allow-methods"), "POST");
        assert_eq!(
            res.one("access-control-allow-headers"),
            "content-type, x-request-id"
        );
        assert_eq!(res.one("access-control-max-age"), "600");

        let res = send(&app, preflight("/items", EVIL, "POST").to_request()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_no_cors_headers();
        assert_eq!(
            res.text(),
            format!(
                "CORS preflight refused: origin `https://evil.example` is not allowed (allowed \
                 origins: {})\n",
                form.allowed()
            )
        );
    })
    .await;
}

#[actix_web::test]
async fn a_refused_write_never_reaches_the_handler_in_every_form() {
    each_form(|form| async move {
        let app = init_service(App::new().configure(|c| form.routes(c))).await;
        let post = |origin: &str, site: &str| {
            TestRequest::post()
                .uri("/items")
                .insert_header(("origin", origin))
                .insert_header(("sec-fetch-site", site))
                .to_request()
        };
        let before = policy::writes();
        let res = send_fallible(&app, post(EVIL, "cross-site")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.text().contains(form.allowed()), "{}", res.text());
        assert_eq!(policy::writes(), before, "the handler did not run");

        for site in ["same-site", "cross-site"] {
            let res = send_fallible(&app, post(APP, site)).await;
            assert_eq!(res.status, StatusCode::CREATED, "{site}");
            assert_eq!(res.one("access-control-allow-origin"), APP);
        }
        assert_eq!(policy::writes(), before + 2);
    })
    .await;
}

#[actix_web::test]
async fn a_refused_websocket_handshake_never_reaches_the_handler_in_every_form() {
    each_form(|form| async move {
        for cors_first in [false, true] {
            println!("--- CorsFirst: {cors_first}");
            let app = App::new().configure(|c| form.routes(c));
            let app = init_service(app.wrap(from_fn(pass)).wrap(
                // Without `CorsFirst`, a middleware that does nothing in its place.
                actix_web::middleware::Condition::new(cors_first, CorsFirst::new()),
            ))
            .await;
            let handshake = |origin: Option<&str>, site: &str| {
                let req = TestRequest::get()
                    .uri("/items")
                    .insert_header(("upgrade", "websocket"))
                    .insert_header(("connection", "Upgrade"))
                    .insert_header(("sec-fetch-site", site));
                match origin {
                    Some(origin) => req.insert_header(("origin", origin)),
                    None => req,
                }
                .to_request()
            };
            let res = send_fallible(&app, handshake(Some(EVIL), "cross-site")).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
            assert_eq!(
                res.text(),
                format!(
                    "cross-origin WebSocket handshake refused: a cross-origin WebSocket \
                     handshake: the browser marks it `Sec-Fetch-Site: cross-site` and origin \
                     `https://evil.example` is not allowed (allowed origins: {})\n",
                    form.allowed()
                )
            );
            res.assert_no_cors_headers();
            assert_eq!(res.one("vary"), "Origin");
            res.assert_one_log_containing(&[
                "GET /items",
                "the connection was not upgraded and the handler did not run",
            ]);

            // The handler (an ordinary one here) answers an allowed origin, and a request
            // without `Origin`.
            let res = send_fallible(&app, handshake(Some(APP), "same-site")).await;
            assert_eq!(res.status, StatusCode::OK);
            assert_eq!(res.one("access-control-allow-origin"), APP);
            let res = send_fallible(&app, handshake(None, "cross-site")).await;
            assert_eq!(res.status, StatusCode::OK);
        }
    })
    .await;
}

/// A middleware on the `App` that lets everything through.
async fn pass(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    next.call(req).await
}

#[actix_web::test]
async fn cors_first_answers_ahead_of_authentication_in_every_form() {
    each_form(|form| async move {
        let app = init_service(
            App::new()
                .service(
                    web::scope("/api")
                        .wrap(from_fn(require_authorization))
                        .configure(|c| form.routes(c)),
                )
                .wrap(CorsFirst::new()),
        )
        .await;
        let res = send(&app, preflight("/api/items", APP, "GET").to_request()).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        assert_eq!(res.one("access-control-allow-origin"), APP);
        // Refused first, not the scope's 401.
        let res = send(&app, preflight("/api/items", EVIL, "GET").to_request()).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.text().contains(form.allowed()), "{}", res.text());

        // The scope's 401 stays readable for an allowed origin, and only for it.
        let res = send_fallible(&app, get("/api/items", APP).to_request()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.one("access-control-allow-origin"), APP);
        assert_eq!(res.one("access-control-allow-credentials"), "true");
        let res = send_fallible(&app, get("/api/items", EVIL).to_request()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        res.assert_no_cors_headers();
        assert_eq!(res.one("vary"), "Origin");
        let res = send_fallible(
            &app,
            get("/api/items", APP)
                .insert_header(("authorization", "Bearer t"))
                .to_request(),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.all("access-control-allow-origin"), [APP]);
    })
    .await;
}

#[actix_web::test]
async fn the_audit_names_the_origins_of_every_form() {
    prepare();
    let routes = audit::routes();
    let table = audit::Table::new(&routes).to_string();
    each_form(|form| {
        let (routes, table) = (&routes, &table);
        async move {
            let route = routes
                .iter()
                .find(|r| r.info().handler() == form.handler())
                .expect("the form's GET /items is registered");
            let (cell, origins) = form.audited();
            let line = table
                .lines()
                .find(|l| l.contains(&format!("  {}  ", form.handler())))
                .expect("the route's line");
            assert!(line.contains(cell), "{line}");
            let json = audit::Json::new(&[*route]).to_string();
            let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(doc["routes"][0]["origins"], origins);
        }
    })
    .await;
}
