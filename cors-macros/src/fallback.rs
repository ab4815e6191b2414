//! What `#[cors]` writes when it found errors: every error, and the handler's service type
//! registering nothing. So `.service(handler)` elsewhere still compiles (no error follows from
//! the first), editors keep working, and no route attribute is expanded a second time to report
//! its own errors twice.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::expand::service_type;
use crate::route::Route;

pub(crate) fn expand(
    errors: Option<syn::Error>,
    krate: &syn::Path,
    route: Option<&Route>,
    item: TokenStream,
    into: Option<&Ident>,
) -> TokenStream {
    let errors = errors.map(|e| e.to_compile_error());
    match (route, into) {
        (Some(route), None) => {
            let handler = &route.handler;
            let stub = service_type(
                Some(krate),
                handler,
                &route.attr_paths,
                quote! {
                    #[allow(dead_code)]
                    #handler
                },
            );
            quote! { #errors #stub }
        }
        // Inside the `register` of the service type a named policy's first expansion wrote,
        // next to the handler it defined.
        (Some(_), Some(_)) => errors.unwrap_or_default(),
        // No route attribute was found (or the item is no function): the item as it is.
        (None, _) => quote! { #errors #item },
    }
}
