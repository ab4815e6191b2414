//! `#[cors(...)]`: parse the attribute and the route attribute below it, merge a named policy's
//! keys, validate, then expand; on any error, the fallback.
//!
//! A handler with `policy = API` is expanded twice. The first expansion cannot know the
//! policy's keys: it writes the handler's service type, whose `register` calls `API!` with the
//! attribute and the handler; the policy's macro writes `#[cors(__policy(API, <its keys>), ..)]`
//! back there, and the second expansion, knowing every key, registers the route.

use proc_macro2::TokenStream;

use crate::args::{self, CorsArgs, Origins as Written};
use crate::errors::Errors;
use crate::expand::{self, Origins};
use crate::keys::Site;
use crate::{fallback, merge, route, validate};

pub(crate) fn cors(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = args::parse(attr.clone(), Site::Attribute, &mut errors)
        .map_err(|e| errors.push(e))
        .ok();
    // Another crate's attribute macro below `#[cors]` (`#[utoipa::path]`, `#[tracing::instrument]`)
    // would expand inside the service type's `register`, where what it generates next to the
    // handler cannot be seen: it is moved above a second `#[cors]`, so it expands first, at the
    // handler's own level, as if it had been written above.
    let handler: Option<syn::ItemFn> = syn::parse2(item.clone()).ok();
    if let Some((foreign, handler)) = handler.as_ref().and_then(route::split_foreign) {
        let krate = args.as_ref().and_then(|a| a.krate.as_ref());
        return expand::after_foreign(&foreign, krate, attr, &handler);
    }
    // `policy = API`, first expansion: errors in the other keys are reported by the second,
    // once.
    if let Some(CorsArgs {
        policy: Some((path, _)),
        named: None,
        krate,
        ..
    }) = &args
    {
        let outline = handler.as_ref().and_then(route::outline);
        return expand::forward_to_policy(path, krate.as_ref(), attr, item, outline.as_ref());
    }
    let into = args.as_mut().and_then(|a| a.into.take());
    let mut policy_name = None;
    let mut policy_broken = false;
    if let Some(named) = args.as_mut().and_then(|a| a.named.take()) {
        let handler = args.take().expect("checked above");
        policy_name = Some(named.name.to_string());
        match merge::merge(handler, named, &mut errors) {
            Some((merged, _)) => args = Some(merged),
            None => policy_broken = true,
        }
    }
    // The second expansion's item is a stand-in: the route attributes come in `__into`.
    let route_item = into.as_ref().map_or(&item, |i| &i.route);
    let route = route::parse(route_item, &mut errors)
        .map_err(|e| errors.push(e))
        .ok();
    let policy = match (&args, &route) {
        (Some(args), Some(route)) => {
            let named = policy_name.is_some();
            validate::policy(Site::Attribute, args, &route.methods(), named, &mut errors)
        }
        _ => None,
    };
    let source = args.as_ref().and_then(|a| match &a.origins {
        Some(Written::Source(path)) => Some(path.clone()),
        _ => None,
    });
    let krate = expand::facade(args.and_then(|a| a.krate).as_ref());
    match (errors.finish(), &route, &policy) {
        (Ok(()), Some(route), Some(policy)) => {
            let origins = Origins {
                policy,
                source: source.as_ref(),
            };
            expand::route(
                &krate,
                route,
                origins,
                policy_name.as_deref(),
                into.as_ref().map(|i| &i.config),
            )
        }
        (result, route, _) => {
            // Every error was found; or the named policy broke a rule where it is defined.
            debug_assert!(result.is_err() || policy_broken || route.is_none());
            fallback::expand(
                result.err(),
                &krate,
                route.as_ref(),
                item,
                into.as_ref().map(|i| &i.config),
            )
        }
    }
}
