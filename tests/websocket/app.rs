//! WebSocket endpoints under `#[cors]`: handlers that upgrade with actix-ws and echo every text
//! message, counting, per `t=<token>` in the query, how often they ran and upgraded. Served by
//! `websocket.rs` (over TCP) and by the browser suite (to Chromium's `new WebSocket(..)`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_route_cors::cors;
use actix_web::dev::RequestHead;
use actix_web::{get, web, Error, HttpRequest, HttpResponse};
use actix_ws::Message;

/// An origin allowed everywhere here.
pub const APP: &str = "https://app.example.com";
/// The browser suite's page origin that may open the sockets (`PAGE_A` there).
pub const PAGE: &str = "http://127.0.0.1:28461";

/// How often the handlers of one token ran, and upgraded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// The handler ran.
    pub runs: usize,
    /// It upgraded the connection (actix-ws accepted the handshake).
    pub upgrades: usize,
}

static COUNTS: Mutex<BTreeMap<String, Counts>> = Mutex::new(BTreeMap::new());

/// The counts of `token`.
pub fn counts(token: &str) -> Counts {
    let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    counts.get(token).copied().unwrap_or_default()
}

fn count(req: &HttpRequest, f: impl FnOnce(&mut Counts)) {
    let token = req
        .query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("t="))
        .unwrap_or_default()
        .to_owned();
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    f(counts.entry(token).or_default());
}

/// Upgrades and echoes each text message until the client closes.
async fn echo(req: HttpRequest, body: web::Payload) -> Result<HttpResponse, Error> {
    count(&req, |c| c.runs += 1);
    let (res, mut session, mut stream) = actix_ws::handle(&req, body)?;
    count(&req, |c| c.upgrades += 1);
    actix_web::rt::spawn(async move {
        while let Some(Ok(message)) = stream.recv().await {
            let sent = match message {
                Message::Text(text) => session.text(text).await,
                Message::Ping(bytes) => session.pong(&bytes).await,
                Message::Close(reason) => {
                    let _ = session.close(reason).await;
                    return;
                }
                _ => Ok(()),
            };
            if sent.is_err() {
                return;
            }
        }
    });
    Ok(res)
}

/// Origins written in the attribute.
#[cors(origins = ["https://app.example.com", "http://127.0.0.1:28461"], websocket)]
#[get("/ws")]
async fn written(req: HttpRequest, body: web::Payload) -> Result<HttpResponse, Error> {
    echo(req, body).await
}

/// The origins [`decided`] allows: the same two.
pub fn allows(origin: &str, _: &RequestHead) -> bool {
    origin == APP || origin == PAGE
}

/// Origins decided at run time, by a function.
#[cors(origins = allows, websocket)]
#[get("/ws/fn")]
async fn decided(req: HttpRequest, body: web::Payload) -> Result<HttpResponse, Error> {
    echo(req, body).await
}

/// The endpoints: `GET /ws` (written origins) and `GET /ws/fn` (a function).
pub fn routes(config: &mut web::ServiceConfig) {
    config.service(written).service(decided);
}
