//! The three engines and how each is driven: one W3C WebDriver session per engine, through
//! [fantoccini](https://docs.rs/fantoccini), with what is specific to each engine in this file.
//!
//! | engine | browser (Debian package) | WebDriver server | started with |
//! |---|---|---|---|
//! | Chromium | `/usr/bin/chromium` (`chromium`) | `chromedriver` (`chromium-driver`) | `--headless` and the flags of [`CHROMIUM_FLAGS`] |
//! | Firefox | `firefox-esr` (`firefox-esr`) | `geckodriver` 0.37.1 (`cargo install geckodriver --version 0.37.1 --locked`; Debian has no package) | `-headless` |
//! | WebKit | `MiniBrowser` of `libwebkit2gtk-4.1-0`, in the multiarch library folder | `WebKitWebDriver` (`webkit2gtk-driver`) | `--automation`, on an Xvfb display (`xvfb`) started for it |
//!
//! Each can be pointed elsewhere: `CHROMIUM_PATH`, `CHROMEDRIVER_PATH`, `FIREFOX_PATH`,
//! `GECKODRIVER_PATH`, `MINIBROWSER_PATH`, `WEBKITWEBDRIVER_PATH`.
//!
//! Only on Chromium does the suite also use DevTools (`cdp.rs`): to learn *why* a request was
//! blocked (`Network.loadingFailed`'s `corsErrorStatus`), which WebDriver does not say and which
//! Firefox and WebKit print only to their consoles. Everywhere, a request counts as blocked by
//! CORS when the script's `fetch()` rejected with a `TypeError` although the server answered
//! (see `case.rs`); on Chromium DevTools must agree.

use crate::cdp;
use crate::process::{self, Process};
use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::fmt;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a driver and its browser may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one WebDriver command may take (a script's own `fetch()` is bounded by 10 s).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long closing the session may take at the end.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

/// Chromium's flags, for a root user on a machine whose network is closed: no sandbox (root), no
/// GPU, and no background connections to Google's services.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-breakpad",
    "--password-store=basic",
    "--use-mock-keychain",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Engine {
    Chromium,
    Firefox,
    Webkit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::Webkit];

    /// Lowercase, as in tokens and `BROWSER_ENGINES`.
    pub fn id(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::Webkit => "webkit",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::Webkit => "WebKit",
        }
    }

    /// What to install when the engine is missing.
    pub fn install_hint(self) -> &'static str {
        match self {
            Engine::Chromium => "apt-get install -y chromium chromium-driver",
            Engine::Firefox => {
                "apt-get install -y firefox-esr && cargo install geckodriver --version 0.37.1 --locked"
            }
            Engine::Webkit => "apt-get install -y webkit2gtk-driver xvfb",
        }
    }

    /// The rejection a script's `fetch()` gets for a request the engine blocks or cannot make
    /// (a `TypeError` in all three; the message is the engine's own: the Fetch standard says
    /// only "a network error", <https://fetch.spec.whatwg.org/#concept-network-error>).
    pub fn network_error(self) -> &'static str {
        match self {
            Engine::Chromium => "TypeError: Failed to fetch",
            Engine::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
            Engine::Webkit => "TypeError: Load failed",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// Why an engine could not be used.
#[derive(Debug)]
pub enum Unavailable {
    /// Not installed: what is missing.
    Missing(String),
    /// Installed, but it did not start.
    Broken(String),
}

fn env_path(var: &str) -> Option<Result<PathBuf, String>> {
    std::env::var_os(var).map(|path| {
        let path = PathBuf::from(path);
        if path.is_file() {
            Ok(path)
        } else {
            Err(format!("{var}={} does not exist", path.display()))
        }
    })
}

/// `$var`, else the first of `names` on `PATH`, else the first of `usual` that exists.
fn find(var: &str, names: &[&str], usual: &[PathBuf]) -> Result<PathBuf, String> {
    if let Some(found) = env_path(var) {
        return found;
    }
    names
        .iter()
        .find_map(|name| process::on_path(name))
        .or_else(|| usual.iter().find(|p| p.is_file()).cloned())
        .ok_or_else(|| {
            format!(
                "neither ${var} nor {} found (on PATH{})",
                names.join(" nor "),
                if usual.is_empty() {
                    String::new()
                } else {
                    format!(
                        " or at {}",
                        usual
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            )
        })
}

/// `MiniBrowser` of libwebkit2gtk-4.1 in any multiarch library folder (`/usr/lib/*/`).
fn minibrowser_candidates() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("webkit2gtk-4.1/MiniBrowser"))
        .collect();
    found.push(PathBuf::from("/usr/libexec/webkit2gtk-4.1/MiniBrowser"));
    found.sort();
    found
}

fn cargo_bin(name: &str) -> Vec<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    home.map(|h| vec![h.join("bin").join(name)])
        .unwrap_or_default()
}

