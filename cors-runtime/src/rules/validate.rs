//! The whole-policy rules: every list checked item by item, then the combinations.

use crate::report_only::ReportOnly;

use super::{
    check_exposed_header, check_method, check_origin, check_request_header, is_plain_http_origin,
    Item, OriginSpec, RuleError,
};

/// The longest `max_age` accepted, in seconds: 24 hours, Firefox's cap (Chromium caps at 2 hours).
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// A policy as written, before validation.
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyInput<'a> {
    /// The `origins` list.
    pub origins: &'a [&'a str],
    /// The origins come from an [`OriginSource`](crate::OriginSource) instead (checked by
    /// [`super::check_configured_origins`] when it is filled): `origins` is then empty.
    pub origin_source: bool,
    /// The explicit `methods` list, if any.
    pub methods: Option<&'a [&'a str]>,
    /// The methods the route serves: the default for `methods`, and the limit of an explicit list.
    pub route_methods: &'a [&'a str],
    /// The `headers` list.
    pub headers: &'a [&'a str],
    /// The `expose` list.
    pub expose: &'a [&'a str],
    /// The `credentials` flag.
    pub credentials: bool,
    /// `max_age` in seconds.
    pub max_age: Option<u64>,
    /// The `private_network` flag.
    pub private_network: bool,
    /// The `writes_from_any_origin` flag: writes from origins the policy does not allow reach
    /// the handler.
    pub writes_from_any_origin: bool,
    /// The `dangerously_trust_http_origins` flag: plain-`http://` origins other than loopback
    /// may be allowed together with `credentials`.
    pub dangerously_trust_http_origins: bool,
    /// The `report_only` key: what is only reported instead of enforced.
    pub report_only: ReportOnly,
    /// The route is declared a WebSocket endpoint (`websocket`). Browsers send the user's
    /// cookies with every handshake, so plain-`http://` origins are held to the rule of
    /// `credentials` (in the policy's own list by [`check_websocket`](super::check_websocket),
    /// in an [`OriginSource`](crate::OriginSource)'s when it is filled), and
    /// `dangerously_trust_http_origins` means something there without `credentials`.
    pub websocket: bool,
}

/// A list of header names that may also be `*`, normalised to lowercase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WildcardList {
    /// `*` was listed.
    pub any: bool,
    /// The names listed besides `*`, lowercase, in the order written.
    pub names: Vec<String>,
}

impl WildcardList {
    /// The header value that announces this list: `None` when it is empty.
    pub fn header_value(&self) -> Option<String> {
        let star = self.any.then_some("*");
        let all: Vec<&str> = star
            .into_iter()
            .chain(self.names.iter().map(String::as_str))
            .collect();
        (!all.is_empty()).then(|| all.join(", "))
    }
}

/// A policy that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPolicy {
    /// The allowed origins; `[OriginSpec::Any]` alone when `*` was written.
    pub origins: Vec<OriginSpec>,
    /// The methods a preflight may ask for.
    pub methods: Vec<String>,
    /// The request headers a preflight may ask for.
    pub headers: WildcardList,
    /// The response headers scripts may read.
    pub expose: WildcardList,
    /// Cookies and HTTP authentication are allowed.
    pub credentials: bool,
    /// Preflight cache lifetime in seconds.
    pub max_age: Option<u64>,
    /// Private-network preflights are answered.
    pub private_network: bool,
    /// The `writes_from_any_origin` flag.
    pub writes_from_any_origin: bool,
    /// The `dangerously_trust_http_origins` flag.
    pub dangerously_trust_http_origins: bool,
    /// The `report_only` key.
    pub report_only: ReportOnly,
    /// The `websocket` flag.
    pub websocket: bool,
}

impl ValidPolicy {
    /// The `Access-Control-Allow-Methods` value of an allowed preflight.
    pub fn allow_methods_value(&self) -> String {
        self.methods.join(", ")
    }

    /// Whether cross-origin writes from origins this policy does not allow are refused: unless
    /// it has `writes_from_any_origin` or allows every origin.
    pub fn protects_writes(&self) -> bool {
        !self.writes_from_any_origin && !self.origins.contains(&OriginSpec::Any)
    }

    /// Whether plain-`http://` origins other than loopback are refused: where the user's
    /// cookies go with the requests (with `credentials`, or on a `websocket` route, whose
    /// handshakes always carry them), unless `dangerously_trust_http_origins` says otherwise.
    /// An [`OriginSource`](crate::OriginSource) read by such a route refuses them too.
    pub fn refuses_http_origins(&self) -> bool {
        (self.credentials || self.websocket) && !self.dangerously_trust_http_origins
    }
}

