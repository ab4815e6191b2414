//! One case on one engine: the engine's window shows the test page of the case's page origin,
//! `fetch()` calls run in it (WebDriver's Execute Async Script), and the case sees what the
//! script could see of each answer, and what the servers saw (`api::record`).
//!
//! A `fetch()` counts as blocked by CORS when it rejected with a `TypeError` although the server
//! answered it (or its preflight): the browser had an answer and refused it to the script. A
//! rejection the server never answered (no server on the port, a timeout) fails the case
//! instead of passing it as "blocked". On Chromium, DevTools must agree: a
//! `Network.loadingFailed` event for that request with a `corsErrorStatus`, whose reason
//! ([`CorsError`]) the case may assert; Firefox and WebKit print their reason only to their
//! consoles, which WebDriver does not read.

use crate::api::{self, Seen};
use crate::cdp::Event;
use crate::engine::Engine;
use crate::harness::{self, Run};
use crate::world::{self, Servers};
use serde_json::{json, Value};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the network events of a settled `fetch()` may take to arrive (Chromium).
const EVENT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the test page may take to load.
const PAGE_TIMEOUT: Duration = Duration::from_secs(20);
/// How many URLs [`Case::warm_preflight_cache`] tries at most.
const WARM_UP_TRIES: usize = 20;

/// A request the page makes with `fetch()`.
#[derive(Debug, Clone)]
pub struct Req {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
    credentials: Option<&'static str>,
    read: Vec<&'static str>,
}

impl Req {
    /// `method` exactly as the script writes it (`fetch` uppercases only the standard ones).
    pub fn new(method: &str, path: &str) -> Self {
        Req {
            method: method.to_owned(),
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
            credentials: None,
            read: Vec::new(),
        }
    }
    /// The path (and query) the request goes to.
    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn get(path: &str) -> Self {
        Self::new("GET", path)
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
    pub fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }
    /// A JSON body with `content-type: application/json` (not CORS-safelisted: a preflight).
    pub fn json(self, body: &str) -> Self {
        self.header("content-type", "application/json").body(body)
    }
    /// `credentials: 'include'`.
    pub fn include_credentials(mut self) -> Self {
        self.credentials = Some("include");
        self
    }
    /// Response headers the script tries to read with `res.headers.get(name)`.
    pub fn read(mut self, names: &[&'static str]) -> Self {
        self.read.extend_from_slice(names);
        self
    }

    /// The `init` of `fetch(url, init)`.
    fn init(&self) -> Value {
        let mut init = json!({ "method": self.method });
        if !self.headers.is_empty() {
            init["headers"] = json!(self.headers);
        }
        if let Some(body) = &self.body {
            init["body"] = json!(body);
        }
        if let Some(credentials) = self.credentials {
            init["credentials"] = json!(credentials);
        }
        init
    }
}

/// What the script could read of a response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: String,
    /// `res.headers.get(name)` for each name the request asked to read.
    pub headers: Vec<(String, Option<String>)>,
    /// `[...res.headers.keys()]`.
    pub header_names: Vec<String>,
    pub redirected: bool,
    pub url: String,
}

impl Response {
    /// What `res.headers.get(name)` returned.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("the request did not ask to read `{name}`"))
            .1
            .as_deref()
    }
}

/// Why Chromium blocked a response (`Network.CorsError` of DevTools), for the cases' assertions;
/// any other reason is kept by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsError {
    MissingAllowOriginHeader,
    PreflightMissingAllowOriginHeader,
    WildcardOriginNotAllowed,
    InvalidAllowCredentials,
    Other(String),
}

impl From<&str> for CorsError {
    fn from(name: &str) -> Self {
        match name {
            "MissingAllowOriginHeader" => CorsError::MissingAllowOriginHeader,
            "PreflightMissingAllowOriginHeader" => CorsError::PreflightMissingAllowOriginHeader,
            "WildcardOriginNotAllowed" => CorsError::WildcardOriginNotAllowed,
            "InvalidAllowCredentials" => CorsError::InvalidAllowCredentials,
            other => CorsError::Other(other.to_owned()),
        }
    }
}

