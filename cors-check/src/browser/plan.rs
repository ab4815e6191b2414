//! What the browser decides before it sends anything: the method and headers `fetch()` would
//! really send, and whether the Fetch standard asks for a CORS preflight first: the Fetch
//! standard's [`rules`](super::rules) applied to the command line, down to the CORS-unsafe
//! request-header names that a preflight lists in `Access-Control-Request-Headers`.

use super::rules::{
    is_forbidden_header, is_forbidden_method, normalize_method, safelisted, trim,
    SAFELISTED_METHODS,
};
use crate::cli::Args;
use cors_runtime::grammar::is_token;
use cors_runtime::text::Quoted;

/// The request, as a browser would send it.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The method, normalized as `fetch()` does.
    pub method: String,
    /// The headers the script sets, in order, one entry per name (repeated names combined with
    /// `, ` as the `Headers` object does), values as bytes.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body (`--data`).
    pub body: Option<Vec<u8>>,
    /// `credentials: 'include'`.
    pub credentials: bool,
    /// The CORS-unsafe request-header names: lowercase, sorted, without duplicates.
    pub unsafe_names: Vec<String>,
    /// What the browser decided and why, one sentence each, for the report.
    pub reasons: Vec<String>,
    /// What the browser changes or leaves out of what was asked for (warnings).
    pub notes: Vec<String>,
}

impl Plan {
    /// Whether the method is CORS-safelisted.
    pub fn method_is_safelisted(&self) -> bool {
        SAFELISTED_METHODS.contains(&self.method.as_str())
    }

    /// Whether the browser sends a CORS preflight first.
    pub fn needs_preflight(&self) -> bool {
        !self.method_is_safelisted() || !self.unsafe_names.is_empty()
    }

    /// The preflight's `Access-Control-Request-Headers` value, as Chromium writes it: the
    /// CORS-unsafe names joined by `,` without spaces; `None` when there are none.
    pub fn request_headers_value(&self) -> Option<String> {
        (!self.unsafe_names.is_empty()).then(|| self.unsafe_names.join(","))
    }
}

