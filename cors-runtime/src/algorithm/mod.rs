//! The CORS protocol of the Fetch standard, as pure functions: request header values in,
//! a decision out. No actix-web here; the glue in [`crate::actix`] applies the decisions.

mod decision;
mod explain;
mod fields;
mod origin;
mod write;

pub use decision::{
    decide_actual, decide_preflight, Actual, AllowOrigin, Denial, Preflight, PreflightRequest,
};
#[cfg(feature = "actix")]
pub(crate) use decision::{decide_actual_judged, decide_preflight_judged};
pub use explain::{Asked, Explained};
pub use fields::{Field, MAX_REQUEST_HEADERS_LEN};
#[cfg(feature = "actix")]
pub(crate) use write::decide_write_judged;
pub use write::{decide_write, is_safe_method, WriteRequest};
