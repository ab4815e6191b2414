//! A small client of the Chrome DevTools protocol, over its WebSocket: what the suite uses on
//! Chromium besides WebDriver (attaching to the WebDriver session's window, the `Network`
//! domain's events: why a request was blocked) and nothing more. Messages are JSON (`serde_json`); the WebSocket is `tungstenite`'s.
//!
//! One connection to the browser carries every tab: a tab is a target attached in "flat" mode,
//! so its commands and events carry its session id. A reader thread owns the socket's read
//! half and hands each answer to the call waiting for it, and each event to the listeners of
//! its tab; calls write on the other half, under a lock.

use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};
use tungstenite::protocol::Role;
use tungstenite::{Message, WebSocket};

/// A DevTools event of one tab: its method (`Network.loadingFailed`) and parameters.
#[derive(Debug)]
pub struct Event {
    pub method: String,
    pub params: Value,
}

/// What a listener is given, on the connection's reader thread.
pub type Listener = dyn Fn(&Event) + Send + Sync;

/// The listeners of one tab, each with the id that removes it.
type Listeners = Vec<(u64, Arc<Listener>)>;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The connection, shared by the browser, its tabs and the reader thread.
struct Connection {
    writer: Mutex<WebSocket<TcpStream>>,
    next_id: AtomicU64,
    /// Calls waiting for their answer, by id.
    waiting: Mutex<HashMap<u64, mpsc::Sender<Result<Value, String>>>>,
    /// Event listeners, by session id.
    listeners: Mutex<HashMap<String, Listeners>>,
    /// Why the connection ended, once it has.
    ended: Mutex<Option<String>>,
}

impl Connection {
    /// Sends `method` with `params` (to the tab of `session`, or to the browser) and waits at
    /// most `timeout` for the answer's `result`.
    fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = Value::from(session);
        }
        let (tx, rx) = mpsc::channel();
        lock(&self.waiting).insert(id, tx);
        if let Some(why) = lock(&self.ended).clone() {
            lock(&self.waiting).remove(&id);
            return Err(format!("{method}: the DevTools connection ended: {why}"));
        }
        let sent = lock(&self.writer).send(Message::text(message.to_string()));
        if let Err(e) = sent {
            lock(&self.waiting).remove(&id);
            return Err(format!("{method}: cannot send to DevTools: {e}"));
        }
        match rx.recv_timeout(timeout) {
            Ok(answer) => answer.map_err(|e| format!("{method}: {e}")),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                lock(&self.waiting).remove(&id);
                Err(format!(
                    "{method}: no answer from DevTools within {timeout:?}"
                ))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!(
                "{method}: the DevTools connection ended: {}",
                lock(&self.ended).clone().unwrap_or_default()
            )),
        }
    }

    /// Hands one message from the browser to whoever waits for it.
    fn dispatch(&self, text: &str) {
        let Ok(message) = serde_json::from_str::<Value>(text) else {
            return;
        };
        if let Some(id) = message.get("id").and_then(Value::as_u64) {
            let Some(tx) = lock(&self.waiting).remove(&id) else {
                return;
            };
            let answer = match message.get("error") {
                Some(error) => Err(error
                    .get("message")
                    .and_then(Value::as_str)
                    .map_or_else(|| error.to_string(), str::to_owned)),
                None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
            };
            let _ = tx.send(answer);
            return;
        }
        let Some(method) = message.get("method").and_then(Value::as_str) else {
            return;
        };
        let session = message
            .get("sessionId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let listeners: Vec<Arc<Listener>> = match lock(&self.listeners).get(session) {
            Some(listeners) => listeners.iter().map(|(_, l)| Arc::clone(l)).collect(),
            None => return,
        };
        let event = Event {
            method: method.to_owned(),
            params: message.get("params").cloned().unwrap_or(Value::Null),
        };
        for listener in listeners {
            listener(&event);
        }
    }

    /// Ends the connection for everyone: every waiting call fails with `why`.
    fn end(&self, why: String) {
        *lock(&self.ended) = Some(why);
        lock(&self.waiting).clear();
    }
}

