//! The message Chromium prints in the DevTools console when it blocks a request, and what to
//! change on the server. The texts are Chromium 156's, checked against the browser.

use super::blocked::{Blocked, Failure, Stage};

const PREFLIGHT: &str = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE: &str = " Have the server send the header with a valid value.";

/// The part of Chromium's message after "has been blocked by CORS policy: ".
pub fn reason(failure: &Failure) -> String {
    let prefix = match failure.stage {
        Stage::Preflight => PREFLIGHT,
        Stage::Actual => "",
    };
    match &failure.blocked {
        Blocked::PreflightRedirect => {
            format!("{PREFLIGHT}Redirect is not allowed for a preflight request.")
        }
        Blocked::MissingAllowOrigin => format!(
            "{prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource."
        ),
        Blocked::WildcardWithCredentials => format!(
            "{prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
        ),
        Blocked::MultipleAllowOrigin(v) => format!(
            "{prefix}The 'Access-Control-Allow-Origin' header contains multiple values '{v}', but only one is allowed.{VALID_VALUE}"
        ),
        Blocked::InvalidAllowOrigin(v) => format!(
            "{prefix}The 'Access-Control-Allow-Origin' header contains the invalid value '{v}'.{VALID_VALUE}"
        ),
        Blocked::AllowOriginMismatch(v) => format!(
            "{prefix}The 'Access-Control-Allow-Origin' header has a value '{v}' that is not equal to the supplied origin.{VALID_VALUE}"
        ),
        Blocked::AllowCredentials(v) => format!(
            "{prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is '{v}' which must be 'true' when the request's credentials mode is 'include'."
        ),
        Blocked::PreflightStatus(_) => format!("{PREFLIGHT}It does not have HTTP ok status."),
        Blocked::AllowMethodsUnparsable => "Cannot parse Access-Control-Allow-Methods response header field in preflight response.".to_owned(),
        Blocked::AllowHeadersUnparsable => "Cannot parse Access-Control-Allow-Headers response header field in preflight response.".to_owned(),
        Blocked::Method(m) => {
            format!("Method {m} is not allowed by Access-Control-Allow-Methods in preflight response.")
        }
        Blocked::Header { names, .. } => format!(
            "Request header field {} is not allowed by Access-Control-Allow-Headers in preflight response.",
            names.first().map_or("", String::as_str)
        ),
    }
}

/// A remark on the console message, when it does not tell the whole story.
pub fn remark(failure: &Failure) -> Option<String> {
    match &failure.blocked {
        Blocked::Header { names, .. } if names.len() > 1 => Some(format!(
            "Chromium names one of the {} refused headers ({}), not necessarily the first.",
            names.len(),
            names.join(", ")
        )),
        Blocked::Header {
            authorization_wildcard: true,
            ..
        } => Some("By default Chromium 156 does not print this: it lets the request through and reports a deprecation in the DevTools Issues panel. This is its message once it follows the standard.".to_owned()),
        _ => None,
    }
}

/// The whole console line.
pub fn message(url: &str, origin: &str, failure: &Failure) -> String {
    format!(
        "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {}",
        reason(failure)
    )
}

/// What to change on the server, in a sentence or two.
pub fn fix(failure: &Failure, origin: &str, method: &str) -> String {
    let which = match failure.stage {
        Stage::Preflight => "the preflight (OPTIONS) response",
        Stage::Actual => "the response",
    };
    match &failure.blocked {
        Blocked::PreflightRedirect => "Answer the OPTIONS preflight at this URL itself (often: the URL lacks or has an extra trailing slash, or http redirects to https); request the final URL directly.".to_owned(),
        Blocked::MissingAllowOrigin => match (failure.stage, failure.status) {
            (Stage::Preflight, 403) => "The server refused the preflight: the origin, the method or a header is not allowed. The 403 body above and the server log (target `actix_route_cors`) say which; with actix-route-cors, widen `origins`, `methods` or `headers` of the route's #[cors].".to_owned(),
            (Stage::Preflight, 404 | 405) => format!("Nothing answers this preflight: no route serves {method} on this path ({}). With actix-route-cors the preflight goes to the #[cors] route that serves {method} here: check the URL and the method, or add the route. If the route exists inside a scope with a guard, add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`, so that #[cors] routes answer preflights before scope guards.", failure.status),
            (Stage::Preflight, 401 | 407 | 429) => format!("The preflight met a layer that runs before CORS ({}: authentication or rate limiting); browsers never send credentials with a preflight. With actix-route-cors, add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`: #[cors] routes then answer their preflights before App- and scope-level middleware, and that layer's own answers to actual requests become readable by allowed origins.", failure.status),
            (Stage::Preflight, _) => format!("The preflight's answer carries no CORS headers: nothing on the server handles preflights for this path. With actix-route-cors, put #[cors] on the route that serves {method} here, allowing `{origin}`."),
            (Stage::Actual, _) => format!("Allow the origin `{origin}` on this route (with actix-route-cors: add it to `origins` of the route's #[cors]); the server log (target `actix_route_cors`) says why the origin was refused. If the route has no CORS set up at all, that is the fix."),
        },
        Blocked::WildcardWithCredentials => format!("With credentials, {which} must name the origin (`{origin}`), not `*` — or the page must not send credentials."),
        Blocked::MultipleAllowOrigin(_) => "Send one Access-Control-Allow-Origin field with one origin in it: two layers (a proxy and the app, or two middlewares) are both adding it, or a list was sent where one matched origin belongs.".to_owned(),
        Blocked::InvalidAllowOrigin(_) => format!("Send the origin as the browser sent it (`{origin}`), or `*`."),
        Blocked::AllowOriginMismatch(_) => format!("Send back the request's own Origin (`{origin}`) when it is allowed, byte for byte, instead of a fixed or different origin."),
        Blocked::AllowCredentials(_) => format!("Add `Access-Control-Allow-Credentials: true` to {which} (with actix-route-cors: the `credentials` flag) — or the page must not send credentials."),
        Blocked::PreflightStatus(status) => format!("Answer the preflight with 200 or 204: the {status} comes from something that handled OPTIONS as an ordinary request (a missing preflight route, an authentication layer that runs before CORS, or a method guard). With actix-route-cors behind such a layer, add `.wrap(actix_route_cors::CorsFirst::new())` as the App's last `wrap`."),
        Blocked::AllowMethodsUnparsable => "Send Access-Control-Allow-Methods as a comma-separated list of method names.".to_owned(),
        Blocked::AllowHeadersUnparsable => "Send Access-Control-Allow-Headers as a comma-separated list of header names.".to_owned(),
        Blocked::Method(m) => format!("List {m} in Access-Control-Allow-Methods (with actix-route-cors: `methods` of the route's #[cors], which defaults to the route's own methods)."),
        Blocked::Header { names, authorization_wildcard: true } => format!("List {} by name in Access-Control-Allow-Headers: `*` does not cover `authorization` (with actix-route-cors: `headers = [\"*\", \"authorization\"]`).", names.join(", ")),
        Blocked::Header { names, .. } => format!("List {} in Access-Control-Allow-Headers (with actix-route-cors: `headers` of the route's #[cors]).", names.join(", ")),
    }
}
