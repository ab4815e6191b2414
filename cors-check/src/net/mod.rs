//! A small HTTP/1.1 client: one request per connection, over plain TCP or a TLS session on it,
//! every response header field kept as its own entry, in the order received, byte for byte.
//!
//! A general-purpose client merges or normalizes fields; a CORS check must not, since two
//! `Access-Control-Allow-Origin` fields are exactly the bug it has to report.
//!
//! The data flows one way: [`client`] connects (over [`tls`] for `https://`), writes a
//! [`request`] and reads a [`response`] with [`read`] ([`unverified`] is the certificate
//! verifier of `--insecure`); each of them reports a failure as an [`error`], and takes its
//! sizes and timeouts from [`limits`]; [`words`] says the TLS library's errors in words.

pub mod client;
pub mod error;
pub mod limits;
pub mod read;
pub mod request;
pub mod response;
pub mod tls;
pub mod unverified;
pub mod words;
