//! Rules for the `methods` list.

use super::RuleError;
use crate::grammar::is_token;

/// Methods whose lowercase (or mixed-case) spelling is almost certainly a typo. Method names are
/// case-sensitive (RFC 9110 §9.1): `get` is a different method from `GET`, and a browser
/// normalises only some of these spellings before it asks.
const STANDARD: [&str; 9] = [
    "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
];

/// Checks one method of the `methods` list: an HTTP token, the canonical spelling of a
/// standard method, not `OPTIONS`.
pub fn check_method(method: &str) -> Result<(), RuleError> {
    if method.is_empty() {
        return Err(RuleError::new(
            "empty method name",
            "remove the empty string",
        ));
    }
    if !is_token(method) {
        return Err(RuleError::new(
            format!("`{method}` is not an HTTP method: a method is a token (letters, digits and !#$%&'*+-.^_`|~)"),
            "write the method as it appears on the request line, for example `PUT`",
        ));
    }
    if let Some(std) = STANDARD
        .iter()
        .find(|s| s.eq_ignore_ascii_case(method) && **s != method)
    {
        return Err(RuleError::new(
            format!("method names are case-sensitive: `{method}` is not `{std}`"),
            format!("write `{std}`"),
        ));
    }
    if method == "OPTIONS" {
        return Err(RuleError::new(
            "`OPTIONS` does not belong in `methods`: preflight requests are answered for you",
            "remove `OPTIONS`; list only the methods that scripts call the route with",
        ));
    }
    Ok(())
}
