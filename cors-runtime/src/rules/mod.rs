//! The validation rules of a CORS policy, in one place.
//!
//! The `#[cors]` macro calls [`validate`] at compile time and turns each [`RuleError`]
//! into a compile error on the offending token; a policy built at run time goes through
//! the same function at start-up. Nothing here depends on actix-web.

mod configured;
mod header;
mod method;
mod origin;
mod validate;
mod websocket;

pub use configured::{check_configured_origins, split_origins};
pub use header::{check_exposed_header, check_request_header, FORBIDDEN_REQUEST_HEADERS};
pub use method::check_method;
pub use origin::{check_origin, is_loopback_host, is_plain_http_origin, OriginSpec};
pub(crate) use validate::plain_http_error;
pub use validate::{validate, PolicyInput, ValidPolicy, WildcardList, MAX_AGE_LIMIT};
pub use websocket::check_websocket;

/// Which part of a [`PolicyInput`] a [`RuleError`] is about, so that a caller can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Item {
    /// The whole `origins` list.
    Origins,
    /// The origin at this index.
    Origin(usize),
    /// The method at this index of the explicit `methods` list.
    Method(usize),
    /// The request header at this index of `headers`.
    Header(usize),
    /// The response header at this index of `expose`.
    Expose(usize),
    /// The `max_age` value.
    MaxAge,
    /// The `writes_from_any_origin` flag.
    WritesFromAnyOrigin,
    /// The `dangerously_trust_http_origins` flag.
    DangerouslyTrustHttpOrigins,
    /// The `report_only` key.
    ReportOnly,
    /// The `websocket` flag.
    Websocket,
    /// A whole key, by its name (`credentials`, `headers`, ...): its flag, list or value.
    Key(&'static str),
}

/// One broken rule: what is wrong and how to fix it, and, for a whole policy checked by
/// [`validate`], which part of it ([`Item`]). A `check_*` rule about one value returns it
/// without an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// What the error is about, in a policy checked by [`validate`]; `None` for one value
    /// checked alone.
    pub item: Option<Item>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl RuleError {
    /// An error about one value checked alone.
    #[doc(hidden)]
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            item: None,
            message: message.into(),
            help: help.into(),
        }
    }

    /// An error about `item` of a policy.
    pub(crate) fn about(item: Item, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(message, help).at(item)
    }

    /// The same error, about `item` of a policy.
    pub(crate) fn at(self, item: Item) -> Self {
        Self {
            item: Some(item),
            ..self
        }
    }
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (help: {})", self.message, self.help)
    }
}

impl std::error::Error for RuleError {}