/// Applies the browser's rules to the command line. `Err` is what `fetch()` would throw (a
/// usage error here).
pub fn plan(args: &Args) -> Result<Plan, String> {
    let mut reasons = Vec::new();
    let mut notes = Vec::new();

    if !is_token(&args.method) {
        return Err(format!(
            "`{}` is not a method: fetch() throws a TypeError",
            args.method
        ));
    }
    if is_forbidden_method(&args.method) {
        return Err(format!(
            "fetch() refuses the method {} (a forbidden method): it throws a TypeError",
            args.method
        ));
    }
    let method = normalize_method(&args.method);
    if method != args.method {
        notes.push(format!(
            "fetch() sends the method `{}` as `{method}`",
            args.method
        ));
    } else if method != method.to_ascii_uppercase() {
        let upper = method.to_ascii_uppercase();
        notes.push(format!(
            "fetch() sends `{method}` as written (it uppercases only DELETE, GET, HEAD, OPTIONS, POST and PUT): a server that expects `{upper}` will not match it"
        ));
    }
    if SAFELISTED_METHODS.contains(&method.as_str()) {
        reasons.push(format!("method {method} is CORS-safelisted"));
    } else {
        reasons.push(format!(
            "method {method} is not CORS-safelisted (only GET, HEAD and POST are)"
        ));
    }

    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, value) in &args.headers {
        let name = name.trim();
        if !is_token(name) {
            return Err(format!(
                "`{name}` is not a header name: fetch() throws a TypeError"
            ));
        }
        let mut bytes = Vec::new();
        for c in value.as_deref().unwrap_or_default().chars() {
            // Header values are ByteStrings: code points above U+00FF make fetch() throw.
            match u8::try_from(u32::from(c)) {
                Ok(b) => bytes.push(b),
                Err(_) => {
                    return Err(format!(
                        "the value of `{name}` contains `{c}` (U+{:04X}), above U+00FF: fetch() throws a TypeError",
                        u32::from(c)
                    ))
                }
            }
        }
        let value = trim(&bytes).to_vec();
        if value.iter().any(|&b| matches!(b, 0 | b'\n' | b'\r')) {
            return Err(format!(
                "the value of `{name}` contains a NUL, CR or LF: fetch() throws a TypeError"
            ));
        }
        let lower = name.to_ascii_lowercase();
        if is_forbidden_header(&lower, &value) {
            notes.push(format!(
                "a script cannot set `{name}` (a forbidden request header): the browser leaves it out, and so does cors-check"
            ));
            continue;
        }
        match headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some((_, combined)) => {
                combined.extend_from_slice(b", ");
                combined.extend_from_slice(&value);
            }
            None => headers.push((name.to_owned(), value)),
        }
    }

    if args.data.is_some() {
        if matches!(method.as_str(), "GET" | "HEAD") {
            return Err(format!(
                "fetch() refuses a body with {method}: it throws a TypeError"
            ));
        }
        if !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        {
            notes.push(
                "fetch() adds `Content-Type: text/plain;charset=UTF-8` for a string body"
                    .to_owned(),
            );
            headers.push((
                "Content-Type".to_owned(),
                b"text/plain;charset=UTF-8".to_vec(),
            ));
        }
    }

    // (The standard's 1024-byte limit on all safelisted values together cannot be reached:
    // repeated names are combined into one value, which is then over 128 bytes by itself.)
    let mut unsafe_names = Vec::new();
    for (name, value) in &headers {
        let lower = name.to_ascii_lowercase();
        match safelisted(&lower, value) {
            Ok(()) => reasons.push(format!(
                "header `{lower}: {}` is CORS-safelisted",
                Quoted::all(value)
            )),
            Err(why) => {
                reasons.push(format!("header `{lower}` is not CORS-safelisted: {why}"));
                unsafe_names.push(lower);
            }
        }
    }
    unsafe_names.sort();
    unsafe_names.dedup();

    Ok(Plan {
        method,
        headers,
        body: args.data.as_ref().map(|d| d.clone().into_bytes()),
        credentials: args.credentials,
        unsafe_names,
        reasons,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(method: &str, headers: &[&str]) -> Plan {
        plan(&Args {
            url: "http://127.0.0.1/".into(),
            origin: "https://a.example".into(),
            method: method.into(),
            headers: headers
                .iter()
                .map(|h| match h.split_once(':') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (h.to_string(), None),
                })
                .collect(),
            data: None,
            credentials: false,
            engine: Default::default(),
            cacert: None,
            insecure: false,
        })
        .unwrap()
    }

    #[test]
    fn methods() {
        assert!(!plan_of("GET", &[]).needs_preflight());
        assert!(!plan_of("post", &[]).needs_preflight());
        assert_eq!(plan_of("post", &[]).method, "POST");
        assert_eq!(plan_of("patch", &[]).method, "patch");
        assert!(plan_of("PUT", &[]).needs_preflight());
        assert!(plan_of("get", &[]).notes[0].contains("as `GET`"));
        assert!(plan(&Args {
            method: "trace".into(),
            ..Args {
                url: String::new(),
                origin: String::new(),
                method: String::new(),
                headers: vec![],
                data: None,
                credentials: false,
                engine: Default::default(),
                cacert: None,
                insecure: false,
            }
        })
        .is_err());
    }

    #[test]
    fn content_type_values() {
        for safe in [
            "text/plain",
            "text/plain;charset=utf-8",
            "Text/Plain ; charset=UTF-8",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
        ] {
            let p = plan_of("POST", &[&format!("content-type:{safe}")]);
            assert!(!p.needs_preflight(), "{safe}");
        }
        for unsafe_ in [
            "application/json",
            "text/plain; charset=\"utf-8\"",
            "text",
            "text/plain(x)",
        ] {
            let p = plan_of("POST", &[&format!("content-type:{unsafe_}")]);
            assert_eq!(p.unsafe_names, ["content-type"], "{unsafe_}");
        }
    }

    #[test]
    fn other_values() {
        assert!(!plan_of("GET", &["accept:application/json"]).needs_preflight());
        assert!(plan_of("GET", &["accept:a(b"]).needs_preflight());
        assert!(!plan_of("GET", &["accept-language:en-US,en;q=0.9"]).needs_preflight());
        assert!(plan_of("GET", &["content-language:en_US"]).needs_preflight());
        assert!(!plan_of("GET", &["range:bytes=0-5"]).needs_preflight());
        assert!(!plan_of("GET", &["range:bytes=5-"]).needs_preflight());
        assert!(plan_of("GET", &["range:bytes=-5"]).needs_preflight());
        assert!(plan_of("GET", &["range:bytes=6-5"]).needs_preflight());
        assert!(plan_of("GET", &["range:bytes=0-1,3-4"]).needs_preflight());
        let long = format!("accept:{}", "a".repeat(129));
        assert!(plan_of("GET", &[&long]).needs_preflight());
        let near = format!("accept:{}", "a".repeat(128));
        assert!(!plan_of("GET", &[&near]).needs_preflight());
        // Repeated names are combined, and the combined value is what is checked.
        assert_eq!(
            plan_of("GET", &["accept:a", "Accept:b"]).headers[0].1,
            b"a, b"
        );
        assert!(plan_of("GET", &[&near, "accept:b"]).needs_preflight());
    }

    #[test]
    fn unsafe_names_are_sorted_lowercase_and_unique() {
        let p = plan_of(
            "POST",
            &[
                "X-b:1",
                "x-a:2",
                "X-A:3",
                "content-type:application/json",
                "accept:*/*",
            ],
        );
        assert_eq!(
            p.request_headers_value().as_deref(),
            Some("content-type,x-a,x-b")
        );
        assert_eq!(p.headers[1], ("x-a".to_owned(), b"2, 3".to_vec()));
    }

    #[test]
    fn forbidden_headers_are_dropped() {
        let p = plan_of(
            "GET",
            &[
                "cookie:a=b",
                "Sec-Fetch-Site:none",
                "Proxy-X:1",
                "x-http-method-override:TRACE",
            ],
        );
        assert!(p.headers.is_empty());
        assert_eq!(p.notes.len(), 4);
        assert!(!p.needs_preflight());
        let p = plan_of("GET", &["x-http-method-override:PUT"]);
        assert_eq!(p.unsafe_names, ["x-http-method-override"]);
    }

    #[test]
    fn value_without_colon_is_empty() {
        let p = plan_of("GET", &["x-empty"]);
        assert_eq!(p.headers, [("x-empty".to_owned(), Vec::new())]);
        assert_eq!(p.request_headers_value().as_deref(), Some("x-empty"));
    }
}
