//! Parsing `#[cors(...)]`'s arguments into [`CorsArgs`]. Only the syntax is checked here; the
//! policy rules are in `validate`.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Ident, Lit, Token};

use crate::errors::{error, error_spanned, Errors};

/// The keys `#[cors]` understands, as listed in error messages.
pub(crate) const KEYS: &str =
    "origins, methods, headers, expose, credentials, max_age, private_network, policy, crate";

/// The keys `cors_policy!` understands.
const POLICY_KEYS: &str = "origins, headers, expose, credentials, max_age, private_network, crate";

/// Where the keys are written, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// `#[cors(...)]`.
    Attribute,
    /// `cors_policy!(NAME, ...)`.
    Policy,
}

/// One string of a list, with the span of its literal.
#[derive(Clone)]
pub(crate) struct Item {
    pub(crate) value: String,
    pub(crate) span: Span,
}

/// A list argument, with the span of the whole list.
pub(crate) struct List {
    pub(crate) items: Vec<Item>,
    pub(crate) span: Span,
    /// Some entries (or the whole value) could not be read and were reported already; rules
    /// about the list as a whole ("empty") would only repeat that error.
    pub(crate) incomplete: bool,
}

/// Where the allowed origins come from.
pub(crate) enum Origins {
    /// Written in the attribute.
    List(List),
    /// The path of an `OriginSource` static, filled at start-up.
    Source(syn::Path),
}

impl Origins {
    pub(crate) fn list(&self) -> Option<&List> {
        match self {
            Origins::List(list) => Some(list),
            Origins::Source(_) => None,
        }
    }
}

/// A named policy, as its `cors_policy!` macro hands it back to `#[cors]`: its name and its
/// keys (`None` when the definition broke a rule, which was reported there).
pub(crate) struct Named {
    pub(crate) name: Ident,
    pub(crate) args: Option<Box<CorsArgs>>,
}

/// What `#[cors(...)]` says, parsed.
#[derive(Default)]
pub(crate) struct CorsArgs {
    pub(crate) origins: Option<Origins>,
    pub(crate) methods: Option<List>,
    pub(crate) headers: Option<List>,
    pub(crate) expose: Option<List>,
    pub(crate) credentials: Option<Span>,
    pub(crate) max_age: Option<(u64, Span)>,
    pub(crate) private_network: Option<Span>,
    pub(crate) krate: Option<syn::Path>,
    /// `policy = API`, with the span of the key.
    pub(crate) policy: Option<(syn::Path, Span)>,
    /// A `policy` key was written, readable or not: a missing `origins` is then no error.
    pub(crate) policy_written: bool,
    /// The named policy's keys, once its macro handed them back.
    pub(crate) named: Option<Named>,
}

impl CorsArgs {
    /// The `origins` list written in the attribute, if any.
    pub(crate) fn origin_list(&self) -> Option<&List> {
        self.origins.as_ref().and_then(Origins::list)
    }
}

/// `key`, `key = value`, or `key(tokens)` (only the internal `__policy(..)` uses the last).
struct Entry {
    key: Ident,
    value: Option<Expr>,
    group: Option<proc_macro2::TokenStream>,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        let mut entry = Entry {
            key,
            value: None,
            group: None,
        };
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            entry.value = Some(input.parse()?);
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            entry.group = Some(content.parse()?);
        }
        Ok(entry)
    }
}

/// The key `#[cors]` is given by a named policy's macro: `__policy(NAME, keys...)`, or
/// `__policy(NAME, invalid)` for a policy whose definition broke a rule.
const NAMED: &str = "__policy";

fn named(group: proc_macro2::TokenStream, errors: &mut Errors) -> Option<Named> {
    let parsed = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let name: Ident = input.parse()?;
            input.parse::<Token![,]>()?;
            let rest: proc_macro2::TokenStream = input.parse()?;
            Ok((name, rest))
        },
        group,
    );
    let (name, rest) = parsed.map_err(|e| errors.push(e)).ok()?;
    if rest.to_string() == "invalid" {
        return Some(Named { name, args: None });
    }
    let args = parse(rest, Site::Policy, errors)
        .map_err(|e| errors.push(e))
        .ok()?;
    Some(Named {
        name,
        args: Some(Box::new(args)),
    })
}

/// Sets a key once; a second occurrence is an error on the second key.
fn set<T>(slot: &mut Option<T>, key: &Ident, value: Option<T>, errors: &mut Errors) {
    if slot.is_some() {
        errors.push(error(
            key.span(),
            format!("`{key}` is given twice"),
            format!("keep one `{key}`"),
        ));
    } else if value.is_some() {
        *slot = value;
    }
}

