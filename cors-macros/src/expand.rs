//! Writing the code: the handler's service type, its preflight resources and its resources
//! wrapped in the CORS middleware, with the policy in a `static`.

use cors_runtime::rules::{OriginSpec, ValidPolicy};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::args::{CorsArgs, Origins as Written};
use crate::errors::Errors;
use crate::route::Route;
use crate::{args, named, route, validate};

/// The whole macro: parse, validate, expand. On any error, every error found is reported
/// together with the handler's service type (registering nothing, so no route attribute is
/// expanded a second time and reports its errors twice): `.service(handler)` elsewhere in the
/// crate still compiles, and editors keep working.
pub(crate) fn cors(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut args = args::parse(attr.clone(), args::Site::Attribute, &mut errors)
        .map_err(|e| errors.push(e))
        .ok();
    // `policy = API`: the policy's macro writes this attribute back with the policy's keys
    // (errors in the other keys are reported then, once).
    if let Some(CorsArgs {
        policy: Some((path, _)),
        named: None,
        ..
    }) = &args
    {
        return named::forward(path, attr, item);
    }
    let mut policy_name = None;
    let mut policy_broken = false;
    if let Some(named) = args.as_mut().and_then(|a| a.named.take()) {
        let handler = args.take().expect("checked above");
        policy_name = Some(named.name.to_string());
        match named::merge(handler, named, &mut errors) {
            Some((merged, _)) => args = Some(merged),
            None => policy_broken = true,
        }
    }
    let route = route::parse(&item, &mut errors)
        .map_err(|e| errors.push(e))
        .ok();
    let policy = match (&args, &route) {
        (Some(args), Some(route)) => {
            validate::policy("#[cors]", args, &route.methods(), &mut errors)
        }
        _ => None,
    };
    let source = args.as_ref().and_then(|a| match &a.origins {
        Some(Written::Source(path)) => Some(path.clone()),
        _ => None,
    });
    let krate = args
        .and_then(|a| a.krate)
        .unwrap_or_else(|| syn::parse_quote!(::actix_route_cors));
    let result = errors.finish();
    match (result, route, policy) {
        (Ok(()), Some(route), Some(policy)) => {
            let origins = Origins {
                policy: &policy,
                source: source.as_ref(),
            };
            expand(&krate, &route, origins, policy_name.as_deref())
        }
        (result, Some(route), _) => {
            // Every error was found; or the named policy broke a rule where it is defined.
            debug_assert!(result.is_err() || policy_broken);
            let compile_errors = result.err().map(|e| e.to_compile_error());
            let handler = &route.handler;
            let stub = service_type(
                &krate,
                &route,
                quote! {
                    #[allow(dead_code)]
                    #handler
                },
            );
            quote! { #compile_errors #stub }
        }
        (result, None, _) => {
            // No route attribute was found (or the item is no function): the item is emitted
            // as it is.
            let compile_errors = result.err().map(|e| e.to_compile_error());
            quote! { #compile_errors #item }
        }
    }
}

/// The allowed origins: the validated policy's list, or the `OriginSource` named instead.
#[derive(Clone, Copy)]
struct Origins<'a> {
    policy: &'a ValidPolicy,
    source: Option<&'a syn::Path>,
}

/// `#[cors]` consumed the route attributes: name their paths once so that the user's
/// `use actix_web::get;` does not become an unused import.
fn uses_of_route_attributes(route: &Route) -> TokenStream {
    let attr_paths = &route.attr_paths;
    quote! { #(#[allow(unused_imports)] use #attr_paths as _;)* }
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

fn policy_tokens(p: &TokenStream, policy: &ValidPolicy, source: Option<&syn::Path>) -> TokenStream {
    let origins = if let Some(source) = source {
        // A value that is no `OriginSource` is a type error on the path the user wrote.
        let span = syn::spanned::Spanned::span(source);
        let reference = quote::quote_spanned!(span=> &#source);
        quote!(#p::Origins::Configured(#reference))
    } else if policy.origins.contains(&OriginSpec::Any) {
        quote!(#p::Origins::Any)
    } else {
        let patterns = policy.origins.iter().map(|o| match o {
            OriginSpec::Null => quote!(#p::OriginPattern::Exact("null")),
            OriginSpec::Exact(s) => quote!(#p::OriginPattern::Exact(#s)),
            OriginSpec::Subdomains { prefix, suffix } => {
                quote!(#p::OriginPattern::Subdomains { prefix: #prefix, suffix: #suffix })
            }
            OriginSpec::Any => unreachable!("handled above"),
        });
        quote!(#p::Origins::List(&[#(#patterns),*]))
    };
    let methods = strings(&policy.methods);
    let any_header = policy.headers.any;
    let header_names = strings(&policy.headers.names);
    let credentials = policy.credentials;
    let private_network = policy.private_network;
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
            allow_methods: #allow_methods,
            allow_headers: #allow_headers,
            expose: #expose,
            max_age: #max_age,
        })
    }
}

/// The handler's service type, `pub struct name;`, whose `register` holds the handler and
/// `body`. `__config` is the `AppService` in `body`.
fn service_type(krate: &syn::Path, route: &Route, body: TokenStream) -> TokenStream {
    let p = quote!(#krate::__private);
    let name = &route.handler.sig.ident;
    let docs = route
        .handler
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"));
    // Like actix-web's own route macros (with their default `compat` feature), the service type
    // is `pub` unless the function says otherwise with a restricted visibility.
    let vis = match &route.handler.vis {
        syn::Visibility::Restricted(r) => quote!(#r),
        _ => quote!(pub),
    };
    let uses = uses_of_route_attributes(route);
    quote! {
        #uses
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        #[automatically_derived]
        impl #p::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __config: &mut #p::actix_web::dev::AppService) {
                #body
            }
        }
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

fn expand(
    krate: &syn::Path,
    route: &Route,
    origins: Origins<'_>,
    policy_name: Option<&str>,
) -> TokenStream {
    let policy = origins.policy;
    let p = quote!(#krate::__private);
    let name = &route.handler.sig.ident;
    let handler = &route.handler;
    let label = name.to_string();

    // One policy `static` and one preflight resource per distinct path. A path's policy allows
    // the policy's methods that are served on that path, so that `#[routes]` over two paths
    // never announces, in `Access-Control-Allow-Methods`, a method a path does not serve. The
    // preflight resources are registered after the route's resources, so that actual requests
    // (the common case) do not first match the preflight resource's path; the route's
    // `MethodGuard` refuses preflights, so an `OPTIONS` route of the handler does not take them.
    let paths = paths(route);
    let mut statics = Vec::new();
    let mut preflights = Vec::new();
    for (i, (path, served)) in paths.iter().enumerate() {
        let ident = format_ident!("__ACTIX_ROUTE_CORS_POLICY_{}", i);
        let mut on_path = policy.clone();
        on_path.methods.retain(|m| served.contains(&m.as_str()));
        let tokens = policy_tokens(&p, &on_path, origins.source);
        let named = option(policy_name.map(str::to_owned));
        let path_str = path.value();
        statics.push(quote! {
            static #ident: #p::RouteCors = #p::RouteCors::with_info(
                #tokens,
                #p::RouteInfo::new(#label, #path_str, &[#(#served),*], #named),
            );
            #p::inventory::submit! { #p::Registered(&#ident) }
        });
        preflights.push(quote! {
            #p::register_preflight(__config, #path, &[#(#served),*], &#ident);
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
                .guard(#p::MethodGuard(&[#(#methods),*]))
                #(.guard(#p::actix_web::guard::fn_guard(#guards)))*
                #(.wrap(#wraps))*
                .wrap(#p::Cors(&#cors_static))
                .to(#name);
            #p::actix_web::dev::HttpServiceFactory::register(__resource, __config);
        }
    });
    service_type(
        krate,
        route,
        quote! {
            #handler
            #(#statics)*
            #(#resources)*
            #(#preflights)*
        },
    )
}
