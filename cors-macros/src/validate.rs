//! Applying the policy rules (`cors_runtime::rules`, shared with policies built at run time) to
//! the parsed attribute, and pointing each broken rule at its token.

use cors_runtime::rules::{check_websocket, validate, Item, PolicyInput, ValidPolicy};
use cors_runtime::ReportOnly;
use proc_macro2::Span;

use crate::args::{CorsArgs, List, Origins};
use crate::errors::{error, Errors};
use crate::keys::Site;

fn strs(list: Option<&List>) -> Vec<&str> {
    list.iter()
        .flat_map(|l| &l.items)
        .map(|i| i.value.as_str())
        .collect()
}

fn item_span(list: Option<&List>, index: usize) -> Option<Span> {
    let list = list?;
    Some(list.items.get(index).map_or(list.span, |i| i.span))
}

/// Validates the policy; `None` when a rule is broken (the errors are in `errors`). `named`:
/// `args` are a named policy's merged with the handler's.
pub(crate) fn policy(
    site: Site,
    args: &CorsArgs,
    route_methods: &[String],
    named: bool,
    errors: &mut Errors,
) -> Option<ValidPolicy> {
    let Some(written) = &args.origins else {
        if args.policy_written {
            // `policy = ..` could not be read (reported): the origins were meant to come
            // from it.
            return None;
        }
        errors.push(error(
            Span::call_site(),
            format!("{} needs `origins`: the origins whose scripts may read the responses", site.name()),
            "write `origins = [\"https://app.example.com\"]` (or `origins = [\"*\"]` for a public resource, or `origins = NAME` naming an `OriginSource`, an `OriginLookup` or a function that decides at run time)",
        ));
        return None;
    };
    let origins = strs(args.origin_list());
    let methods = args.methods.as_ref().map(|_| strs(args.methods.as_ref()));
    let route: Vec<&str> = route_methods.iter().map(String::as_str).collect();
    let headers = strs(args.headers.as_ref());
    let expose = strs(args.expose.as_ref());
    let input = PolicyInput {
        origins: &origins,
        origin_source: matches!(written, Origins::Source(_)),
        methods: methods.as_deref(),
        route_methods: &route,
        headers: &headers,
        expose: &expose,
        credentials: args.credentials.is_some(),
        max_age: args.max_age.map(|(age, _)| age),
        private_network: args.private_network.is_some(),
        // From a named policy, the flag is the policy's, shared by routes that write and routes
        // that only read: on the latter it changes nothing (safe methods are never refused),
        // and is no mistake of theirs. Written on a handler that only reads, it is one.
        writes_from_any_origin: args.writes_from_any_origin.is_some()
            && !(named
                && route_methods
                    .iter()
                    .all(|m| cors_runtime::is_safe_method(m.as_bytes()))),
        dangerously_trust_http_origins: args.dangerously_trust_http_origins.is_some(),
        report_only: args
            .report_only
            .map_or(ReportOnly::Nothing, |(mode, _)| mode),
        websocket: args.websocket.is_some(),
    };
    let socket = args.websocket.map_or_else(Vec::new, |_| {
        check_websocket(&websocket_input(args, &input, named))
    });
    match (validate(&input), socket.is_empty()) {
        (Ok(policy), true) => Some(policy),
        (result, _) => {
            let broken = result.err().into_iter().flatten().chain(socket);
            // A list whose entries could not all be read was reported already: saying that
            // it is empty as well would only repeat that error.
            let unreadable =
                |list: Option<&List>| list.is_some_and(|l| l.incomplete && l.items.is_empty());
            for rule in broken {
                let repeated = match rule.item {
                    Some(Item::Origins) => unreadable(args.origin_list()),
                    Some(Item::Method(_)) => unreadable(args.methods.as_ref()),
                    _ => false,
                };
                if repeated {
                    continue;
                }
                let span = match rule.item {
                    Some(Item::Origins) => args.origin_list().map(|l| l.span),
                    Some(Item::Origin(i)) => item_span(args.origin_list(), i),
                    Some(Item::Method(i)) => item_span(args.methods.as_ref(), i),
                    Some(Item::Header(i)) => item_span(args.headers.as_ref(), i),
                    Some(Item::Expose(i)) => item_span(args.expose.as_ref(), i),
                    Some(Item::MaxAge) => args.max_age.map(|(_, span)| span),
                    Some(Item::WritesFromAnyOrigin) => args.writes_from_any_origin,
                    Some(Item::DangerouslyTrustHttpOrigins) => args.dangerously_trust_http_origins,
                    Some(Item::Websocket) => args.websocket,
                    Some(Item::ReportOnly) => args.report_only.map(|(_, span)| span),
                    Some(Item::Key(key)) => key_span(args, key),
                    // `Item` is non-exhaustive for the facade's users; a new rule's item gets
                    // its span here (until then, the whole attribute is underlined).
                    _ => None,
                };
                errors.push(error(
                    span.unwrap_or_else(Span::call_site),
                    rule.message,
                    rule.help,
                ));
            }
            None
        }
    }
}

/// What [`check_websocket`] checks of `input`: all of it, but, when the route says `websocket`
/// itself and uses a named policy without it, the keys that policy wrote. The policy is shared
/// with routes that are not WebSocket endpoints, where they mean something; on this route they
/// mean nothing, and are no mistake of its own. (Its `"null"` origin is still refused: that is
/// a danger, not a key without meaning.)
fn websocket_input<'a>(args: &CorsArgs, input: &PolicyInput<'a>, named: bool) -> PolicyInput<'a> {
    // After the merge, `written` lists the keys the named policy wrote.
    let from_policy = |key: &str| named && args.written.iter().any(|(k, _)| *k == key);
    if !named || from_policy("websocket") {
        return *input;
    }
    PolicyInput {
        headers: if from_policy("headers") {
            &[]
        } else {
            input.headers
        },
        expose: if from_policy("expose") {
            &[]
        } else {
            input.expose
        },
        credentials: input.credentials && !from_policy("credentials"),
        max_age: input.max_age.filter(|_| !from_policy("max_age")),
        private_network: input.private_network && !from_policy("private_network"),
        ..*input
    }
}

/// Where the key `key` is written.
fn key_span(args: &CorsArgs, key: &str) -> Option<Span> {
    match key {
        "methods" => args.methods.as_ref().map(|l| l.span),
        "headers" => args.headers.as_ref().map(|l| l.span),
        "expose" => args.expose.as_ref().map(|l| l.span),
        "credentials" => args.credentials,
        "max_age" => args.max_age.map(|(_, span)| span),
        "private_network" => args.private_network,
        _ => None,
    }
}
