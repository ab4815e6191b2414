//! A named policy meets its handler: the policy's keys and the handler's, merged into one
//! attribute (`cors_policy!(API, ..)` defines a policy, `#[cors(policy = API)]` uses it).
//!
//! `cors_policy!` validates the policy on its own and defines a `macro_rules!` macro named like
//! the policy that holds its keys. The first pass of `#[cors(policy = API, ..)]` calls that
//! macro inside the handler's `register` (see `attribute`), and the macro hands its keys and
//! the handler's to the second pass (`with_policy`), which [`merge`]s them by the rules below
//! and validates the result like any other `#[cors]`. So a policy is checked by exactly the
//! same rules, with the same messages, against each route that uses it.
//!
//! Which key goes where is [`crate::keys::KEYS`]' `place`: each key is set in one place, so
//! nothing is ever merged or overridden silently.

use syn::Ident;

use crate::args::{At, CorsArgs};
use crate::errors::{error, error_spanned, Errors};
use crate::keys::{place, Place, KEYS};

/// A policy definition may not use `methods` (nor another policy).
pub(crate) fn check_definition(args: &CorsArgs, errors: &mut Errors) {
    if let Some(methods) = &args.methods {
        errors.push(error(
            methods.span,
            "`methods` belongs on each handler, not in a named policy: the routes that share a policy serve different methods",
            "remove `methods` here; by default each route allows the methods it serves, and a handler narrows them with `#[cors(policy = .., methods = [..])]`",
        ));
    }
    if let Some((_, span)) = &args.policy {
        errors.push(error(
            *span,
            "a named policy cannot use another policy",
            "write the keys themselves in `cors_policy!`",
        ));
    }
}

/// The handler's keys and the policy's, as one set of keys, with the policy's name; a key
/// given in a place it does not belong, or in both places, is an error on the handler's key,
/// and the merged keys leave that key of the handler out (so that the other keys are still
/// checked, without errors that follow from the misplaced one).
pub(crate) fn merge(
    mut handler: CorsArgs,
    mut policy: CorsArgs,
    name: &Ident,
    errors: &mut Errors,
) -> CorsArgs {
    let set_by_policy: Vec<&str> = policy.written.iter().map(|(k, _)| *k).collect();
    let mut written = std::mem::take(&mut handler.written);
    written.sort_by_key(|(key, _)| KEYS.iter().position(|k| k.name == *key));
    for (key, at) in written {
        let wrong = match place(key) {
            Place::Policy => Some(not_on_handler(key, name)),
            Place::Handler => None,
            Place::Either if set_by_policy.contains(&key) => Some(set_twice(key, name)),
            Place::Either => None,
        };
        if let Some((message, help)) = wrong {
            errors.push(match at {
                At::Span(span) => error(span, message, help),
                At::Tokens(tokens) => error_spanned(tokens, message, help),
            });
        }
    }
    // The policy's `origins`, `credentials`, `private_network`, `writes_from_any_origin` and
    // `dangerously_trust_http_origins` are kept whatever the handler says; the handler's
    // `headers`, `expose`, `max_age`, `websocket`, `report_only` and `crate` are taken only
    // where the policy has none.
    policy.methods = handler.methods.take();
    policy.headers = policy.headers.or(handler.headers.take());
    policy.expose = policy.expose.or(handler.expose.take());
    policy.max_age = policy.max_age.or(handler.max_age.take());
    policy.websocket = policy.websocket.or(handler.websocket.take());
    policy.report_only = policy.report_only.or(handler.report_only.take());
    policy.krate = policy.krate.or(handler.krate.take());
    policy
}

fn not_on_handler(key: &str, name: &Ident) -> (String, String) {
    (
        format!("`{key}` comes from the policy `{name}`: a handler that uses a named policy cannot change who may read it or write to it, nor with which credentials"),
        format!("remove `{key}` here, or define another policy with `cors_policy!` for this route (or write the whole policy in this #[cors], without `policy`)"),
    )
}

fn set_twice(key: &str, name: &Ident) -> (String, String) {
    (
        format!("`{key}` is set both here and in the policy `{name}`: a handler may add `{key}` only when its policy leaves it out, so that nothing is merged or overridden silently"),
        format!("remove `{key}` here, or move `{key}` out of `{name}` onto each handler that needs it, or define another policy with `cors_policy!`"),
    )
}
