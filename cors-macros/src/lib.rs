//! The `#[cors]` attribute and the `cors_policy!` macro of
//! [`actix-route-cors`](https://docs.rs/actix-route-cors). Use them through that crate, which
//! documents them.
//!
//! Each macro runs parse → validate → expand, then the fallback on any error:
//!
//! | stage | modules |
//! |---|---|
//! | entry (one per macro: the pipeline) | `attribute` (`#[cors]`), `with_policy` (the second pass of `#[cors(policy = ..)]`), `policy_macro` (`cors_policy!`) |
//! | parse | `args` (the keys users write, named in `keys`), `route` (the route attribute below `#[cors]`) |
//! | validate | `merge` (a named policy's keys with the handler's), `validate` (the rules of `cors_runtime::rules`, the same a policy built at start-up goes through, pointed at the tokens) |
//! | expand | `expand` (the service type, the resources, the policy statics, a policy's `macro_rules!`) |
//! | on error | `fallback` (every error, and a service type that registers nothing), `errors` (collecting them) |
#![forbid(unsafe_code)]

mod args;
mod attribute;
mod errors;
mod expand;
mod fallback;
mod keys;
mod merge;
mod policy_macro;
mod route;
mod validate;
mod with_policy;

use proc_macro::TokenStream;

/// (Defined in the `cors-macros` crate; `actix-route-cors` re-exports it with this guide.)
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    attribute::cors(args.into(), item.into()).into()
}

/// (Defined in the `cors-macros` crate; `actix-route-cors` re-exports it with this guide.)
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    policy_macro::cors_policy(input.into()).into()
}

/// The second pass of `#[cors(policy = NAME, ..)]`, written by the policy's macro: the policy's
/// keys and the handler's, merged. Not for direct use.
#[doc(hidden)]
#[proc_macro_attribute]
pub fn __cors_with_policy(args: TokenStream, item: TokenStream) -> TokenStream {
    with_policy::cors(args.into(), item.into()).into()
}
