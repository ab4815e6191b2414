//! The rules of a WebSocket route (`websocket`): what its policy may say.

use super::{is_plain_http_origin, Item, PolicyInput, RuleError};

/// The rules of a route declared a WebSocket endpoint (`#[cors(.., websocket)]`), on top of
/// [`validate`](super::validate): all broken rules, each with its [`Item`].
///
/// What a browser's `new WebSocket(..)` does decides them: it sends a `GET` with the page's
/// `Origin` and the user's cookies, never a preflight, and shows the script no response header.
/// So the route serves `GET` alone; `"null"` is refused (any sandboxed iframe or local file
/// sends `Origin: null`, and would connect with the user's cookies); and every key that only
/// preflights or response headers read (`methods`, `headers`, `max_age`, `private_network`,
/// `expose`) or that cookies would need elsewhere (`credentials`) is an error that says why,
/// rather than a promise the route cannot keep.
///
/// ```
/// use cors_runtime::rules::{check_websocket, Item, PolicyInput};
///
/// let socket = PolicyInput {
///     origins: &["https://app.example.com"],
///     route_methods: &["GET"],
///     ..PolicyInput::default()
/// };
/// assert!(check_websocket(&socket).is_empty());
///
/// let errors = check_websocket(&PolicyInput { credentials: true, ..socket });
/// assert_eq!(errors[0].item, Some(Item::Key("credentials")));
/// ```
pub fn check_websocket(input: &PolicyInput<'_>) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let other: Vec<&str> = input
        .route_methods
        .iter()
        .copied()
        .filter(|m| *m != "GET")
        .collect();
    if !other.is_empty() {
        errors.push(RuleError::about(
            Item::Websocket,
            format!(
                "a WebSocket handshake is a `GET`, but this route also serves {}",
                other.join(", ")
            ),
            "serve the WebSocket on a route of its own with #[get], or remove `websocket`",
        ));
    }
    for (i, origin) in input.origins.iter().enumerate() {
        if *origin == "null" {
            errors.push(RuleError::about(
                Item::Origin(i),
                "`null` cannot open a WebSocket route: any sandboxed iframe or local file sends `Origin: null`, and browsers send the user's cookies with every handshake",
                "remove \"null\"",
            ));
        } else if !input.dangerously_trust_http_origins && is_plain_http_origin(origin) {
            // Cookies go with every handshake: the rule of plain-HTTP origins with
            // `credentials` applies to every WebSocket route.
            let secure = origin.replacen("http://", "https://", 1);
            errors.push(RuleError::about(
                Item::Origin(i),
                format!("`{origin}` is a plain-HTTP origin, and browsers send the user's cookies with every WebSocket handshake: anyone on the network path between a browser and that host (a shared Wi-Fi, a proxy) can run script in its pages and connect to this route as the user"),
                format!("serve that page over HTTPS and write \"{secure}\"; if every network path to it is trusted (an isolated intranet), say so with `dangerously_trust_http_origins`"),
            ));
        }
    }
    let no_preflight = "browsers send a handshake without a preflight";
    let mut means_nothing = |key: &'static str, why: &str, help: &str| {
        errors.push(RuleError::about(
            Item::Key(key),
            format!("`{key}` means nothing on a WebSocket route: {why}"),
            format!("remove `{key}`{help}"),
        ));
    };
    if input.methods.is_some() {
        means_nothing("methods", no_preflight, "");
    }
    if !input.headers.is_empty() {
        means_nothing(
            "headers",
            "browsers send a handshake without a preflight, and scripts cannot add headers to it",
            "; a script passes what the server needs in the URL or as a subprotocol (`new WebSocket(url, protocols)`)",
        );
    }
    if !input.expose.is_empty() {
        means_nothing(
            "expose",
            "scripts read no header of a handshake's answer",
            "",
        );
    }
    if input.credentials {
        means_nothing(
            "credentials",
            "browsers send the user's cookies with every handshake whatever it says, so `origins` alone decides which pages may connect as the user",
            "",
        );
    }
    if input.max_age.is_some() {
        means_nothing("max_age", "there is no preflight to cache", "");
    }
    if input.private_network {
        means_nothing("private_network", no_preflight, "");
    }
    errors
}