/// What one engine needs on this machine.
struct Install {
    browser: PathBuf,
    driver: PathBuf,
    /// WebKit: Xvfb.
    xvfb: Option<PathBuf>,
}

fn locate(engine: Engine) -> Result<Install, String> {
    match engine {
        Engine::Chromium => Ok(Install {
            browser: find(
                "CHROMIUM_PATH",
                &["chromium"],
                &[PathBuf::from("/usr/bin/chromium")],
            )?,
            driver: find(
                "CHROMEDRIVER_PATH",
                &["chromedriver"],
                &[PathBuf::from("/usr/bin/chromedriver")],
            )?,
            xvfb: None,
        }),
        Engine::Firefox => Ok(Install {
            browser: find("FIREFOX_PATH", &["firefox-esr", "firefox"], &[])?,
            driver: find(
                "GECKODRIVER_PATH",
                &["geckodriver"],
                &cargo_bin("geckodriver"),
            )?,
            xvfb: None,
        }),
        Engine::Webkit => Ok(Install {
            browser: find("MINIBROWSER_PATH", &[], &minibrowser_candidates())?,
            driver: find("WEBKITWEBDRIVER_PATH", &["WebKitWebDriver"], &[])?,
            xvfb: Some(find("XVFB_PATH", &["Xvfb"], &[])?),
        }),
    }
}

/// One engine's WebDriver session (and its driver, its browser and, for WebKit, its display),
/// used from one thread. Dropping it ends the session, then every process it started.
pub struct Session {
    pub engine: Engine,
    /// The browser's version, as its driver reports it (`browserVersion`).
    pub version: String,
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    /// Chromium: the DevTools connection to the session's window.
    pub devtools: Option<Devtools>,
    driver: Option<Process>,
    display: Option<Process>,
}