/// The browser refused the script the response, and the server had answered.
#[derive(Debug, Clone)]
pub struct Blocked {
    /// Chromium only: why, as DevTools reports it (`None` on Firefox and WebKit, which say it
    /// only in their consoles).
    pub cors_error: Option<CorsError>,
    /// The rejection the script got (`TypeError: ...`, the engine's message).
    pub rejection: String,
}

impl Blocked {
    /// Asserts Chromium's reason for the block (on Chromium: the other engines do not report
    /// one to a WebDriver client).
    #[track_caller]
    pub fn because(&self, expected: CorsError) {
        if let Some(actual) = &self.cors_error {
            assert_eq!(actual, &expected, "Chromium's reason for the block");
        }
    }
}

/// `fetch()` failed and the browser did not blame CORS (server down, timeout, ...).
#[derive(Debug, Clone)]
pub struct Failed {
    /// Chromium: `errorText` of `Network.loadingFailed`, such as `net::ERR_CONNECTION_REFUSED`.
    pub error_text: Option<String>,
    pub rejection: String,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Read(Response),
    Blocked(Blocked),
    Failed(Failed),
}

impl Outcome {
    /// The response; panics (with what happened) when the browser blocked it.
    #[track_caller]
    pub fn read(self) -> Response {
        match self {
            Outcome::Read(response) => response,
            Outcome::Blocked(blocked) => {
                panic!("expected the script to read the response, but CORS blocked it: {blocked:?}")
            }
            Outcome::Failed(failed) => panic!(
                "expected the script to read the response, but fetch() failed without an \
                 answer from the server (is it down?): {failed:?}"
            ),
        }
    }
    /// The block; panics when the script could read the response.
    #[track_caller]
    pub fn blocked(self) -> Blocked {
        match self {
            Outcome::Blocked(blocked) => {
                assert_eq!(blocked.rejection, harness::engine().network_error());
                blocked
            }
            Outcome::Read(response) => {
                panic!("expected CORS to block the response, but the script read it: {response:?}")
            }
            Outcome::Failed(failed) => panic!(
                "expected CORS to block the response, but fetch() failed for another reason \
                 (the server did not answer, or Chromium did not blame CORS): {failed:?}"
            ),
        }
    }
    /// Whether the script could read the response (a failure that is not a block panics).
    #[track_caller]
    pub fn was_read(self) -> bool {
        match self {
            Outcome::Read(_) => true,
            Outcome::Blocked(_) => false,
            Outcome::Failed(failed) => {
                panic!("fetch() failed without an answer from the server (is it down?): {failed:?}")
            }
        }
    }
}

/// The few DevTools events a case looks at on Chromium, in arrival order.
#[derive(Debug, Clone)]
enum Net {
    Sent {
        id: String,
        method: String,
        url: String,
    },
    Failed {
        id: String,
        error_text: String,
        cors: Option<CorsError>,
    },
    Finished {
        id: String,
    },
}

impl Net {
    fn from_event(event: &Event) -> Option<Net> {
        let p = &event.params;
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let id = text(&p["requestId"]);
        Some(match event.method.as_str() {
            "Network.requestWillBeSent" => Net::Sent {
                id,
                method: text(&p["request"]["method"]),
                url: text(&p["request"]["url"]),
            },
            "Network.loadingFailed" => Net::Failed {
                id,
                error_text: text(&p["errorText"]),
                cors: p
                    .get("corsErrorStatus")
                    .map(|s| CorsError::from(s["corsError"].as_str().unwrap_or_default())),
            },
            "Network.loadingFinished" => Net::Finished { id },
            _ => return None,
        })
    }

    fn id(&self) -> &str {
        match self {
            Net::Sent { id, .. } | Net::Failed { id, .. } | Net::Finished { id } => id,
        }
    }
}

