//! Writing the code: the handler's service type, its resources wrapped in the CORS middleware
//! and its preflight resources, with the policy in a `static`; and, for a named policy, the
//! `macro_rules!` that hands its keys to each handler.

use cors_runtime::rules::{OriginSpec, ValidPolicy};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, Ident, ItemFn};

use crate::route::{Outline, Route};

/// The allowed origins: the validated policy's list, or the `OriginSource`, `OriginLookup` or
/// function named instead.
#[derive(Clone, Copy)]
pub(crate) struct Origins<'a> {
    pub(crate) policy: &'a ValidPolicy,
    pub(crate) source: Option<&'a syn::Path>,
}

/// What the audit records of a route besides its policy.
#[derive(Clone, Copy)]
pub(crate) struct Info<'a> {
    /// The named policy the route uses.
    pub(crate) policy_name: Option<&'a str>,
    /// `websocket`: the route is declared a WebSocket endpoint.
    pub(crate) websocket: bool,
}

/// Where generated code finds the facade: the `crate = path` key, or `::actix_route_cors`.
pub(crate) fn facade(krate: Option<&syn::Path>) -> syn::Path {
    krate
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(::actix_route_cors))
}

/// The name the facade's `__private` module is imported under, once per expansion (so that a
/// wrong `crate = path` is one error, not one per use).
fn private() -> Ident {
    format_ident!("__actix_route_cors")
}