/// Applies every rule to `input`; all broken rules are reported, not only the first.
pub fn validate(input: &PolicyInput<'_>) -> Result<ValidPolicy, Vec<RuleError>> {
    let mut errors = Vec::new();
    let origins = check_origins(input, &mut errors);
    let methods = check_methods(input, &mut errors);
    let headers = check_header_list(
        input.headers,
        input.credentials,
        Item::Header,
        check_request_header,
        "headers",
        &mut errors,
    );
    let expose = check_header_list(
        input.expose,
        input.credentials,
        Item::Expose,
        check_exposed_header,
        "expose",
        &mut errors,
    );
    if let Some(age) = input.max_age {
        if age > MAX_AGE_LIMIT {
            errors.push(RuleError::about(
                Item::MaxAge,
                format!("`max_age` of {age} seconds is above the limit of {MAX_AGE_LIMIT} (24 hours); browsers cap it anyway (Chromium at 7200, Firefox at 86400)"),
                format!("write a value from 0 to {MAX_AGE_LIMIT}"),
            ));
        }
    }
    if input.writes_from_any_origin {
        check_writes_flag(input, &mut errors);
    }
    if input.report_only == ReportOnly::Writes && input.origins.contains(&"*") {
        errors.push(RuleError::about(
            Item::ReportOnly,
            "`report_only = writes` changes nothing next to `origins = [\"*\"]`: every origin is allowed, so no write or WebSocket handshake is ever refused",
            "remove `report_only = writes`, or write `report_only` to report the whole policy",
        ));
    }
    if input.credentials && !input.dangerously_trust_http_origins {
        check_http_origins(input, &mut errors);
    } else if input.dangerously_trust_http_origins {
        check_trust_flag(input, &origins, &mut errors);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidPolicy {
        origins,
        methods,
        headers,
        expose,
        credentials: input.credentials,
        max_age: input.max_age,
        private_network: input.private_network,
        writes_from_any_origin: input.writes_from_any_origin,
        dangerously_trust_http_origins: input.dangerously_trust_http_origins,
        report_only: input.report_only,
        websocket: input.websocket,
    })
}

/// With `credentials`, a plain-`http://` origin off loopback is refused: anyone on the network
/// path to that host (a shared Wi-Fi, a proxy, an ISP) can put script in its pages, and that
/// script would read this route's credentialed responses. Loopback origins (local development)
/// stay allowed.
fn check_http_origins(input: &PolicyInput<'_>, errors: &mut Vec<RuleError>) {
    for (i, origin) in input.origins.iter().enumerate() {
        if !is_plain_http_origin(origin) {
            continue;
        }
        errors.push(plain_http_error(origin, "the route allows `credentials`").at(Item::Origin(i)));
    }
}

/// Why `origin` is refused where the user's cookies go with the requests (`cookies` says where
/// they do), and the fix: for the attribute and for an [`OriginSource`](crate::OriginSource)
/// read by a credentialed or WebSocket route.
pub(crate) fn plain_http_error(origin: &str, cookies: &str) -> RuleError {
    let secure = origin.replacen("http://", "https://", 1);
    RuleError::new(
        format!("`{origin}` is a plain-HTTP origin, and {cookies}: anyone on the network path between a browser and that host (a shared Wi-Fi, a proxy) can run script in its pages and read the route's responses with the user's cookies"),
        format!("serve that page over HTTPS and write \"{secure}\"; if every network path to it is trusted (an isolated intranet), say so with `dangerously_trust_http_origins` in the route's policy"),
    )
}

/// `dangerously_trust_http_origins` where it would change nothing: without `credentials` (on a
/// route that is no WebSocket endpoint), or
/// without a plain-HTTP origin off loopback (an `OriginSource`'s list is known at run time).
fn check_trust_flag(input: &PolicyInput<'_>, origins: &[OriginSpec], errors: &mut Vec<RuleError>) {
    let help = "remove `dangerously_trust_http_origins`";
    if !input.credentials && !input.websocket {
        errors.push(RuleError::about(
            Item::DangerouslyTrustHttpOrigins,
            "`dangerously_trust_http_origins` changes nothing without `credentials`: plain-HTTP origins are refused only where the user's cookies go with the requests (with `credentials`, or on a `websocket` route)",
            help,
        ));
    } else if !input.origin_source && !origins.iter().any(OriginSpec::is_plain_http_off_loopback) {
        errors.push(RuleError::about(
            Item::DangerouslyTrustHttpOrigins,
            "`dangerously_trust_http_origins` changes nothing here: no origin in `origins` is a plain-HTTP origin other than loopback",
            help,
        ));
    }
}

/// `writes_from_any_origin` where it would change nothing: next to `*`, which already lets every
/// origin write, and on a route that serves only safe methods, which are never refused.
fn check_writes_flag(input: &PolicyInput<'_>, errors: &mut Vec<RuleError>) {
    if input.origins.contains(&"*") {
        errors.push(RuleError::about(
            Item::WritesFromAnyOrigin,
            "`writes_from_any_origin` changes nothing next to `origins = [\"*\"]`: every origin is allowed, so no write is refused",
            "remove `writes_from_any_origin`",
        ));
    } else if !input.route_methods.is_empty()
        && input
            .route_methods
            .iter()
            .all(|m| crate::grammar::is_safe_method(m.as_bytes()))
    {
        errors.push(RuleError::about(
            Item::WritesFromAnyOrigin,
            format!(
                "`writes_from_any_origin` changes nothing on a route that serves only {}: only writes (methods other than GET, HEAD and OPTIONS) from origins the policy does not allow are refused",
                input.route_methods.join(", ")
            ),
            "remove `writes_from_any_origin`",
        ));
    }
}