/// A browser, driven over DevTools.
pub struct Browser {
    connection: Arc<Connection>,
    timeout: Mutex<Duration>,
}

impl Browser {
    /// Connects to the browser's DevTools WebSocket `ws_url` (`ws://127.0.0.1:PORT/devtools/
    /// browser/ID`), waiting at most `timeout` for the connection.
    pub fn connect(ws_url: &str, timeout: Duration) -> Result<Browser, String> {
        let address = ws_url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .ok_or_else(|| format!("not a ws:// URL: {ws_url}"))?;
        let address = address
            .parse()
            .map_err(|e| format!("DevTools address {address}: {e}"))?;
        let stream = TcpStream::connect_timeout(&address, timeout)
            .map_err(|e| format!("connect to {address}: {e}"))?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (reader, _) = tungstenite::client(ws_url, stream)
            .map_err(|e| format!("WebSocket handshake with {ws_url}: {e}"))?;
        let write_half = reader.get_ref().try_clone().map_err(|e| e.to_string())?;
        let writer = WebSocket::from_raw_socket(write_half, Role::Client, None);
        let connection = Arc::new(Connection {
            writer: Mutex::new(writer),
            next_id: AtomicU64::new(1),
            waiting: Mutex::default(),
            listeners: Mutex::default(),
            ended: Mutex::default(),
        });
        let shared = Arc::clone(&connection);
        std::thread::Builder::new()
            .name("devtools-reader".into())
            .spawn(move || read(reader, &shared))
            .map_err(|e| e.to_string())?;
        Ok(Browser {
            connection,
            timeout: Mutex::new(timeout),
        })
    }

    /// How long a call waits for its answer, from now on.
    pub fn set_default_timeout(&self, timeout: Duration) {
        *lock(&self.timeout) = timeout;
    }

    /// Attaches to the target `target_id` (a tab) in flat mode: its commands and events go
    /// over this connection, with the session id this returns.
    pub fn attach(&self, target_id: &str) -> Result<Arc<Tab>, String> {
        let timeout = *lock(&self.timeout);
        let attached = self.connection.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            timeout,
        )?;
        let session_id = attached["sessionId"]
            .as_str()
            .ok_or("Target.attachToTarget gave no sessionId")?
            .to_owned();
        Ok(Arc::new(Tab {
            connection: Arc::clone(&self.connection),
            session_id,
            timeout: Mutex::new(timeout),
            next_listener: AtomicU64::new(1),
        }))
    }
}

/// Reads the browser's messages until the connection ends.
fn read(mut reader: WebSocket<TcpStream>, connection: &Connection) {
    loop {
        match reader.read() {
            Ok(Message::Text(text)) => connection.dispatch(text.as_str()),
            Ok(Message::Close(_)) => return connection.end("closed by the browser".into()),
            Ok(_) => {}
            Err(e) => return connection.end(e.to_string()),
        }
    }
}

/// One tab of the browser.
pub struct Tab {
    connection: Arc<Connection>,
    session_id: String,
    timeout: Mutex<Duration>,
    next_listener: AtomicU64,
}

impl Tab {
    /// Sends `method` with `params` to the tab and returns the answer's `result`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
        let timeout = *lock(&self.timeout);
        self.connection
            .call(Some(&self.session_id), method, params, timeout)
    }

    /// Calls `listener` with each event of this tab (on the connection's reader thread) until
    /// [`Tab::remove_event_listener`] is called with the id returned.
    pub fn add_event_listener(&self, listener: Arc<Listener>) -> u64 {
        let id = self.next_listener.fetch_add(1, Ordering::Relaxed);
        lock(&self.connection.listeners)
            .entry(self.session_id.clone())
            .or_default()
            .push((id, listener));
        id
    }

    /// Stops the listener of `id`.
    pub fn remove_event_listener(&self, id: u64) {
        if let Some(listeners) = lock(&self.connection.listeners).get_mut(&self.session_id) {
            listeners.retain(|(l, _)| *l != id);
        }
    }
}
