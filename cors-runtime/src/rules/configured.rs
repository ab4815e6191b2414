//! Rules for origins that come from configuration — an environment variable, or a value the
//! application computes at start-up — instead of from the source code.
//!
//! Each entry goes through the same [`check_origin`](super::check_origin) and duplicate rules
//! as an `origins` list written in `#[cors]`. Two entries are refused on top of that: `*` and
//! `null` change what a policy *means* (a public resource; every sandboxed document), and they
//! are forbidden next to `credentials`, which a configured list cannot know about — it may be
//! used by credentialed and public routes alike. Write them in the source code instead, where
//! the compiler checks them against the route's other keys.

use super::validate::check_origins;
use super::{Item, OriginSpec, PolicyInput, RuleError};

/// Splits a configured value into its entries: origins are separated by commas and/or
/// whitespace, and empty entries (a trailing comma, a double space) are skipped.
///
/// ```
/// use cors_runtime::rules::split_origins;
///
/// assert_eq!(
///     split_origins("https://a.example, https://*.b.example\nhttp://localhost:3000,"),
///     ["https://a.example", "https://*.b.example", "http://localhost:3000"],
/// );
/// ```
pub fn split_origins(value: &str) -> Vec<&str> {
    value
        .split(|c: char| c == ',' || c.is_ascii_whitespace())
        .filter(|entry| !entry.is_empty())
        .collect()
}

/// Checks a list of origins that comes from configuration; each error's [`Item::Origin`]
/// indexes `origins`.
///
/// ```
/// use cors_runtime::rules::{check_configured_origins, OriginSpec};
///
/// let ok = check_configured_origins(&["https://app.example.com", "https://*.example.org"]);
/// assert_eq!(ok.unwrap()[0], OriginSpec::Exact("https://app.example.com".into()));
///
/// let errors = check_configured_origins(&["https://app.example.com/", "*"]).unwrap_err();
/// assert_eq!(errors.len(), 2); // a path, and `*` from configuration
/// ```
pub fn check_configured_origins(origins: &[&str]) -> Result<Vec<OriginSpec>, Vec<RuleError>> {
    let mut errors = Vec::new();
    if origins.is_empty() {
        errors.push(RuleError::about(
            Item::Origins,
            "no origin is configured, so no cross-origin request could ever be allowed",
            "set at least one origin, such as https://app.example.com (several are separated by commas)",
        ));
    }
    // `*` and `null` are reported here; the other entries go through the rules of a written
    // `origins` list, their indexes mapped back to `origins`.
    let mut kept = Vec::new();
    let mut index = Vec::new();
    for (i, origin) in origins.iter().enumerate() {
        match *origin {
            "*" => errors.push(RuleError::about(
                Item::Origin(i),
                "`*` cannot come from configuration: allowing every origin is a decision about what the route is (a public resource), and it cannot be combined with `credentials`",
                "write `origins = [\"*\"]` in the source code for a public route, or configure the exact origins",
            )),
            "null" => errors.push(RuleError::about(
                Item::Origin(i),
                "`null` cannot come from configuration: every sandboxed iframe and local file sends `Origin: null`, and it cannot be combined with `credentials`",
                "write \"null\" in the source code's `origins` if the route really serves opaque origins, or remove it",
            )),
            _ => {
                kept.push(*origin);
                index.push(i);
            }
        }
    }
    let mut rules = Vec::new();
    let specs = check_origins(
        &PolicyInput {
            origins: &kept,
            ..PolicyInput::default()
        },
        &mut rules,
    );
    for mut rule in rules {
        match rule.item {
            // An empty `kept` was reported above, or is made of refused `*`/`null` entries.
            Some(Item::Origins) => continue,
            Some(Item::Origin(i)) => rule.item = Some(Item::Origin(index[i])),
            _ => {}
        }
        errors.push(rule);
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        errors.sort_by_key(|e| match e.item {
            Some(Item::Origin(i)) => i,
            _ => 0,
        });
        Err(errors)
    }
}
