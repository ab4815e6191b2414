//! Writing the code: the handler's service type, its preflight resources and its resources
//! wrapped in the CORS middleware, with the policy in a `static`.

use cors_runtime::rules::{OriginSpec, ValidPolicy};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::errors::Errors;
use crate::route::Route;
use crate::{args, route, validate};

/// The whole macro: parse, validate, expand. On any error, every error found is reported and
/// the item is emitted unchanged, so that the rest of the crate (and the editor) keeps working.
pub(crate) fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut uses = TokenStream::new();
    let expanded = (|| {
        let args = args::parse(args, &mut errors)?;
        let route = route::parse(&item, &mut errors)?;
        uses = uses_of_route_attributes(&route);
        let policy = validate::policy(&args, &route.methods(), &mut errors);
        let krate = args
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::actix_route_cors));
        Ok::<_, syn::Error>(policy.map(|p| expand(&krate, &route, &p)))
    })();
    let expanded = match expanded {
        Ok(tokens) => tokens,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    match (errors.finish(), expanded) {
        (Ok(()), Some(tokens)) => tokens,
        (Err(e), _) => {
            // The item keeps its route attributes; `#[routes]` consumes its method attributes
            // without naming them, so name them here as the expansion would, or the user's
            // `use actix_web::{get, post}` would add an "unused import" warning to the errors.
            let compile_errors = e.to_compile_error();
            quote! { #compile_errors #uses #item }
        }
        (Ok(()), None) => unreachable!("no expansion without an error"),
    }
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

fn policy_tokens(p: &TokenStream, policy: &ValidPolicy) -> TokenStream {
    let origins = if policy.origins.contains(&OriginSpec::Any) {
        quote!(#p::AllowedOrigins::Any)
    } else {
        let patterns = policy.origins.iter().map(|o| match o {
            OriginSpec::Null => quote!(#p::OriginPattern::Exact("null")),
            OriginSpec::Exact(s) => quote!(#p::OriginPattern::Exact(#s)),
            OriginSpec::Subdomains { prefix, suffix } => {
                quote!(#p::OriginPattern::Subdomains { prefix: #prefix, suffix: #suffix })
            }
            OriginSpec::Any => unreachable!("handled above"),
        });
        quote!(#p::AllowedOrigins::List(&[#(#patterns),*]))
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
            headers: #p::AllowedHeaders { any: #any_header, names: &[#(#header_names),*] },
            credentials: #credentials,
            private_network: #private_network,
            allow_methods: #allow_methods,
            allow_headers: #allow_headers,
            expose: #expose,
            max_age: #max_age,
        })
    }
}

fn expand(krate: &syn::Path, route: &Route, policy: &ValidPolicy) -> TokenStream {
    let p = quote!(#krate::__private);
    let handler = &route.handler;
    let name = &handler.sig.ident;
    let docs = handler.attrs.iter().filter(|a| a.path().is_ident("doc"));
    // Like actix-web's own route macros (with their default `compat` feature), the service type
    // is `pub` unless the function says otherwise with a restricted visibility.
    let vis = match &handler.vis {
        syn::Visibility::Restricted(r) => quote!(#r),
        _ => quote!(pub),
    };
    let policy = policy_tokens(&p, policy);
    let label = name.to_string();
    let cors_static = format_ident!("__ACTIX_ROUTE_CORS_POLICY");

    // One preflight resource per distinct path, for all the methods served on it; registered
    // before the route's resources so that an `OPTIONS` route of the handler does not take them.
    let mut paths: Vec<(&syn::LitStr, Vec<&str>)> = Vec::new();
    for r in &route.resources {
        let methods = strings(&r.methods);
        match paths
            .iter_mut()
            .find(|(path, _)| path.value() == r.path.value())
        {
            Some((_, all)) => all.extend(
                methods
                    .into_iter()
                    .filter(|m| !all.contains(m))
                    .collect::<Vec<_>>(),
            ),
            None => paths.push((&r.path, methods)),
        }
    }
    let preflights = paths.iter().map(|(path, methods)| {
        quote! {
            #p::register_preflight(__config, #path, &[#(#methods),*], &#cors_static);
        }
    });
    let resources = route.resources.iter().map(|r| {
        let path = &r.path;
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
    let uses = uses_of_route_attributes(route);
    quote! {
        #uses
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        #[automatically_derived]
        impl #p::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __config: &mut #p::actix_web::dev::AppService) {
                #handler
                static #cors_static: #p::RouteCors = #p::RouteCors::new(#policy, #label);
                #(#preflights)*
                #(#resources)*
            }
        }
    }
}
