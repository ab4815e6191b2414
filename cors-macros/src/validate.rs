//! Applying the policy rules (`cors_runtime::rules`, shared with policies built at run time) to
//! the parsed attribute, and pointing each broken rule at its token.

use cors_runtime::rules::{validate, Item, PolicyInput, ValidPolicy};
use proc_macro2::Span;

use crate::args::{CorsArgs, List};
use crate::errors::{error, Errors};

fn strs(list: &Option<List>) -> Vec<&str> {
    list.iter()
        .flat_map(|l| &l.items)
        .map(|i| i.value.as_str())
        .collect()
}

fn item_span(list: &Option<List>, index: usize) -> Option<Span> {
    let list = list.as_ref()?;
    Some(list.items.get(index).map_or(list.span, |i| i.span))
}

/// Validates the policy; `None` when a rule is broken (the errors are in `errors`).
pub(crate) fn policy(
    args: &CorsArgs,
    route_methods: &[String],
    errors: &mut Errors,
) -> Option<ValidPolicy> {
    let Some(origins_list) = &args.origins else {
        errors.push(error(
            Span::call_site(),
            "#[cors] needs `origins`: the origins whose scripts may read this route's responses",
            "write `origins = [\"https://app.example.com\"]` (or `origins = [\"*\"]` for a public resource)",
        ));
        return None;
    };
    let origins = strs(&args.origins);
    let methods = args.methods.as_ref().map(|_| strs(&args.methods));
    let route: Vec<&str> = route_methods.iter().map(String::as_str).collect();
    let headers = strs(&args.headers);
    let expose = strs(&args.expose);
    let input = PolicyInput {
        origins: &origins,
        methods: methods.as_deref(),
        route_methods: &route,
        headers: &headers,
        expose: &expose,
        credentials: args.credentials.is_some(),
        max_age: args.max_age.map(|(age, _)| age),
        private_network: args.private_network.is_some(),
    };
    match validate(&input) {
        Ok(policy) => Some(policy),
        Err(broken) => {
            // A list whose entries could not all be read was reported already: saying that
            // it is empty as well would only repeat that error.
            let unreadable = |list: &Option<List>| {
                list.as_ref()
                    .is_some_and(|l| l.incomplete && l.items.is_empty())
            };
            for rule in broken {
                let repeated = match rule.item {
                    Item::Origins => unreadable(&args.origins),
                    Item::Method(_) => unreadable(&args.methods),
                    _ => false,
                };
                if repeated {
                    continue;
                }
                let span = match rule.item {
                    Item::Origins => Some(origins_list.span),
                    Item::Origin(i) => item_span(&args.origins, i),
                    Item::Method(i) => item_span(&args.methods, i),
                    Item::Header(i) => item_span(&args.headers, i),
                    Item::Expose(i) => item_span(&args.expose, i),
                    Item::MaxAge => args.max_age.map(|(_, span)| span),
                };
                errors.push(error(
                    span.unwrap_or_else(Span::call_site),
                    rule.message,
                    rule.help,
                ));
            }
            None
        }
    }
}
