//! The CORS protocol of the Fetch standard, as pure functions: request header values in,
//! a decision out. No actix-web here; the glue in [`crate::actix`] applies the decisions.

mod decision;
mod explain;
mod fields;
mod handshake;
mod origin;
mod outcome;
mod write;

pub use decision::{
    decide_actual, decide_preflight, Actual, AllowOrigin, Denial, Preflight, PreflightRequest,
};
pub use explain::{Asked, Explained};
pub use fields::{Field, MAX_REQUEST_HEADERS_LEN};
pub use handshake::{decide_handshake, is_handshake, HandshakeRequest};
pub use origin::RequestOrigin;
pub use outcome::{Kind, Outcome, Reason};
pub use write::{decide_write, WriteRequest};
