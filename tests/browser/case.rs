//! One case: a tab on a page origin (lent from a pool: loading a page costs more than a case),
//! `fetch()` calls run in it, and what the browser did with each, as seen by the script (the
//! promise) and by DevTools (the network events).
//!
//! A fetch counts as blocked by CORS only when Chromium says so: a `Network.loadingFailed` event
//! for that request with a `corsErrorStatus`. A rejection without it (server down, timeout) fails
//! the case instead of passing it as "blocked".

use crate::api::{self, Seen};
use crate::cdp::{Event, RemoteObject, Tab};
use crate::world::World;
use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the network events of a settled `fetch()` may take to arrive.
const EVENT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the test page may take to load in a new tab.
const PAGE_TIMEOUT: Duration = Duration::from_secs(20);

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

    fn init_js(&self) -> String {
        let mut js = format!("{{method: {}", js_string(&self.method));
        if !self.headers.is_empty() {
            js.push_str(", headers: [");
            for (name, value) in &self.headers {
                let _ = write!(js, "[{}, {}], ", js_string(name), js_string(value));
            }
            js.push(']');
        }
        if let Some(body) = &self.body {
            let _ = write!(js, ", body: {}", js_string(body));
        }
        if let Some(credentials) = self.credentials {
            let _ = write!(js, ", credentials: {}", js_string(credentials));
        }
        js.push('}');
        js
    }
}

fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    /// The headers of the final response as the browser received them (DevTools), to show that
    /// a header the script cannot read was there all the same.
    pub received: Option<serde_like::Headers>,
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
    /// A header of the response as the browser received it (not what the script sees).
    pub fn received_header(&self, name: &str) -> Option<String> {
        self.received.as_ref().and_then(|h| h.get(name))
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

/// The browser refused the script the response, and said CORS was why.
#[derive(Debug, Clone)]
pub struct Blocked {
    pub cors_error: CorsError,
    pub failed_parameter: String,
    /// The rejection the script got (`TypeError: Failed to fetch`).
    pub rejection: String,
}

/// `fetch()` failed and the browser did not blame CORS (server down, timeout, ...).
#[derive(Debug, Clone)]
pub struct Failed {
    /// `errorText` of `Network.loadingFailed`, such as `net::ERR_CONNECTION_REFUSED`.
    pub error_text: Option<String>,
    pub blocked_reason: Option<String>,
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
                "expected the script to read the response, but fetch() failed without a CORS \
                 error (is the server down?): {failed:?}"
            ),
        }
    }
    /// The CORS error; panics when the script could read the response.
    #[track_caller]
    pub fn blocked(self) -> Blocked {
        match self {
            Outcome::Blocked(blocked) => {
                assert_eq!(blocked.rejection, "TypeError: Failed to fetch");
                blocked
            }
            Outcome::Read(response) => {
                panic!("expected CORS to block the response, but the script read it: {response:?}")
            }
            Outcome::Failed(failed) => panic!(
                "expected CORS to block the response, but fetch() failed for another reason \
                 (the browser did not blame CORS; is the server down?): {failed:?}"
            ),
        }
    }
}

/// The few DevTools events a case looks at, in arrival order.
#[derive(Debug, Clone)]
enum Net {
    Sent {
        id: String,
        method: String,
        url: String,
    },
    Received {
        id: String,
        headers: serde_like::Headers,
    },
    Failed {
        id: String,
        error_text: String,
        cors: Option<(CorsError, String)>,
        blocked_reason: Option<String>,
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
            "Network.responseReceived" => Net::Received {
                id,
                headers: serde_like::Headers::from(&p["response"]["headers"]),
            },
            "Network.loadingFailed" => Net::Failed {
                id,
                error_text: text(&p["errorText"]),
                cors: p.get("corsErrorStatus").map(|s| {
                    (
                        CorsError::from(s["corsError"].as_str().unwrap_or_default()),
                        text(&s["failedParameter"]),
                    )
                }),
                blocked_reason: p.get("blockedReason").map(text),
            },
            "Network.loadingFinished" => Net::Finished { id },
            _ => return None,
        })
    }
}

