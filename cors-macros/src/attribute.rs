//! `#[cors(...)]`: parse the attribute and the route attribute below it, validate, expand; on
//! any error, the fallback.
//!
//! With `policy = API`, the policy's keys are known only to the policy's macro: this expansion
//! writes the handler's service type and hands the handler's keys to that macro, which writes
//! them back with its own to the second pass (`with_policy`). There, parsed and merged, they
//! go through the same [`validate_and_expand`].

use proc_macro2::TokenStream;
use syn::Ident;

use crate::args::{self, CorsArgs};
use crate::errors::Errors;
use crate::expand::{self, Info, Origins};
use crate::keys::Site;
use crate::route::{self, Route};
use crate::{fallback, validate};

pub(crate) fn cors(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = args::parse(attr.clone(), Site::Attribute, &mut errors);
    // Another crate's attribute macro below `#[cors]` (`#[utoipa::path]`, `#[tracing::instrument]`)
    // would expand inside the service type's `register`, where what it generates next to the
    // handler cannot be seen: it is moved above a second `#[cors]`, so it expands first, at the
    // handler's own level, as if it had been written above.
    let handler: Option<syn::ItemFn> = syn::parse2(item.clone()).ok();
    if let Some((foreign, handler)) = handler.as_ref().and_then(route::split_foreign) {
        let krate = args.as_ref().and_then(|a| a.krate.as_ref());
        return expand::after_foreign(&foreign, krate, attr, &handler);
    }
    // `policy = API`: errors in the other keys are reported by the second pass, once.
    if let Some(CorsArgs {
        policy: Some((path, _)),
        krate,
        ..
    }) = &args
    {
        let outline = handler.as_ref().and_then(route::outline);
        return expand::forward_to_policy(path, krate.as_ref(), attr, item, outline.as_ref());
    }
    let route = route::parse(&item, &mut errors);
    let parsed = Parsed {
        args,
        route,
        policy_name: None,
        into: None,
    };
    validate_and_expand(parsed, item, errors)
}

/// A handler's `#[cors]` with every key known, parsed; what could not be parsed (or comes from
/// a named policy whose definition broke a rule) is `None`, and was reported.
pub(crate) struct Parsed<'a> {
    pub(crate) args: Option<CorsArgs>,
    pub(crate) route: Option<Route>,
    /// The named policy whose keys are merged into `args`.
    pub(crate) policy_name: Option<&'a Ident>,
    /// In the second pass of a named policy: the `register` parameter of the service type the
    /// first pass wrote, to register the route into.
    pub(crate) into: Option<&'a Ident>,
}

/// Validates the keys against the route and expands; on any error, the fallback, with every
/// error at once.
pub(crate) fn validate_and_expand(
    parsed: Parsed<'_>,
    item: TokenStream,
    mut errors: Errors,
) -> TokenStream {
    let Parsed {
        args,
        route,
        policy_name,
        into,
    } = parsed;
    let policy = match (&args, &route) {
        (Some(args), Some(route)) => {
            let named = policy_name.is_some();
            validate::policy(Site::Attribute, args, &route.methods(), named, &mut errors)
        }
        _ => None,
    };
    let krate = expand::facade(args.as_ref().and_then(|a| a.krate.as_ref()));
    match (errors.finish(), &route, &policy) {
        (Ok(()), Some(route), Some(policy)) => {
            let origins = Origins {
                policy,
                source: args.as_ref().and_then(CorsArgs::origin_source),
            };
            let name = policy_name.map(Ident::to_string);
            let info = Info {
                policy_name: name.as_deref(),
                websocket: args.as_ref().is_some_and(|a| a.websocket.is_some()),
            };
            expand::route(&krate, route, origins, info, into)
        }
        // Every error was found; or the named policy broke a rule where it is defined.
        (result, route, _) => fallback::expand(result.err(), &krate, route.as_ref(), item, into),
    }
}
