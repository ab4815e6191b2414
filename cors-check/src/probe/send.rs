//! Sending a probe's requests: each as Chromium would send it from a page, the `Origin` fields
//! replaced by the attempt's (raw bytes and several fields included), timed.

use std::time::{Duration, Instant};

use crate::browser::plan::Plan;
use crate::browser::requests;
use crate::net::client::exchange;
use crate::net::error::NetError;
use crate::net::request::Request;
use crate::net::response::Response;
use crate::net::tls::Tls;
use crate::url::Target;

/// One request sent: its answer (or why there is none) and how long the exchange took,
/// connection and TLS handshake included.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The response, or the network error.
    pub response: Result<Response, NetError>,
    /// From connecting to the end of the response.
    pub elapsed: Duration,
}

impl Sent {
    /// The response, when there is one.
    pub fn ok(&self) -> Option<&Response> {
        self.response.as_ref().ok()
    }
}

/// Sends a probe's requests to one URL.
pub struct Sender<'a> {
    /// The URL.
    pub target: &'a Target,
    /// The TLS configuration, for `https://`.
    pub tls: Option<&'a Tls>,
    /// The request as a page would make it (method, no headers, no credentials).
    pub plan: &'a Plan,
}

impl Sender<'_> {
    /// The request itself, with one `Origin` field per value of `origins`.
    pub fn actual(&self, origins: &[String]) -> Sent {
        let request = requests::actual(self.target, first(origins), self.plan);
        self.send(request, origins)
    }

    /// A preflight for `plan` (this sender's, or one that asks for more request headers),
    /// with one `Origin` field per value of `origins`.
    pub fn preflight(&self, origins: &[String], plan: &Plan) -> Sent {
        let request = requests::preflight(self.target, first(origins), plan);
        self.send(request, origins)
    }

    fn send(&self, mut request: Request, origins: &[String]) -> Sent {
        request.set_values("Origin", origins.iter().map(|o| o.as_bytes().to_vec()));
        let start = Instant::now();
        let response = exchange(self.target, &request, self.tls).map(|(response, _)| response);
        Sent {
            response,
            elapsed: start.elapsed(),
        }
    }
}

fn first(origins: &[String]) -> &str {
    origins.first().map_or("", String::as_str)
}
