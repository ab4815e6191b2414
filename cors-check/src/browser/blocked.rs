//! Why a browser blocks a request: one reason per Chromium CORS error, and which response it
//! is about.

/// Which response a failure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The preflight's response.
    Preflight,
    /// The actual request's response.
    Actual,
}

/// Why the browser blocks the request: one variant per Chromium CORS error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// The preflight's response is a redirect.
    PreflightRedirect,
    /// No `Access-Control-Allow-Origin` field.
    MissingAllowOrigin,
    /// `Access-Control-Allow-Origin: *` and credentials are included.
    WildcardWithCredentials,
    /// `Access-Control-Allow-Origin` holds several values (or several fields); the combined value.
    MultipleAllowOrigin(String),
    /// `Access-Control-Allow-Origin` is not a URL.
    InvalidAllowOrigin(String),
    /// `Access-Control-Allow-Origin` is another origin.
    AllowOriginMismatch(String),
    /// Credentials are included and `Access-Control-Allow-Credentials` is not `true`; its value.
    AllowCredentials(String),
    /// The preflight's status is not 200–299.
    PreflightStatus(u16),
    /// `Access-Control-Allow-Methods` is not a list of methods.
    AllowMethodsUnparsable,
    /// `Access-Control-Allow-Headers` is not a list of header names.
    AllowHeadersUnparsable,
    /// The method is not allowed by the preflight's response.
    Method(String),
    /// Request headers are not allowed by the preflight's response.
    Header {
        /// Every such header name, lowercase, sorted (Chromium's message names one of them).
        names: Vec<String>,
        /// One of them is `authorization`, and only `*` was there to cover it, which the
        /// standard does not accept.
        authorization_wildcard: bool,
    },
}

/// A failed check: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The response that failed.
    pub stage: Stage,
    /// Why.
    pub blocked: Blocked,
    /// The status of the response that failed.
    pub status: u16,
}