pub(super) fn check_origins(
    input: &PolicyInput<'_>,
    errors: &mut Vec<RuleError>,
) -> Vec<OriginSpec> {
    if input.origins.is_empty() && !input.origin_source {
        errors.push(RuleError::about(
            Item::Origins,
            "`origins` is empty, so no cross-origin request could ever be allowed",
            "list at least one origin, such as [\"https://app.example.com\"]",
        ));
    }
    let mut specs = Vec::new();
    let star = input.origins.iter().position(|o| *o == "*");
    // Linear in the number of origins: a configured list may have 100,000.
    let mut seen = std::collections::HashSet::with_capacity(input.origins.len());
    for (i, origin) in input.origins.iter().enumerate() {
        if !seen.insert(*origin) {
            errors.push(duplicate(Item::Origin(i), origin, "origins"));
            continue;
        }
        match check_origin(origin) {
            Ok(OriginSpec::Any) if input.credentials => errors.push(RuleError::about(
                Item::Origin(i),
                "`*` cannot be combined with `credentials`: browsers reject a wildcard `Access-Control-Allow-Origin` on credentialed requests",
                "list the exact origins that may send cookies, or remove `credentials`",
            )),
            Ok(OriginSpec::Null) if input.credentials => errors.push(RuleError::about(
                Item::Origin(i),
                "`null` cannot be combined with `credentials`: any sandboxed iframe or local file sends `Origin: null`, so this would let every one of them read credentialed responses",
                "remove \"null\", or remove `credentials`",
            )),
            Ok(spec) if star.is_some_and(|s| s != i) => {
                let _ = spec;
                errors.push(RuleError::about(
                    Item::Origin(i),
                    format!("`{origin}` is redundant next to `*`, which already allows every origin"),
                    "keep either [\"*\"] or the list of origins",
                ));
            }
            Ok(spec) => specs.push(spec),
            Err(violation) => errors.push(violation.at(Item::Origin(i))),
        }
    }
    specs
}

fn check_methods(input: &PolicyInput<'_>, errors: &mut Vec<RuleError>) -> Vec<String> {
    let Some(methods) = input.methods else {
        return input
            .route_methods
            .iter()
            .map(|m| (*m).to_owned())
            .collect();
    };
    if methods.is_empty() {
        errors.push(RuleError::about(
            Item::Method(0),
            "`methods` is empty, so every preflight would be refused",
            "list the methods scripts may use, or remove `methods` to allow the route's own methods",
        ));
    }
    for (i, method) in methods.iter().enumerate() {
        if methods[..i].contains(method) {
            errors.push(duplicate(Item::Method(i), method, "methods"));
        } else if let Err(violation) = check_method(method) {
            errors.push(violation.at(Item::Method(i)));
        } else if !input.route_methods.contains(method) {
            errors.push(RuleError::about(
                Item::Method(i),
                format!("the route does not serve `{method}`: it serves {}", input.route_methods.join(", ")),
                format!("remove `{method}`, or add it to the route attribute (for example with #[routes] or #[route(.., method = \"{method}\")])"),
            ));
        }
    }
    methods.iter().map(|m| (*m).to_owned()).collect()
}

fn check_header_list(
    names: &[&str],
    credentials: bool,
    item: fn(usize) -> Item,
    check: fn(&str) -> Result<(), RuleError>,
    key: &str,
    errors: &mut Vec<RuleError>,
) -> WildcardList {
    let mut list = WildcardList::default();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = names[..i].iter().find(|n| n.eq_ignore_ascii_case(name)) {
            let mut error = duplicate(item(i), name, key);
            if first != name {
                error.message = format!(
                    "`{name}` is listed twice in `{key}`: header names are case-insensitive, so it is the same header as `{first}`"
                );
            }
            errors.push(error);
        } else if *name == "*" {
            if credentials {
                errors.push(RuleError::about(
                    item(i),
                    format!("`*` in `{key}` cannot be combined with `credentials`: on credentialed requests browsers read it as a header literally named `*`"),
                    format!("list the header names in `{key}`, or remove `credentials`"),
                ));
            }
            list.any = true;
        } else if let Err(violation) = check(name) {
            errors.push(violation.at(item(i)));
        } else {
            list.names.push(name.to_ascii_lowercase());
        }
    }
    list
}

fn duplicate(item: Item, value: &str, key: &str) -> RuleError {
    RuleError::about(
        item,
        format!("`{value}` is listed twice in `{key}`"),
        "remove the second one",
    )
}