/// `use <crate>::__private as __actix_route_cors;`
fn import(krate: &syn::Path) -> TokenStream {
    let p = private();
    quote! { use #krate::__private as #p; }
}

/// The handler's service type, `pub struct name;`, whose `register` runs `body` with the
/// `AppService` in `__config`. With `krate`, the type reaches actix-web through the facade
/// (imported once, for `body` too); without it (the first expansion of a handler that uses a
/// named policy, whose `crate` key only the policy may know), through `::actix_web`.
pub(crate) fn service_type(
    krate: Option<&syn::Path>,
    handler: &ItemFn,
    attr_paths: &[syn::Path],
    body: TokenStream,
) -> TokenStream {
    let name = &handler.sig.ident;
    let docs = handler.attrs.iter().filter(|a| a.path().is_ident("doc"));
    // Like actix-web's own route macros (with their default `compat` feature), the service type
    // is `pub` unless the function says otherwise with a restricted visibility.
    let vis = match &handler.vis {
        syn::Visibility::Restricted(r) => quote!(#r),
        _ => quote!(pub),
    };
    let (import, dev) = match krate {
        Some(krate) => {
            let p = private();
            (import(krate), quote!(#p::actix_web::dev))
        }
        None => (TokenStream::new(), quote!(::actix_web::dev)),
    };
    // `#[cors]` consumed the route attributes: their paths are named once so that the user's
    // `use actix_web::get;` does not become an unused import.
    quote! {
        #(#[allow(unused_imports)] use #attr_paths as _;)*
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        const _: () = {
            #import
            #[automatically_derived]
            impl #dev::HttpServiceFactory for #name {
                fn register(self, __config: &mut #dev::AppService) {
                    #body
                }
            }
        };
    }
}

/// The first pass of `#[cors(policy = API, ..)]`: the service type, whose `register` defines
/// the handler and calls the policy's macro with the handler's keys, `__config` and the route
/// attributes; the macro writes them back with its own keys to the second pass
/// (`with_policy`), which registers the route (see [`route`]). The type and the handler exist
/// even when `API` cannot be found, so that rustc's error about the name is the only one.
pub(crate) fn forward_to_policy(
    policy: &syn::Path,
    krate: Option<&syn::Path>,
    attr: TokenStream,
    item: TokenStream,
    outline: Option<&Outline>,
) -> TokenStream {
    match outline {
        Some(Outline {
            handler,
            route_attrs,
            attr_paths,
        }) => {
            let name = &handler.sig.ident;
            let call = quote! {
                #policy! { register { { #attr }, __config, #(#route_attrs)* fn #name() {} } }
            };
            let body = quote! {
                // Unused when the policy cannot be found.
                #[allow(dead_code)]
                #handler
                #call
            };
            service_type(krate, handler, attr_paths, body)
        }
        // No handler with a route attribute: the second pass reports it.
        None => quote! { #policy! { { { #attr } } #item } },
    }
}

/// `#[cors]` again below the other crates' attribute macros that were written below it.
pub(crate) fn after_foreign(
    foreign: &[Attribute],
    krate: Option<&syn::Path>,
    attr: TokenStream,
    handler: &ItemFn,
) -> TokenStream {
    let krate = facade(krate);
    quote! {
        #(#foreign)*
        #[#krate::cors(#attr)]
        #handler
    }
}

/// The `macro_rules!` of `cors_policy!(vis NAME, keys)`: it writes the second pass of each
/// `#[cors(policy = NAME, ..)]`, `#[<crate>::__private::__cors_with_policy(NAME keys, <what the
/// first pass handed it>)]` (`keys` is `{ <the keys> }`, or `invalid` when the definition broke
/// a rule; see `with_policy`).
///
/// Inside the first pass's `register`, the second pass is imported as `cors` in a block of its
/// own: rustc's notes about the route's code then say that it comes from `cors`, as for a
/// handler without a named policy, never from the hidden name. Its item is an inert stand-in,
/// so that nothing is defined twice if the attribute cannot be expanded (a wrong `crate` path).
pub(crate) fn policy_macro(
    docs: &[Attribute],
    vis: &syn::Visibility,
    name: &Ident,
    krate: &syn::Path,
    keys: TokenStream,
) -> TokenStream {
    let hidden = format_ident!("__actix_route_cors_policy_{}", name);
    quote! {
        #(#docs)*
        #[doc(hidden)]
        macro_rules! #hidden {
            (register { $($handler:tt)* }) => {{
                use #krate::__private::__cors_with_policy as cors;
                #[cors(#name #keys, $($handler)*)]
                const _: () = ();
            }};
            ({ $($handler:tt)* } $($item:tt)*) => {
                #[#krate::__private::__cors_with_policy(#name #keys, $($handler)*)]
                $($item)*
            };
        }
        #[allow(unused_imports)]
        #vis use #hidden as #name;
    }
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    items.into_iter().map(String::as_str).collect()
}

fn option(value: Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// The `static` that names the route's `OriginSource`, `OriginLookup` or function, as the
/// trait object the policy holds. The coercion is where the compiler checks what
/// `origins = NAME` names: another type (or a function with another signature) is
/// the trait's own error, and a `const` source (a new, empty copy at each use) is refused as a
/// temporary borrowed for the whole program, with the help to make it a `static`.
const SOURCE: &str = "__ACTIX_ROUTE_CORS_SOURCE";

fn source_static(p: &TokenStream, source: &syn::Path) -> TokenStream {
    let ident = format_ident!("{}", SOURCE);
    let span = syn::spanned::Spanned::span(source);
    let reference = quote::quote_spanned!(span=> &#source);
    quote! { static #ident: &'static dyn #p::IsOriginSource = #reference; }
}

fn policy_tokens(p: &TokenStream, policy: &ValidPolicy, source: Option<&syn::Path>) -> TokenStream {
    let origins = if source.is_some() {
        let ident = format_ident!("{}", SOURCE);
        quote!(#p::Origins::Configured(#ident))
    } else if policy.origins.contains(&OriginSpec::Any) {
        quote!(#p::Origins::Any)
    } else {
        let patterns = policy.origins.iter().map(|o| match o {
            OriginSpec::Null => quote!(#p::OriginPattern::Exact("null")),
            OriginSpec::Exact(s) => quote!(#p::OriginPattern::Exact(#s)),
            OriginSpec::Subdomains { prefix, suffix } => {
                quote!(#p::OriginPattern::Subdomains { prefix: #prefix, suffix: #suffix })
            }
            OriginSpec::AnyPort { base } => quote!(#p::OriginPattern::AnyPort { base: #base }),
            OriginSpec::Any => unreachable!("handled above"),
        });
        quote!(#p::Origins::List(&[#(#patterns),*]))
    };
    let methods = strings(&policy.methods);
    let any_header = policy.headers.any;
    let header_names = strings(&policy.headers.names);
    let credentials = policy.credentials;
    let private_network = policy.private_network;
    let protect_writes = policy.protects_writes();
    let refuse_http_origins = policy.refuses_http_origins();
    let report_only = match policy.report_only {
        cors_runtime::ReportOnly::Nothing => quote!(Nothing),
        cors_runtime::ReportOnly::Writes => quote!(Writes),
        cors_runtime::ReportOnly::Everything => quote!(Everything),
    };
    let allow_methods = policy.allow_methods_value();
    let allow_headers = option(policy.headers.header_value());
    let expose = option(policy.expose.header_value());
    let max_age = option(policy.max_age.map(|a| a.to_string()));
    quote! {
        #p::Policy::__from_parts(#p::PolicyParts {
            origins: #origins,
            methods: &[#(#methods),*],
            headers: #p::AllowedHeaders::new(#any_header, &[#(#header_names),*]),
            credentials: #credentials,
            private_network: #private_network,
            protect_writes: #protect_writes,
            refuse_http_origins: #refuse_http_origins,
            report_only: #p::ReportOnly::#report_only,
            allow_methods: #allow_methods,
            allow_headers: #allow_headers,
            expose: #expose,
            max_age: #max_age,
        })
    }
}

/// The paths of the route, each with the methods served there, in the order written.
fn paths(route: &Route) -> Vec<(&syn::LitStr, Vec<&str>)> {
    let mut paths: Vec<(&syn::LitStr, Vec<&str>)> = Vec::new();
    for r in &route.resources {
        let i = match paths.iter().position(|(p, _)| p.value() == r.path.value()) {
            Some(i) => i,
            None => {
                paths.push((&r.path, Vec::new()));
                paths.len() - 1
            }
        };
        for m in &r.methods {
            if !paths[i].1.contains(&m.as_str()) {
                paths[i].1.push(m);
            }
        }
    }
    paths
}

/// What the route's `register` does: defines the handler, the policy `static`s, and registers
/// the route's resources and preflight resources into `config`. `__actix_route_cors` is the
/// facade's `__private` module, imported by the caller.
pub(crate) fn registration(
    route: &Route,
    origins: Origins<'_>,
    info: Info<'_>,
    config: &Ident,
    with_handler: bool,
) -> TokenStream {
    let policy = origins.policy;
    let p = private();
    let p = quote!(#p);
    let name = &route.handler.sig.ident;
    let handler = &route.handler;
    let label = name.to_string();

    // One policy `static` and one preflight resource per distinct path. A path's policy allows
    // the policy's methods that are served on that path, so that `#[routes]` over two paths
    // never announces, in `Access-Control-Allow-Methods`, a method a path does not serve. The
    // preflight resources are registered after the route's resources, so that actual requests
    // (the common case) do not first match the preflight resource's path; the route's
    // `MethodGuard` refuses preflights, so an `OPTIONS` route of the handler does not take them
    // (unless the policy is only reported: then the handler answers them, as without `#[cors]`).
    let paths = paths(route);
    let mut statics = Vec::new();
    let mut preflights = Vec::new();
    for (i, (path, served)) in paths.iter().enumerate() {
        let ident = format_ident!("__ACTIX_ROUTE_CORS_POLICY_{}", i);
        let mut on_path = policy.clone();
        on_path.methods.retain(|m| served.contains(&m.as_str()));
        let tokens = policy_tokens(&p, &on_path, origins.source);
        let named = option(info.policy_name.map(str::to_owned));
        let path_str = path.value();
        let websocket = info.websocket.then(|| quote!(.websocket()));
        statics.push(quote! {
            static #ident: #p::RouteCors = #p::RouteCors::with_info(
                #tokens,
                #p::RouteInfo::new(#label, #path_str, &[#(#served),*], #named) #websocket,
            );
            #p::inventory::submit! { #p::Registered(&#ident) }
        });
        preflights.push(quote! {
            #p::register_preflight(#config, #path, &[#(#served),*], &#ident);
        });
    }
    let resources = route.resources.iter().map(|r| {
        let path = &r.path;
        let i = paths
            .iter()
            .position(|(p, _)| p.value() == path.value())
            .expect("every resource's path is in `paths`");
        let cors_static = format_ident!("__ACTIX_ROUTE_CORS_POLICY_{}", i);
        let resource_name = r
            .name
            .as_ref()
            .map_or_else(|| label.clone(), syn::LitStr::value);
        let methods = strings(&r.methods);
        let guards = &r.guards;
        let wraps = &r.wraps;
        quote! {
            let __resource = #p::actix_web::Resource::new(#path)
                .name(#resource_name)
                .guard(#p::MethodGuard(&[#(#methods),*], &#cors_static))
                #(.guard(#p::actix_web::guard::fn_guard(#guards)))*
                #(.wrap(#wraps))*
                .wrap(#p::Cors(&#cors_static))
                .to(#name);
            #p::actix_web::dev::HttpServiceFactory::register(__resource, #config);
        }
    });
    let handler = with_handler.then_some(handler);
    let source = origins.source.map(|s| source_static(&p, s));
    quote! {
        #handler
        #source
        #(#statics)*
        #(#resources)*
        #(#preflights)*
    }
}

/// The whole expansion of a `#[cors]` with every key known: the service type, or (the second
/// expansion of a handler with a named policy, `into` its first expansion's `register`) the
/// statements that register the route.
pub(crate) fn route(
    krate: &syn::Path,
    route: &Route,
    origins: Origins<'_>,
    info: Info<'_>,
    into: Option<&Ident>,
) -> TokenStream {
    match into {
        // The first expansion defined the handler next to this.
        Some(config) => {
            let import = import(krate);
            let body = registration(route, origins, info, config, false);
            quote! { #import #body }
        }
        None => {
            let body = registration(route, origins, info, &format_ident!("__config"), true);
            service_type(Some(krate), &route.handler, &route.attr_paths, body)
        }
    }
}
