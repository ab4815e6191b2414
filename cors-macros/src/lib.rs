//! The `#[cors]` attribute of [`actix-route-cors`](https://docs.rs/actix-route-cors).
//!
//! Use it through that crate, which documents it. The macro works in three stages, one file
//! each: `args` and `route` parse the attribute and the route attribute below it,
//! `validate` applies the policy rules of `cors_runtime::rules` (the same rules a policy built
//! at run time goes through), and `expand` writes the handler's registration.
#![forbid(unsafe_code)]

mod args;
mod errors;
mod expand;
mod named;
mod policy_def;
mod route;
mod validate;

use proc_macro::TokenStream;

/// Per-route CORS: see the `actix-route-cors` crate.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::cors(args.into(), item.into()).into()
}

/// A named CORS policy, for `#[cors(policy = NAME)]`: see the `actix-route-cors` crate.
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    policy_def::cors_policy(input.into()).into()
}
