//! The second pass of `#[cors(policy = API, ..)]`, the hidden attribute `__cors_with_policy`:
//! parse the policy's keys and the handler's, merge them, then validate and expand as
//! `#[cors]` does; on any error, the fallback.
//!
//! The first pass (`attribute`) cannot know the policy's keys: it writes the handler's service
//! type, whose `register` defines the handler and calls `API!` with the handler's keys and its
//! route attributes. The policy's macro (written by `cors_policy!`, see
//! `expand::policy_macro`) adds its own keys and writes this attribute back there:
//!
//! ```text
//! #[<crate>::__private::__cors_with_policy(
//!     API { <the policy's keys> },          // or `API invalid`: its definition broke a rule
//!     { <the handler's keys> },
//!     __config, #[get("/p")] fn handler() {} // the `register` parameter, and the route
//! )]                                          // attributes on a bodiless stand-in
//! const _: () = ();
//! ```
//!
//! Without the last part (the first pass found no handler with a route attribute), the item is
//! the handler as written, and the route's error is reported on it.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Token};

use crate::attribute::{self, Parsed};
use crate::errors::Errors;
use crate::keys::Site;
use crate::{args, merge, route};

/// What the policy's macro writes back.
struct WithPolicy {
    name: Ident,
    /// The policy's keys; `None` when its definition broke a rule (reported there).
    policy: Option<TokenStream>,
    handler: TokenStream,
    into: Option<Forwarded>,
}

/// The `register` parameter to register the route into, and the route attributes on a
/// bodiless stand-in of the handler.
struct Forwarded {
    config: Ident,
    route: TokenStream,
}

impl Parse for WithPolicy {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        let policy = if input.peek(syn::token::Brace) {
            let keys;
            syn::braced!(keys in input);
            Some(keys.parse()?)
        } else {
            input.parse::<kw::invalid>()?;
            None
        };
        input.parse::<Token![,]>()?;
        let handler;
        syn::braced!(handler in input);
        let handler = handler.parse()?;
        let into = if input.is_empty() {
            None
        } else {
            input.parse::<Token![,]>()?;
            let config = input.parse()?;
            input.parse::<Token![,]>()?;
            Some(Forwarded {
                config,
                route: input.parse()?,
            })
        };
        Ok(WithPolicy {
            name,
            policy,
            handler,
            into,
        })
    }
}

mod kw {
    syn::custom_keyword!(invalid);
}

pub(crate) fn cors(input: TokenStream, item: TokenStream) -> TokenStream {
    let WithPolicy {
        name,
        policy,
        handler,
        into,
    } = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let policy = policy.and_then(|keys| args::parse(keys, Site::Policy, &mut errors));
    let handler = args::parse(handler, Site::Attribute, &mut errors);
    let args = match (handler, policy) {
        (Some(handler), Some(policy)) => Some(merge::merge(handler, policy, &name, &mut errors)),
        _ => None,
    };
    let route_item = into.as_ref().map_or(&item, |i| &i.route);
    let route = route::parse(route_item, &mut errors);
    let parsed = Parsed {
        args,
        route,
        policy_name: Some(&name),
        into: into.as_ref().map(|i| &i.config),
    };
    attribute::validate_and_expand(parsed, item, errors)
}
