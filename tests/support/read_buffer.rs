//! Header values as they arrive over the wire, for the allocation test and the benches.

use actix_web::http::header::HeaderValue;
use actix_web::web::Bytes;

/// A header value as actix-http's HTTP/1 decoder makes it: a slice of the (shared) buffer the
/// request was read into, which a clone shares by counting a reference (a value `TestRequest`
/// makes from a `&str` owns its bytes, and its first clone allocates to share them).
pub fn value_in_read_buffer(value: &str) -> HeaderValue {
    let buffer = Bytes::from(format!("origin: {value}\r\n").into_bytes());
    HeaderValue::from_maybe_shared(buffer.slice(8..8 + value.len())).expect("a valid value")
}