/// Opens a new tab, turns on its network events and loads the test page from `page_origin`.
fn open_page(world: &World, case: &str, page_origin: &str) -> Arc<Tab> {
    let tab = world.browser.new_tab().expect("open a tab");
    tab.set_default_timeout(Duration::from_secs(20));
    tab.call("Network.enable", json!({}))
        .expect("enable the Network domain");
    let page = format!("{page_origin}/page.html");
    tab.navigate_to(&page)
        .unwrap_or_else(|e| panic!("{case}: load {page}: {e}"));
    // Poll for the page's script rather than wait for "network almost idle" (0.5 s or more).
    let deadline = Instant::now() + PAGE_TIMEOUT;
    loop {
        let ready = evaluate(
            &tab,
            case,
            "location.href + ' ' + document.readyState + ' ' + typeof window.corsFetch",
        )
        .value;
        let ready = ready.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
        if ready == format!("{page} complete function") {
            return tab;
        }
        assert!(
            Instant::now() < deadline,
            "{case}: {page} did not load within {PAGE_TIMEOUT:?}: {ready}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Evaluates `expression` in the page, awaiting a promise; its JSON value is in `.value`.
fn evaluate(tab: &Tab, case: &str, expression: &str) -> RemoteObject {
    try_evaluate(tab, expression).unwrap_or_else(|e| panic!("{case}: {e}"))
}

/// [`evaluate`], with a failure (DevTools did not answer, the expression threw) as an error
/// rather than a panic: while a tab navigates, its page may be gone.
fn try_evaluate(tab: &Tab, expression: &str) -> Result<RemoteObject, String> {
    tab.evaluate(expression)
        .map_err(|e| format!("evaluate `{expression}`: {e}"))
}

/// Opens `new WebSocket(url)` in the page of `tab`, sends `text` once it opens, and says what
/// came of it: `echo:<the first message back>`, `error` (the socket failed: the handshake was
/// refused), or `timeout` (nothing within 5 s).
fn websocket_echo(tab: &Tab, case: &str, url: &str, text: &str) -> String {
    let expression = format!(
        "new Promise(resolve => {{ const ws = new WebSocket({}); \
         const timer = setTimeout(() => resolve('timeout'), 5000); \
         ws.onopen = () => ws.send({}); \
         ws.onmessage = e => {{ clearTimeout(timer); resolve('echo:' + e.data); ws.close(); }}; \
         ws.onerror = () => {{ clearTimeout(timer); resolve('error'); }}; }})",
        js_string(url),
        js_string(text)
    );
    let value = evaluate(tab, case, &expression).value;
    match value {
        Some(serde_json::Value::String(outcome)) => outcome,
        other => panic!("{case}: the WebSocket script answered {other:?}"),
    }
}

/// The `ws://` URL of `path` on the API server, with the case's token in the query.
fn api_ws_url(world: &World, token: &str, path: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("ws://127.0.0.1:{}{path}{sep}t={token}", world.api_port)
}

/// A tab on one page origin, lent to one case at a time.
pub struct Case {
    name: &'static str,
    world: &'static World,
    page_origin: String,
    tab: Arc<Tab>,
    listener: u64,
    events: Arc<Mutex<Vec<Net>>>,
}

impl Case {
    /// Lends a tab on `page_origin` (a free one, or a new one); `None` when the browser tests
    /// are skipped.
    pub fn open(name: &'static str, page_origin: &str) -> Option<Case> {
        let world = crate::world::world(name)?;
        let free = {
            let mut tabs = world.tabs.lock().unwrap_or_else(|e| e.into_inner());
            let at = tabs.iter().position(|(origin, _)| origin == page_origin);
            at.map(|at| tabs.swap_remove(at).1)
        };
        let tab = match free {
            Some(tab) => tab,
            None => open_page(world, name, page_origin),
        };
        let events: Arc<Mutex<Vec<Net>>> = Arc::default();
        let sink = Arc::clone(&events);
        let listener = tab.add_event_listener(Arc::new(move |event: &Event| {
            if let Some(net) = Net::from_event(event) {
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(net);
            }
        }));
        Some(Case {
            name,
            world,
            page_origin: page_origin.to_owned(),
            tab,
            listener,
            events,
        })
    }

    /// The token that marks this case's requests (`t=<token>` in the query).
    pub fn token(&self) -> &'static str {
        self.name
    }

    /// The world the case runs in (its servers' ports).
    pub fn world(&self) -> &'static World {
        self.world
    }

    /// The absolute URL of `path` on the API server, with this case's token in the query.
    pub fn api_url(&self, path: &str) -> String {
        self.url_on(self.world.api_port, path)
    }

    /// The absolute URL of `path` on the server at `port` of `127.0.0.1`, with this case's token
    /// in the query.
    pub fn url_on(&self, port: u16, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("http://127.0.0.1:{port}{path}{sep}t={}", self.token())
    }

    /// Opens a WebSocket to `path` on the API server from the page, and sends `text`: see
    /// [`websocket_echo`] for what comes back.
    pub fn websocket(&self, path: &str, text: &str) -> String {
        let url = api_ws_url(self.world, self.token(), path);
        websocket_echo(&self.tab, self.name, &url, text)
    }

    /// Every request of this case the API server answered, in order.
    pub fn server_saw(&self) -> Vec<Seen> {
        api::seen_with_token(self.token())
    }

    /// How many requests with `method` of this case reached the API server.
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
        let read: Vec<String> = req.read.iter().map(|n| js_string(n)).collect();
        let expression = format!(
            "corsFetch({}, {}, [{}])",
            js_string(url),
            req.init_js(),
            read.join(", ")
        );
        // Only events after this point belong to this fetch (a case may fetch one URL twice).
        let first_event = self.events.lock().unwrap_or_else(|e| e.into_inner()).len();
        let result = evaluate(&self.tab, self.name, &expression)
            .value
            .unwrap_or_else(|| panic!("{}: `{expression}` returned nothing", self.name));
        let field = |name: &str| -> String {
            result
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let settled = self.wait_for_end_of(&req.method, url, first_event);
        let failure = settled.iter().find_map(|net| match net {
            Net::Failed {
                error_text,
                cors,
                blocked_reason,
                ..
            } => Some((error_text.clone(), cors.clone(), blocked_reason.clone())),
            _ => None,
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
                let received = settled.iter().rev().find_map(|net| match net {
                    Net::Received { headers, .. } => Some(headers.clone()),
                    _ => None,
                });
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
                    received,
                })
            }
            "rejected" => {
                let rejection = format!("{}: {}", field("name"), field("message"));
                match failure {
                    Some((_, Some((cors_error, failed_parameter)), _)) => {
                        Outcome::Blocked(Blocked {
                            cors_error,
                            failed_parameter,
                            rejection,
                        })
                    }
                    other => Outcome::Failed(Failed {
                        error_text: other.as_ref().map(|(text, _, _)| text.clone()),
                        blocked_reason: other.and_then(|(_, _, reason)| reason),
                        rejection,
                    }),
                }
            }
            other => panic!("{}: unexpected result {other:?}: {result:?}", self.name),
        };
        println!(
            "[{}] {} {} -> {}",
            self.name,
            req.method,
            req.path,
            match &outcome {
                Outcome::Read(r) => format!("READ status {} body {:?}", r.status, r.body),
                Outcome::Blocked(b) => format!(
                    "BLOCKED by CORS: {:?} {:?} ({})",
                    b.cors_error, b.failed_parameter, b.rejection
                ),
                Outcome::Failed(f) => format!(
                    "FAILED, not CORS: {:?} {:?} ({})",
                    f.error_text, f.blocked_reason, f.rejection
                ),
            }
        );
        outcome
    }

    /// The events (from index `first_event` on) of the request `method url`, not of its
    /// preflight, once it ended; a panic after [`EVENT_TIMEOUT`].
    fn wait_for_end_of(&self, method: &str, url: &str, first_event: usize) -> Vec<Net> {
        let deadline = Instant::now() + EVENT_TIMEOUT;
        loop {
            let events: Vec<Net> =
                self.events.lock().unwrap_or_else(|e| e.into_inner())[first_event..].to_vec();
            let ids: Vec<&String> = events
                .iter()
                .filter_map(|net| match net {
                    Net::Sent {
                        id,
                        method: m,
                        url: u,
                    } if u == url && m.eq_ignore_ascii_case(method) => Some(id),
                    _ => None,
                })
                .collect();
            let mine: Vec<Net> = events
                .iter()
                .filter(|net| {
                    let id = match net {
                        Net::Sent { id, .. }
                        | Net::Received { id, .. }
                        | Net::Failed { id, .. }
                        | Net::Finished { id } => id,
                    };
                    ids.contains(&id)
                })
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
    /// Gives the tab back for the next case on its origin; a case that failed closes it instead.
    fn drop(&mut self) {
        self.tab.remove_event_listener(self.listener);
        if std::thread::panicking() {
            let _ = self.tab.close();
        } else {
            let tab = Arc::clone(&self.tab);
            let mut tabs = self.world.tabs.lock().unwrap_or_else(|e| e.into_inner());
            tabs.push((self.page_origin.clone(), tab));
        }
    }
}

/// A tab of one case's own, for a case whose page navigates away (a form submission): never
/// lent to another case, closed when dropped.
pub struct OwnTab {
    name: &'static str,
    world: &'static World,
    tab: Arc<Tab>,
}

impl OwnTab {
    /// Opens a new tab on `url` (absolute) and waits until it loaded; `None` when the browser
    /// tests are skipped.
    pub fn open(name: &'static str, url: &str) -> Option<OwnTab> {
        let world = crate::world::world(name)?;
        Some(Self::open_in(world, name, url))
    }

    /// [`OwnTab::open`] on `path` of the API server, with this case's token in the query.
    pub fn open_on_api(name: &'static str, path: &str) -> Option<OwnTab> {
        let world = crate::world::world(name)?;
        let sep = if path.contains('?') { '&' } else { '?' };
        let url = format!("http://127.0.0.1:{}{path}{sep}t={name}", world.api_port);
        Some(Self::open_in(world, name, &url))
    }

    fn open_in(world: &'static World, name: &'static str, url: &str) -> OwnTab {
        let tab = world.browser.new_tab().expect("open a tab");
        tab.set_default_timeout(PAGE_TIMEOUT);
        tab.navigate_to(url)
            .unwrap_or_else(|e| panic!("{name}: load {url}: {e}"));
        let own = OwnTab { name, world, tab };
        own.wait_for_document(url, PAGE_TIMEOUT);
        own
    }

    /// The token that marks this case's requests (`t=<token>` in the query).
    pub fn token(&self) -> &'static str {
        self.name
    }

    /// The absolute URL of `path` on the API server, with this case's token in the query.
    pub fn api_url(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!(
            "http://127.0.0.1:{}{path}{sep}t={}",
            self.world.api_port,
            self.token()
        )
    }

    /// [`Case::websocket`] from this tab's page.
    pub fn websocket(&self, path: &str, text: &str) -> String {
        let url = api_ws_url(self.world, self.token(), path);
        websocket_echo(&self.tab, self.name, &url, text)
    }

    /// Runs `script` in the page (for what it does: its value is dropped).
    pub fn run(&self, script: &str) {
        evaluate(&self.tab, self.name, script);
    }

    /// Adds a `<form method="post" action="{url}">` with one field (`x=1`, a form-urlencoded
    /// body) to the page and submits it with `form.submit()`: the tab navigates to `url`.
    pub fn submit_form(&self, url: &str) {
        self.run(&format!(
            "(() => {{ const form = document.createElement('form'); form.method = 'post'; \
             form.action = {}; const field = document.createElement('input'); \
             field.name = 'x'; field.value = '1'; form.appendChild(field); \
             document.body.appendChild(form); form.submit(); }})()",
            js_string(url)
        ));
    }

    /// Waits, at most `timeout`, until the tab shows a loaded document at `url`, and returns
    /// the text of its body (`document.body.innerText`, trimmed).
    pub fn wait_for_document(&self, url: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let expression = "location.href + ' ' + document.readyState + ' ' + \
                          (document.body ? document.body.innerText : '')";
        let mut last = String::new();
        loop {
            // While the tab navigates, its page may be gone: an error is one more poll.
            let state = try_evaluate(&self.tab, expression)
                .ok()
                .and_then(|r| r.value)
                .and_then(|v| v.as_str().map(str::to_owned));
            if let Some(state) = state {
                if let Some(text) = state
                    .strip_prefix(url)
                    .and_then(|rest| rest.strip_prefix(" complete "))
                {
                    return text.trim().to_owned();
                }
                last = state;
            }
            assert!(
                Instant::now() < deadline,
                "{}: the tab did not show {url} within {timeout:?}; last: {last:?}",
                self.name
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OwnTab {
    fn drop(&mut self) {
        let _ = self.tab.close();
    }
}

/// Response headers as DevTools hands them over (a JSON object).
pub mod serde_like {
    use serde_json::Value;

    /// Response headers as DevTools reported them (names lowercased).
    #[derive(Debug, Clone, Default)]
    pub struct Headers(Vec<(String, String)>);

    impl Headers {
        pub fn get(&self, name: &str) -> Option<String> {
            self.0
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        }
    }

    impl From<&Value> for Headers {
        fn from(headers: &Value) -> Self {
            let pairs = headers
                .as_object()
                .map(|map| {
                    map.iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            Headers(pairs)
        }
    }
}