impl Session {
    /// Starts the engine's driver (and display), then a session.
    pub fn start(engine: Engine, logs: &Path) -> Result<Session, Unavailable> {
        let install = locate(engine).map_err(Unavailable::Missing)?;
        // A free port can be taken by someone else before the driver binds it: try again.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::start_with(engine, &install, logs) {
                Ok(session) => return Ok(session),
                Err(why) => last = why,
            }
        }
        Err(Unavailable::Broken(last))
    }

    fn start_with(engine: Engine, install: &Install, logs: &Path) -> Result<Session, String> {
        std::fs::create_dir_all(logs)
            .map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
        let log = logs.join(format!("{}.log", engine.id()));
        let _ = std::fs::write(&log, b"");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("a tokio runtime: {e}"))?;

        let display = match &install.xvfb {
            Some(xvfb) => {
                // -displayfd 1: Xvfb takes the first free display and writes its number on
                // its standard output.
                let mut xvfb = Process::start(
                    "Xvfb",
                    Command::new(xvfb).args([
                        "-displayfd",
                        "1",
                        "-screen",
                        "0",
                        "1280x1024x24",
                        "-nolisten",
                        "tcp",
                    ]),
                    &log,
                    true,
                )?;
                let stdout = xvfb.take_stdout().expect("piped");
                let number = process::first_line(stdout, START_TIMEOUT)
                    .map_err(|e| format!("Xvfb gave no display number: {e}"))?;
                Some((xvfb, format!(":{}", number.trim())))
            }
            None => None,
        };

        let port = process::free_port()?;
        let mut command = Command::new(&install.driver);
        match engine {
            Engine::Chromium => {
                command.arg(format!("--port={port}"));
            }
            Engine::Firefox => {
                command.args([
                    "--port",
                    &port.to_string(),
                    "--host",
                    "127.0.0.1",
                    "--binary",
                ]);
                command.arg(&install.browser);
            }
            Engine::Webkit => {
                command.arg(format!("--port={port}"));
            }
        }
        if let Some((_, number)) = &display {
            command.env("DISPLAY", number);
        }
        let mut driver = Process::start(
            &format!("{}-driver", engine.id()),
            &mut command,
            &log,
            false,
        )?;
        wait_until_ready(&mut driver, port, &log)?;

        let capabilities = capabilities(engine, install);
        let connect = async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
        };
        let client = rt
            .block_on(async { tokio::time::timeout(START_TIMEOUT, connect).await })
            .map_err(|_| {
                format!(
                    "no {engine} session within {START_TIMEOUT:?} (see {})",
                    log.display()
                )
            })?
            .map_err(|e| format!("no {engine} session: {e} (see {})", log.display()))?;
        let version = client
            .capabilities()
            .and_then(|c| c.get("browserVersion"))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned();
        let debugger = client
            .capabilities()
            .and_then(|c| c.get("goog:chromeOptions"))
            .and_then(|o| o.get("debuggerAddress"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut session = Session {
            engine,
            version,
            rt,
            client: Some(client),
            devtools: None,
            driver: Some(driver),
            display: display.map(|(process, _)| process),
        };
        session.block(|c| async move {
            c.update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(20)),
                Some(Duration::from_secs(20)),
                Some(Duration::ZERO),
            ))
            .await
        })?;
        if let Some(address) = debugger {
            let window = session.block(|c| async move { c.window().await })?;
            session.devtools = Some(Devtools::attach(&address, &String::from(window))?);
        }
        Ok(session)
    }

    /// Runs one command of the client, bounded by [`COMMAND_TIMEOUT`].
    pub fn block<T, F, Fut>(&self, command: F) -> Result<T, String>
    where
        F: FnOnce(Client) -> Fut,
        Fut: std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        let client = self.client.clone().expect("a session until dropped");
        self.rt
            .block_on(async { tokio::time::timeout(COMMAND_TIMEOUT, command(client)).await })
            .map_err(|_| {
                format!(
                    "{}: no answer from WebDriver within {COMMAND_TIMEOUT:?}",
                    self.engine
                )
            })?
            .map_err(|e| format!("{}: {e}", self.engine))
    }

    /// Loads `url` in the window and waits for its `load` event.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        let url = url.to_owned();
        self.block(|c| async move { c.goto(&url).await })
    }

    /// Runs `script` (a function body; `arguments` are `args`) and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        let script = script.to_owned();
        self.block(|c| async move { c.execute(&script, args).await })
    }

    /// Runs `script`, which calls `arguments[arguments.length - 1]` with its value.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        let script = script.to_owned();
        self.block(|c| async move { c.execute_async(&script, args).await })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let closed = self
                .rt
                .block_on(async { tokio::time::timeout(CLOSE_TIMEOUT, client.close()).await });
            if !matches!(closed, Ok(Ok(()))) {
                eprintln!(
                    "browser tests: the {} session did not close cleanly; ending its processes",
                    self.engine
                );
            }
        }
        self.devtools = None;
        // The driver's group (its browser with it), then the display.
        self.driver = None;
        self.display = None;
    }
}