/// Parses the arguments; syntax errors of individual keys are collected in `errors`, and the
/// keys that parsed are still returned so that the policy rules can check them too.
pub(crate) fn parse(
    tokens: proc_macro2::TokenStream,
    site: Site,
    errors: &mut Errors,
) -> syn::Result<CorsArgs> {
    let entries =
        syn::parse::Parser::parse2(Punctuated::<Entry, Token![,]>::parse_terminated, tokens)?;
    let mut args = CorsArgs::default();
    for Entry { key, value, group } in entries {
        let name = key.unraw().to_string();
        match (name.as_str(), group) {
            (NAMED, Some(group)) => {
                let v = named(group, errors);
                set(&mut args.named, &key, v, errors)
            }
            (_, Some(group)) => errors.push(error_spanned(
                group,
                format!("`{key}` is written `{key} = value`, not `{key}(..)`"),
                format!("write `{key} = ..`"),
            )),
            ("origins", None) => {
                let v = origins(&key, value, errors);
                set(&mut args.origins, &key, v, errors)
            }
            ("policy", None) => {
                args.policy_written = true;
                let v = policy(&key, value, errors);
                set(&mut args.policy, &key, v, errors)
            }
            ("methods", None) => {
                let v = list(&key, value, "GET, PUT", method_item, errors);
                set(&mut args.methods, &key, v, errors)
            }
            ("headers", None) => {
                let v = list(
                    &key,
                    value,
                    "\"content-type\", \"x-request-id\"",
                    string_item,
                    errors,
                );
                set(&mut args.headers, &key, v, errors)
            }
            ("expose", None) => {
                let v = list(&key, value, "\"x-total-count\"", string_item, errors);
                set(&mut args.expose, &key, v, errors)
            }
            ("credentials", None) => {
                let v = flag(&key, value, errors);
                set(&mut args.credentials, &key, v, errors)
            }
            ("private_network", None) => {
                let v = flag(&key, value, errors);
                set(&mut args.private_network, &key, v, errors)
            }
            ("max_age", None) => {
                let v = max_age(&key, value, errors);
                set(&mut args.max_age, &key, v, errors)
            }
            ("crate", None) => {
                let v = krate(&key, value, errors);
                set(&mut args.krate, &key, v, errors)
            }
            _ => {
                let (what, keys) = match site {
                    Site::Attribute => ("#[cors]", KEYS),
                    Site::Policy => ("cors_policy!", POLICY_KEYS),
                };
                let known = suggest(&name).filter(|k| keys.split(", ").any(|key| key == *k));
                errors.push(error(
                    key.span(),
                    format!("unknown key `{key}` in {what}"),
                    match known {
                        Some(known) => format!("did you mean `{known}`? The keys are: {keys}"),
                        None => format!("the keys are: {keys}"),
                    },
                ))
            }
        }
    }
    Ok(args)
}

/// The known key an unknown one most likely meant: one it contains (`allowed_origins`,
/// `expose_headers`, `max_age_secs`) or that contains it (`private`), else one a typo or two
/// away (`orgins`, `credentails`).
fn suggest(unknown: &str) -> Option<&'static str> {
    // `expose` before `headers`, for `expose_headers`.
    const BY_PRIORITY: [&str; 9] = [
        "origins",
        "methods",
        "expose",
        "headers",
        "credentials",
        "max_age",
        "private_network",
        "policy",
        "crate",
    ];
    let unknown = unknown.to_ascii_lowercase();
    let contained = |k: &&str| {
        unknown.contains(k.trim_end_matches('s'))
            || (unknown.len() >= 4 && k.contains(unknown.as_str()))
    };
    BY_PRIORITY
        .iter()
        .copied()
        .find(|k| contained(k))
        .or_else(|| {
            BY_PRIORITY
                .iter()
                .copied()
                .min_by_key(|k| distance(&unknown, k))
                .filter(|k| distance(&unknown, k) <= 2)
        })
}

/// Levenshtein distance between two short ASCII strings.
fn distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn list(
    key: &Ident,
    value: Option<Expr>,
    example: &str,
    item: fn(&Expr) -> Result<Item, syn::Error>,
    errors: &mut Errors,
) -> Option<List> {
    let span = value.as_ref().map_or(key.span(), Spanned::span);
    let Some(Expr::Array(ExprArray { elems, .. })) = &value else {
        let message = format!("`{key}` takes a list, in square brackets");
        let help = format!("write `{key} = [{example}]`");
        errors.push(match &value {
            Some(value) => error_spanned(value, message, help),
            None => error(key.span(), message, help),
        });
        return Some(List {
            items: Vec::new(),
            span,
            incomplete: true,
        });
    };
    let mut items = Vec::new();
    let mut incomplete = false;
    for elem in elems {
        match item(elem) {
            Ok(i) => items.push(i),
            Err(e) => {
                errors.push(e);
                incomplete = true;
            }
        }
    }
    Some(List {
        items,
        span,
        incomplete,
    })
}

