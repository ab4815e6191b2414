//! What goes wrong on the network.

use std::fmt;

/// A failure to exchange a request and a response: the server could not be reached, or what it
/// sent is not HTTP/1.x. (A browser reports these as network errors, not as CORS errors.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError(pub String);

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A [`NetError`] with `message`.
pub fn err(message: impl Into<String>) -> NetError {
    NetError(message.into())
}