/// Waits until the driver at `port` answers `GET /status` ready.
fn wait_until_ready(driver: &mut Process, port: u16, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Some(why) = driver.exited() {
            return Err(format!("{why} (see {})", log.display()));
        }
        if let Ok(body) = http_get(&format!("127.0.0.1:{port}"), "/status") {
            if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the driver (pid {}) was not ready on port {port} within {START_TIMEOUT:?} (see {})",
                driver.id(),
                log.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A plain HTTP/1.1 GET on loopback: the body. Read up to its `Content-Length`, or to the end
/// of its chunks, since a driver may keep the connection open whatever the request says.
fn http_get(address: &str, path: &str) -> Result<String, String> {
    let address: std::net::SocketAddr = address.parse().map_err(|e| format!("{address}: {e}"))?;
    let mut stream =
        TcpStream::connect_timeout(&address, Duration::from_secs(2)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let head = head.to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            match length {
                Some(length) if body.len() >= length => return Ok(body[..length].to_owned()),
                None if head.contains("transfer-encoding: chunked")
                    && body.ends_with("0\r\n\r\n") =>
                {
                    // One chunk is all a driver's /status or /json/version needs.
                    let data = body.split_once("\r\n").map_or("", |(_, rest)| rest);
                    let end = data.rfind("\r\n0\r\n").unwrap_or(data.len());
                    return Ok(data[..end].to_owned());
                }
                _ => {}
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => {
                let text = String::from_utf8_lossy(&answer);
                return Ok(text
                    .split_once("\r\n\r\n")
                    .map_or(String::new(), |(_, body)| body.to_owned()));
            }
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn capabilities(engine: Engine, install: &Install) -> Capabilities {
    let value = match engine {
        Engine::Chromium => json!({
            "goog:chromeOptions": {
                "binary": install.browser,
                "args": CHROMIUM_FLAGS,
            },
            "pageLoadStrategy": "normal",
        }),
        Engine::Firefox => json!({
            "moz:firefoxOptions": {
                "binary": install.browser,
                "args": ["-headless"],
                "prefs": {
                    // No connections the closed network would refuse, many at a time.
                    "network.captive-portal-service.enabled": false,
                    "network.connectivity-service.enabled": false,
                    "browser.safebrowsing.update.enabled": false,
                    "app.update.disabledForTesting": true,
                },
            },
            "pageLoadStrategy": "normal",
        }),
        Engine::Webkit => json!({
            "webkitgtk:browserOptions": {
                "binary": install.browser,
                "args": ["--automation"],
            },
            "pageLoadStrategy": "normal",
        }),
    };
    match value {
        Value::Object(map) => map,
        _ => unreachable!("an object"),
    }
}

/// Chromium only: a DevTools connection to the session's window, with its `Network` events.
pub struct Devtools {
    pub tab: std::sync::Arc<cdp::Tab>,
    _browser: cdp::Browser,
}

impl Devtools {
    /// Connects to the DevTools of the Chromium that chromedriver started (`debuggerAddress`,
    /// `localhost:PORT`) and attaches to `target` (chromedriver's window handles are DevTools
    /// target ids), with the `Network` domain on.
    fn attach(address: &str, target: &str) -> Result<Devtools, String> {
        let port = address
            .rsplit(':')
            .next()
            .ok_or_else(|| format!("debuggerAddress {address}"))?;
        let version = http_get(&format!("127.0.0.1:{port}"), "/json/version")?;
        let version: Value =
            serde_json::from_str(&version).map_err(|e| format!("/json/version: {e}"))?;
        let ws = version["webSocketDebuggerUrl"]
            .as_str()
            .ok_or("/json/version has no webSocketDebuggerUrl")?
            .replacen("ws://localhost:", "ws://127.0.0.1:", 1);
        let browser = cdp::Browser::connect(&ws, START_TIMEOUT)?;
        browser.set_default_timeout(COMMAND_TIMEOUT);
        let tab = browser.attach(target)?;
        tab.call("Network.enable", json!({}))?;
        Ok(Devtools {
            tab,
            _browser: browser,
        })
    }
}