/// `origins = ["https://app.example.com", ..]`, or `origins = SOURCE`: the path of an
/// `OriginSource` static.
fn origins(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<Origins> {
    match &value {
        Some(Expr::Path(p)) if p.qself.is_none() => {
            return Some(Origins::Source(p.path.clone()));
        }
        Some(Expr::Array(_)) => {}
        Some(other) => {
            errors.push(error_spanned(
                other,
                "`origins` takes a list, in square brackets, or the name of an `OriginSource` static",
                "write `origins = [\"https://app.example.com\"]`, or `origins = FRONTEND` for origins filled at start-up",
            ));
            // Reported: an unreadable list, so that "empty" is not reported as well.
            return Some(Origins::List(List {
                items: Vec::new(),
                span: other.span(),
                incomplete: true,
            }));
        }
        None => {}
    }
    list(
        key,
        value,
        "\"https://app.example.com\"",
        origin_item,
        errors,
    )
    .map(Origins::List)
}

fn origin_item(expr: &Expr) -> Result<Item, syn::Error> {
    match expr {
        Expr::Path(_) => Err(error_spanned(
            expr,
            "#[cors] needs the origin itself here, not the name of a constant: it checks the origins when the crate compiles",
            "write the origin as a string literal; for origins known only at start-up, name an `OriginSource` static without the brackets: `origins = FRONTEND`",
        )),
        other => string_item(other),
    }
}

fn policy(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<(syn::Path, Span)> {
    let help = "write `policy = API`, the name given to `cors_policy!`";
    match value {
        Some(Expr::Path(p)) if p.qself.is_none() => Some((p.path, key.span())),
        Some(other) => {
            errors.push(error_spanned(
                other,
                "`policy` takes the name of a policy defined with `cors_policy!`",
                help,
            ));
            None
        }
        None => {
            errors.push(error(
                key.span(),
                "`policy` needs the name of a policy",
                help,
            ));
            None
        }
    }
}

fn string_item(expr: &Expr) -> Result<Item, syn::Error> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Ok(Item { value: s.value(), span: s.span() }),
        Expr::Path(_) => Err(error_spanned(
            expr,
            "#[cors] needs the string itself here, not the name of a constant: it checks the policy when the crate compiles",
            "write the value as a string literal, in double quotes",
        )),
        other => Err(error_spanned(other, "expected a string literal", "write the value in double quotes")),
    }
}

fn method_item(expr: &Expr) -> Result<Item, syn::Error> {
    match expr {
        Expr::Path(p) if p.path.get_ident().is_some() && p.qself.is_none() => {
            let ident = p.path.get_ident().expect("checked above");
            Ok(Item { value: ident.unraw().to_string(), span: ident.span() })
        }
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Ok(Item { value: s.value(), span: s.span() }),
        other => Err(error_spanned(
            other,
            "expected a method name",
            "write methods as bare names, as in `methods = [GET, PUT]` (or as strings for methods that are not identifiers)",
        )),
    }
}

fn flag(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<Span> {
    match value {
        None => Some(key.span()),
        Some(v) => {
            errors.push(error_spanned(
                v,
                format!("`{key}` is a flag and takes no value"),
                format!("write `{key}` to turn it on, or leave it out"),
            ));
            None
        }
    }
}

fn max_age(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<(u64, Span)> {
    let help = "write a whole number of seconds from 0 to 86400, as in `max_age = 600`";
    let Some(value) = value else {
        errors.push(error(key.span(), "`max_age` needs a value", help));
        return None;
    };
    let result = match &value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) if i.suffix().is_empty() => i
            .base10_parse::<u64>()
            .map_err(|_| error(i.span(), "`max_age` is too large", help)),
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        }) => Err(error(
            i.span(),
            format!(
                "`max_age` takes a plain number, not one with a type suffix (`{}`)",
                i.suffix()
            ),
            help,
        )),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            ..
        }) => Err(error_spanned(&value, "`max_age` cannot be negative", help)),
        Expr::Lit(syn::ExprLit {
            lit: Lit::Float(_), ..
        }) => Err(error_spanned(
            &value,
            "`max_age` must be a whole number of seconds",
            help,
        )),
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(_), ..
        }) => Err(error_spanned(
            &value,
            "`max_age` takes a number, not a string",
            help,
        )),
        _ => Err(error_spanned(
            &value,
            "`max_age` must be written as a number: #[cors] reads it when the crate compiles",
            help,
        )),
    };
    result
        .map(|age| (age, value.span()))
        .map_err(|e| errors.push(e))
        .ok()
}

fn krate(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<syn::Path> {
    let help = "write `crate = my_reexport::actix_route_cors` (the path where the facade crate is reachable)";
    match value {
        Some(Expr::Path(p)) if p.qself.is_none() => Some(p.path),
        Some(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) => s.parse().map_err(|e| errors.push(e)).ok(),
        Some(other) => {
            errors.push(error_spanned(other, "`crate` takes a path", help));
            None
        }
        None => {
            errors.push(error(key.span(), "`crate` needs a path", help));
            None
        }
    }
}
