//! `cors_policy!(API, ..)`: parse the name and the keys, validate them with the same rules as
//! `#[cors]`, and expand to the macro that hands them to each `#[cors(policy = API)]` (see
//! `merge` for how the two meet).

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Token, Visibility};

use crate::args;
use crate::errors::{error_spanned, Errors};
use crate::keys::Site;
use crate::{expand, merge, validate};

const USAGE: &str = "write `cors_policy!(API, origins = [\"https://app.example.com\"], ..)`, and `#[cors(policy = API)]` on each handler";

/// `#[doc] vis NAME, keys..`
struct Definition {
    docs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    keys: TokenStream,
}

impl Parse for Definition {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let docs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected the policy's name\nhelp: {USAGE}"),
            )
        })?;
        // `cors_policy!(origins = [..])`: the first key was read as the name.
        if input.peek(Token![=]) {
            return Err(syn::Error::new(
                name.span(),
                format!(
                    "`cors_policy!` starts with the policy's name, before its keys\nhelp: {USAGE}"
                ),
            ));
        }
        if !input.is_empty() {
            input.parse::<Token![,]>().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected `,` after the policy's name `{name}`\nhelp: {USAGE}"),
                )
            })?;
        }
        Ok(Definition {
            docs,
            vis,
            name,
            keys: input.parse()?,
        })
    }
}

pub(crate) fn cors_policy(input: TokenStream) -> TokenStream {
    let Definition {
        docs,
        vis,
        name,
        keys,
    } = match syn::parse2::<Definition>(input) {
        Ok(d) => d,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let vis = match vis {
        Visibility::Public(_) => {
            errors.push(error_spanned(
                &vis,
                "a named policy cannot be `pub`: it is a macro, which is shared within its crate",
                "write `pub(crate)` (each crate that serves routes defines its policies)",
            ));
            // Defined as if it said `pub(crate)`: rustc adds no error of its own about
            // re-exporting a crate-local macro.
            syn::parse_quote!(pub(crate))
        }
        vis => vis,
    };
    let mut parsed = args::parse(keys.clone(), Site::Policy, &mut errors);
    if let Some(parsed) = &mut parsed {
        merge::check_definition(parsed, &mut errors);
        check_source_path(parsed, &mut errors);
        // `methods` was reported above: checked against no route, its methods would each be
        // "not served" as well.
        parsed.methods = None;
        // (A policy that tried to use another one is not also told that `origins` is
        // missing: see `validate::policy`.)
        validate::policy(Site::Policy, parsed, &[], false, &mut errors);
    }
    let krate = expand::facade(parsed.and_then(|a| a.krate).as_ref());
    let (compile_errors, handed) = match errors.finish() {
        Ok(()) => (TokenStream::new(), quote!({ #keys })),
        // Handlers that use the policy still compile, registering nothing: its errors are
        // reported here, once.
        Err(e) => (e.to_compile_error(), quote!(invalid)),
    };
    let definition = expand::policy_macro(&docs, &vis, &name, &krate, handed);
    quote! { #compile_errors #definition }
}

/// An `OriginSource`, `OriginLookup` or function named in a policy is used from the handlers'
/// modules: its path must not
/// depend on the module the policy is written in.
fn check_source_path(parsed: &args::CorsArgs, errors: &mut Errors) {
    if let Some(args::Origins::Source(path)) = &parsed.origins {
        let absolute = path.leading_colon.is_some()
            || path.segments.first().is_some_and(|s| s.ident == "crate");
        if !absolute {
            errors.push(error_spanned(
                path,
                "in a named policy, name the origins' source (an `OriginSource`, an `OriginLookup` or a function) by its path from the crate root: the policy is used from the handlers' modules",
                format!(
                    "write `origins = crate::path::to::{}`",
                    path.segments.last().map_or_else(String::new, |s| s.ident.to_string())
                ),
            ));
        }
    }
}