/// Chromium: the window's network events while a case listens.
struct Listening {
    id: u64,
    events: Arc<Mutex<Vec<Net>>>,
}

/// The page's script: `corsFetch(url, init, readHeaders)` (page.html), its result handed back.
const FETCH: &str = "const done = arguments[arguments.length - 1]; \
                     window.corsFetch(arguments[0], arguments[1], arguments[2]).then(done, \
                     e => done({ outcome: 'rejected', name: 'harness', message: String(e) }));";

/// Shows the test page of `origin` in the engine's window, unless it already does.
fn show_page(run: &Run, case: &str, origin: &str) {
    if run.page.borrow().as_deref() == Some(origin) {
        return;
    }
    let page = format!("{origin}/page.html");
    run.session
        .goto(&page)
        .unwrap_or_else(|e| panic!("{case}: load {page}: {e}"));
    let want = format!("{page} complete function");
    let mut last = Value::Null;
    let ready = harness::poll(PAGE_TIMEOUT, || {
        last = run
            .session
            .execute(
                "return location.href + ' ' + document.readyState + ' ' + typeof window.corsFetch;",
                vec![],
            )
            .unwrap_or(Value::Null);
        (last.as_str() == Some(want.as_str())).then_some(())
    });
    assert!(
        ready.is_some(),
        "{case}: {page} did not load within {PAGE_TIMEOUT:?}: {last}"
    );
    *run.page.borrow_mut() = Some(origin.to_owned());
}

/// Opens `new WebSocket(url)` in the page, sends `text` once it opens, and says what came of
/// it: `echo:<the first message back>`, `error` (the socket failed: the handshake was
/// refused), or `timeout` (nothing within 5 s).
fn websocket_echo(run: &Run, case: &str, url: &str, text: &str) -> String {
    let script = "const [url, text, done] = arguments; const ws = new WebSocket(url); \
                  const timer = setTimeout(() => done('timeout'), 5000); \
                  ws.onopen = () => ws.send(text); \
                  ws.onmessage = e => { clearTimeout(timer); done('echo:' + e.data); ws.close(); }; \
                  ws.onerror = () => { clearTimeout(timer); done('error'); };";
    let value = run
        .session
        .execute_async(script, vec![json!(url), json!(text)])
        .unwrap_or_else(|e| panic!("{case}: {e}"));
    match value {
        Value::String(outcome) => outcome,
        other => panic!("{case}: the WebSocket script answered {other:?}"),
    }
}

/// The `ws://` URL of `path` on the API server, with the token in the query.
fn api_ws_url(token: &str, path: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!(
        "ws://127.0.0.1:{}{path}{sep}t={token}",
        world::servers().api_port
    )
}

/// The token of case `name` on the current engine: it marks the case's requests
/// (`t=<token>`), which the three engines send to the same servers at the same time.
fn token_of(name: &str) -> String {
    format!("{name}_{}", harness::engine().id())
}

/// One case on the engine of this thread, on the test page of one origin.
pub struct Case {
    name: &'static str,
    token: String,
    run: Rc<Run>,
    page_origin: String,
    listening: Option<Listening>,
}

impl Case {
    /// The case `name` on the test page of `page_origin`.
    pub fn open(name: &'static str, page_origin: &str) -> Case {
        let run = harness::run();
        show_page(&run, name, page_origin);
        let listening = run.session.devtools.as_ref().map(|devtools| {
            let events: Arc<Mutex<Vec<Net>>> = Arc::default();
            let sink = Arc::clone(&events);
            let id = devtools
                .tab
                .add_event_listener(Arc::new(move |event: &Event| {
                    if let Some(net) = Net::from_event(event) {
                        sink.lock().unwrap_or_else(|e| e.into_inner()).push(net);
                    }
                }));
            Listening { id, events }
        });
        Case {
            name,
            token: token_of(name),
            run,
            page_origin: page_origin.to_owned(),
            listening,
        }
    }

    /// The engine the case runs on.
    pub fn engine(&self) -> Engine {
        self.run.engine
    }

