//! Shared helpers of the integration tests (`tests/it`, and the test of `examples/tenants`):
//! send a request through a real `App` and look at the response, plus a `log::Log` that
//! captures the records emitted while a request was served.
//!
//! Records are kept per thread: `#[actix_web::test]` runs its single-threaded runtime on the
//! test's own thread, so the records of concurrently running tests never mix.
#![allow(dead_code)]

use std::cell::RefCell;
use std::sync::Once;

use actix_web::body::{to_bytes, MessageBody};
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use actix_web::web::Bytes;
use actix_web::Error;

#[path = "recorder.rs"]
pub mod recorder;

/// Middleware for `from_fn`: refuses a request without `Authorization` with an `Err` (a 401),
/// before the route, as an authentication middleware on a scope or the `App` does.
pub async fn require_authorization(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if !req.headers().contains_key("authorization") {
        return Err(actix_web::error::ErrorUnauthorized("no token"));
    }
    next.call(req).await
}

/// The `log` target the runtime writes to.
pub const TARGET: &str = "actix_route_cors";

/// One captured log record.
#[derive(Debug, Clone)]
pub struct LogRecord {
    pub target: String,
    pub level: log::Level,
    pub message: String,
}

thread_local! {
    static RECORDS: RefCell<Vec<LogRecord>> = const { RefCell::new(Vec::new()) };
}

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let captured = LogRecord {
            target: record.target().to_owned(),
            level: record.level(),
            message: record.args().to_string(),
        };
        RECORDS.with(|r| r.borrow_mut().push(captured));
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture;
static INSTALL: Once = Once::new();

fn install_logger() {
    INSTALL.call_once(|| {
        log::set_logger(&CAPTURE).expect("no other logger in the runtime tests");
        log::set_max_level(log::LevelFilter::Trace);
    });
    // With feature `metrics`, tests read counters: the recorder must be there before a route
    // registers its handles, on the first request it serves.
    recorder::recorder();
}

fn take_records() -> Vec<LogRecord> {
    RECORDS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// A response, read to the end, with the log records emitted while it was produced.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// Every record logged on this thread during the call (any target).
    pub logs: Vec<LogRecord>,
    /// The service returned `Err` (an inner middleware failed); the response is the one the
    /// server would write for it (`Error::error_response`, response mappers applied).
    pub from_error: bool,
}

/// Calls the app with `req` (a `TestRequest::to_request()`) through
/// `actix_web::test::call_service` and reads the whole response.
pub async fn send<S, R, B>(app: &S, req: R) -> Response
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    install_logger();
    take_records();
    let res = actix_web::test::call_service(app, req).await;
    let logs = take_records();
    let status = res.status();
    let headers = res.headers().clone();
    let body = read(res.into_body()).await;
    Response {
        status,
        headers,
        body,
        logs,
        from_error: false,
    }
}

/// Like [`send`], but the service may return `Err` (an inner middleware failed): the error is
/// turned into the response a server would write for it, as actix-web's dispatcher does
/// (`Error::error_response`, which applies the error's response mappers).
pub async fn send_fallible<S, R, B>(app: &S, req: R) -> Response
where
    S: Service<R, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    install_logger();
    take_records();
    let result = actix_web::test::try_call_service(app, req).await;
    let logs = take_records();
    let (res, from_error) = match result {
        Ok(res) => (res.into_parts().1.map_into_boxed_body(), false),
        Err(err) => (err.error_response(), true),
    };
    let status = res.status();
    let headers = res.headers().clone();
    let body = read(res.into_body()).await;
    Response {
        status,
        headers,
        body,
        logs,
        from_error,
    }
}

async fn read<B: MessageBody>(body: B) -> Bytes {
    let Ok(bytes) = to_bytes(body).await else {
        panic!("the response body could not be read")
    };
    bytes
}

impl Response {
    /// Every value of header `name`, as text.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    }

    /// The single value of header `name`; panics (failing the test) unless there is exactly one.
    pub fn one(&self, name: &str) -> String {
        let all = self.all(name);
        assert_eq!(
            all.len(),
            1,
            "expected exactly one `{name}` header, got {all:?}"
        );
        all.into_iter().next().unwrap_or_default()
    }

    /// Asserts that header `name` is absent.
    pub fn assert_absent(&self, name: &str) {
        let all = self.all(name);
        assert!(all.is_empty(), "expected no `{name}` header, got {all:?}");
    }

    /// The names of every `Access-Control-*` header of the response.
    pub fn cors_header_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .headers
            .keys()
            .map(|n| n.as_str().to_owned())
            .filter(|n| n.starts_with("access-control-"))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Asserts that the response carries no `Access-Control-*` header at all.
    pub fn assert_no_cors_headers(&self) {
        assert_eq!(
            self.cors_header_names(),
            Vec::<String>::new(),
            "expected no Access-Control-* header; headers: {:?}",
            self.headers
        );
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The records logged with the crate's target.
    pub fn cors_logs(&self) -> Vec<&LogRecord> {
        self.logs.iter().filter(|r| r.target == TARGET).collect()
    }

    /// Asserts that exactly one record with the crate's target was logged and that it contains
    /// every one of `needles`; returns its message.
    pub fn assert_one_log_containing(&self, needles: &[&str]) -> String {
        let logs = self.cors_logs();
        assert_eq!(
            logs.len(),
            1,
            "expected exactly one `{TARGET}` log record, got {:?}",
            self.logs
        );
        let message = logs[0].message.clone();
        for needle in needles {
            assert!(
                message.contains(needle),
                "log record {message:?} does not mention {needle:?}"
            );
        }
        message
    }

    /// Asserts that nothing was logged with the crate's target.
    pub fn assert_no_cors_log(&self) {
        assert!(
            self.cors_logs().is_empty(),
            "expected no `{TARGET}` log record, got {:?}",
            self.logs
        );
    }
}

/// A `GET path` request with the given `Origin`.
pub fn get(path: &str, origin: &str) -> TestRequest {
    TestRequest::get()
        .uri(path)
        .insert_header(("origin", origin))
}

/// A preflight for `path`: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
pub fn preflight(path: &str, origin: &str, method: &str) -> TestRequest {
    TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri(path)
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", method))
}

/// The `Vary` value of every preflight answer, allowed or denied.
pub const PREFLIGHT_VARY: &str =
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
/// The `Vary` of a preflight answer on a route with `private_network`.
pub const PREFLIGHT_VARY_PNA: &str = "Origin, Access-Control-Request-Method, \
    Access-Control-Request-Headers, Access-Control-Request-Private-Network";