    /// The token that marks this case's requests (`t=<token>` in the query).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The servers the case runs against (their ports).
    pub fn servers(&self) -> &'static Servers {
        world::servers()
    }

    /// The absolute URL of `path` on the API server, with this case's token in the query.
    pub fn api_url(&self, path: &str) -> String {
        self.url_on(world::servers().api_port, path)
    }

    /// The absolute URL of `path` on the server at `port` of `127.0.0.1`, with this case's token
    /// in the query.
    pub fn url_on(&self, port: u16, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("http://127.0.0.1:{port}{path}{sep}t={}", self.token)
    }

    /// Opens a WebSocket to `path` on the API server from the page, and sends `text`: see
    /// [`websocket_echo`] for what comes back.
    pub fn websocket(&self, path: &str, text: &str) -> String {
        show_page(&self.run, self.name, &self.page_origin);
        websocket_echo(&self.run, self.name, &api_ws_url(&self.token, path), text)
    }

    /// Every request of this case the servers answered, in order.
    pub fn server_saw(&self) -> Vec<Seen> {
        api::seen_with_token(&self.token)
    }

    /// How many requests with `method` of this case reached the servers.
    pub fn server_count(&self, method: &str) -> usize {
        self.server_saw()
            .iter()
            .filter(|s| s.method == method)
            .count()
    }

    /// Runs `fetch()` of `req.path` on the API server in the page and says what the browser
    /// allowed the script to see.
    pub fn fetch(&mut self, req: &Req) -> Outcome {
        let url = self.api_url(&req.path);
        self.fetch_url(&url, req)
    }

    /// [`Case::fetch`] on the server at `port` of `127.0.0.1` instead of the API server.
    pub fn fetch_on(&mut self, port: u16, req: &Req) -> Outcome {
        let url = self.url_on(port, &req.path);
        self.fetch_url(&url, req)
    }

    /// [`Case::fetch`] of an absolute URL (`req.path` is ignored).
    pub fn fetch_url(&mut self, url: &str, req: &Req) -> Outcome {
        show_page(&self.run, self.name, &self.page_origin);
        let answered_before = self.server_saw().len();
        // Only events after this point belong to this fetch (a case may fetch one URL twice).
        let first_event = self.listening.as_ref().map_or(0, |l| {
            l.events.lock().unwrap_or_else(|e| e.into_inner()).len()
        });
        let result = self
            .run
            .session
            .execute_async(FETCH, vec![json!(url), req.init(), json!(req.read)])
            .unwrap_or_else(|e| panic!("{}: fetch {url}: {e}", self.name));
        let field = |name: &str| -> String {
            result
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        // Chromium: how DevTools saw the request end.
        let failure = self.listening.as_ref().and_then(|listening| {
            let settled = self.wait_for_end_of(listening, &req.method, url, first_event);
            settled.into_iter().find_map(|net| match net {
                Net::Failed {
                    error_text, cors, ..
                } => Some((error_text, cors)),
                _ => None,
            })
        });
        let outcome = match field("outcome").as_str() {
            "response" => {
                if let Some(failure) = failure {
                    panic!(
                        "{}: the script read a response, yet DevTools reported a failure: \
                         {failure:?}",
                        self.name
                    );
                }
                let headers = req
                    .read
                    .iter()
                    .map(|name| {
                        let value = result
                            .get("headers")
                            .and_then(|h| h.get(*name))
                            .and_then(|v| v.as_str())
                            .map(str::to_owned);
                        ((*name).to_owned(), value)
                    })
                    .collect();
                let header_names = result
                    .get("headerNames")
                    .and_then(|v| v.as_array())
                    .map(|names| {
                        names
                            .iter()
                            .filter_map(|n| n.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                Outcome::Read(Response {
                    status: result
                        .get("status")
                        .and_then(|v| v.as_u64())
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or_else(|| panic!("no status in {result:?}")),
                    body: field("body"),
                    headers,
                    header_names,
                    redirected: result.get("redirected").and_then(|v| v.as_bool()) == Some(true),
                    url: field("url"),
                })
            }
            "rejected" => {
                let rejection = format!("{}: {}", field("name"), field("message"));
                let answered = self.server_saw().len() > answered_before;
                match failure {
                    // Chromium: DevTools says whether CORS was to blame.
                    Some((_, Some(cors_error))) => Outcome::Blocked(Blocked {
                        cors_error: Some(cors_error),
                        rejection,
                    }),
                    Some((error_text, None)) => Outcome::Failed(Failed {
                        error_text: Some(error_text),
                        rejection,
                    }),
                    None if self.listening.is_none()
                        && answered
                        && field("name") == "TypeError" =>
                    {
                        Outcome::Blocked(Blocked {
                            cors_error: None,
                            rejection,
                        })
                    }
                    None => Outcome::Failed(Failed {
                        error_text: None,
                        rejection,
                    }),
                }
            }
            other => panic!("{}: unexpected result {other:?}: {result:?}", self.name),
        };
        harness::log(format!(
            "[{}] {} {} -> {}",
            self.token,
            req.method,
            url,
            match &outcome {
                Outcome::Read(r) => format!("READ status {} body {:?}", r.status, r.body),
                Outcome::Blocked(b) => {
                    format!("BLOCKED by CORS: {:?} ({})", b.cors_error, b.rejection)
                }
                Outcome::Failed(f) =>
                    format!("FAILED, not CORS: {:?} ({})", f.error_text, f.rejection),
            }
        ));
        outcome
    }

    /// Warms the engine's preflight cache for the server at `port` before a case counts
    /// preflights: Firefox does not keep the first preflights of a session to an IP-literal
    /// host such as 127.0.0.1 (measured: the first two URLs of a fresh session; see
    /// `cache.rs`). Sends `req` (preflighted) twice to one fresh URL after another, marked with
    /// tokens of their own so that the case does not count them, until the second request
    /// finds the first one's preflight cached; at most [`WARM_UP_TRIES`] URLs. Returns how
    /// many it took.
    pub fn warm_preflight_cache(&mut self, port: u16, req: &Req) -> usize {
        for attempt in 1..=WARM_UP_TRIES {
            let token = format!("warm-{attempt}-{}", self.token);
            let sep = if req.path.contains('?') { '&' } else { '?' };
            let url = format!("http://127.0.0.1:{port}{}{sep}t={token}", req.path);
            for _ in 0..2 {
                let read = self.fetch_url(&url, req).was_read();
                assert!(read, "{}: a warm-up request was blocked", self.name);
            }
            let preflights = api::seen_with_token(&token)
                .iter()
                .filter(|s| s.method == "OPTIONS")
                .count();
            if preflights == 1 {
                harness::log(format!("the preflight cache was warm after {attempt} URLs"));
                return attempt;
            }
        }
        panic!(
            "{}: {WARM_UP_TRIES} URLs, and no preflight was cached for a second request",
            self.name
        );
    }

    /// Chromium: the events (from index `first_event` on) of the request `method url`, not of
    /// its preflight, once it ended; a panic after [`EVENT_TIMEOUT`].
    fn wait_for_end_of(
        &self,
        listening: &Listening,
        method: &str,
        url: &str,
        first_event: usize,
    ) -> Vec<Net> {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            let events: Vec<Net> =
                listening.events.lock().unwrap_or_else(|e| e.into_inner())[first_event..].to_vec();
            let ids: Vec<&str> = events
                .iter()
                .filter_map(|net| match net {
                    Net::Sent {
                        id,
                        method: m,
                        url: u,
                    } if u == url && m.eq_ignore_ascii_case(method) => Some(id.as_str()),
                    _ => None,
                })
                .collect();
            let mine: Vec<Net> = events
                .iter()
                .filter(|net| ids.contains(&net.id()))
                .cloned()
                .collect();
            if mine
                .iter()
                .any(|net| matches!(net, Net::Failed { .. } | Net::Finished { .. }))
            {
                return mine;
            }
            if Instant::now() > deadline {
                panic!(
                    "{}: no end of `{method} {url}` in the network events within \
                     {EVENT_TIMEOUT:?}: {events:#?}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        if let (Some(listening), Some(devtools)) =
            (self.listening.take(), self.run.session.devtools.as_ref())
        {
            devtools.tab.remove_event_listener(listening.id);
        }
    }
}

/// A case whose page navigates away (a form submission) or is not the test page: it loads its
/// own page in the engine's window; the next case loads the test page again.
pub struct OwnTab {
    name: &'static str,
    token: String,
    run: Rc<Run>,
}

impl OwnTab {
    /// Loads `url` (absolute) and waits until it loaded.
    pub fn open(name: &'static str, url: &str) -> OwnTab {
        let run = harness::run();
        *run.page.borrow_mut() = None;
        run.session
            .goto(url)
            .unwrap_or_else(|e| panic!("{name}: load {url}: {e}"));
        let own = OwnTab {
            name,
            token: token_of(name),
            run,
        };
        own.wait_for_document(url, PAGE_TIMEOUT);
        own
    }

    /// [`OwnTab::open`] on `path` of the API server, with this case's token in the query.
    pub fn open_on_api(name: &'static str, path: &str) -> OwnTab {
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = format!(
            "http://127.0.0.1:{}{path}{sep}t={}",
            world::servers().api_port,
            token_of(name)
        );
        Self::open(name, &url)
    }

    /// The token that marks this case's requests (`t=<token>` in the query).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The engine the case runs on.
    pub fn engine(&self) -> Engine {
        self.run.engine
    }

    /// The absolute URL of `path` on the API server, with this case's token in the query.
    pub fn api_url(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!(
            "http://127.0.0.1:{}{path}{sep}t={}",
            world::servers().api_port,
            self.token
        )
    }

    /// [`Case::websocket`] from this page.
    pub fn websocket(&self, path: &str, text: &str) -> String {
        websocket_echo(&self.run, self.name, &api_ws_url(&self.token, path), text)
    }

    /// Runs `script` in the page (for what it does: its value is dropped).
    pub fn run(&self, script: &str) {
        self.run
            .session
            .execute(script, vec![])
            .unwrap_or_else(|e| panic!("{}: {e}", self.name));
    }

    /// Adds a `<form method="post" action="{url}">` with one field (`x=1`, a form-urlencoded
    /// body) to the page and submits it with `form.submit()`: the page navigates to `url`.
    pub fn submit_form(&self, url: &str) {
        self.run
            .session
            .execute(
                "const form = document.createElement('form'); form.method = 'post'; \
                 form.action = arguments[0]; const field = document.createElement('input'); \
                 field.name = 'x'; field.value = '1'; form.appendChild(field); \
                 document.body.appendChild(form); form.submit();",
                vec![json!(url)],
            )
            .unwrap_or_else(|e| panic!("{}: submit a form to {url}: {e}", self.name));
    }

    /// Waits, at most `timeout`, until the window shows a loaded document at `url`, and returns
    /// the text of its body (`document.body.innerText`, trimmed).
    pub fn wait_for_document(&self, url: &str, timeout: Duration) -> String {
        let script = "return location.href + ' ' + document.readyState + ' ' + \
                      (document.body ? document.body.innerText : '');";
        let mut last = String::new();
        let text = harness::poll(timeout, || {
            // While the page navigates, the script may fail: one more poll.
            let state = self.run.session.execute(script, vec![]).ok()?;
            let state = state.as_str()?.to_owned();
            let text = state
                .strip_prefix(url)
                .and_then(|rest| rest.strip_prefix(" complete "))
                .map(|text| text.trim().to_owned());
            last = state;
            text
        });
        text.unwrap_or_else(|| {
            panic!(
                "{}: the window did not show {url} within {timeout:?}; last: {last:?}",
                self.name
            )
        })
    }
}
