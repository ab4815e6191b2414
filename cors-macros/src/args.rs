//! Parsing `#[cors(...)]`'s arguments into [`CorsArgs`]. Only the syntax is checked here; the
//! policy rules are in `validate`.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprArray, Ident, Lit, Token};

use crate::errors::{error, error_spanned, Errors};
use crate::keys::{self, Site};
use cors_runtime::ReportOnly;
use proc_macro2::TokenStream;
use quote::ToTokens;

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
    /// The path of an `OriginSource` static, an `OriginLookup` static or a function: origins
    /// decided at run time.
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
    pub(crate) writes_from_any_origin: Option<Span>,
    pub(crate) dangerously_trust_http_origins: Option<Span>,
    pub(crate) websocket: Option<Span>,
    /// `report_only` (everything) or `report_only = writes`, with the span of the key.
    pub(crate) report_only: Option<(ReportOnly, Span)>,
    pub(crate) krate: Option<syn::Path>,
    /// `policy = API`, with the span of the key.
    pub(crate) policy: Option<(syn::Path, Span)>,
    /// A `policy` key was written, readable or not: a missing `origins` is then no error.
    pub(crate) policy_written: bool,
    /// The keys written (but `policy`), in order, each with where its value is.
    pub(crate) written: Vec<(&'static str, At)>,
}

/// Where a key's value is written, for an error that underlines it.
pub(crate) enum At {
    Span(Span),
    /// A path (`::actix_route_cors`, `crate::FRONTEND`): a `Span` of several tokens would
    /// underline only the first one on stable.
    Tokens(TokenStream),
}

/// A parsed value that knows where it is written.
trait Located {
    fn at(&self) -> At;
}

impl Located for List {
    fn at(&self) -> At {
        At::Span(self.span)
    }
}

impl Located for Span {
    fn at(&self) -> At {
        At::Span(*self)
    }
}

impl<T> Located for (T, Span) {
    fn at(&self) -> At {
        At::Span(self.1)
    }
}

impl Located for syn::Path {
    fn at(&self) -> At {
        At::Tokens(self.to_token_stream())
    }
}

impl Located for Origins {
    fn at(&self) -> At {
        match self {
            Origins::List(l) => l.at(),
            Origins::Source(path) => path.at(),
        }
    }
}

impl CorsArgs {
    /// The `origins` list written in the attribute, if any.
    pub(crate) fn origin_list(&self) -> Option<&List> {
        self.origins.as_ref().and_then(Origins::list)
    }

    /// The `OriginSource`, `OriginLookup` or function named by `origins = NAME`, if any.
    pub(crate) fn origin_source(&self) -> Option<&syn::Path> {
        match &self.origins {
            Some(Origins::Source(path)) => Some(path),
            _ => None,
        }
    }
}

/// `key`, `key = value`, or `key(tokens)` (no key takes the last: it is read to say so).
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

/// Sets a key once; a second occurrence is an error on the second key.
fn set_once<T>(slot: &mut Option<T>, key: &Ident, value: Option<T>, errors: &mut Errors) -> bool {
    if slot.is_some() {
        errors.push(error(
            key.span(),
            format!("`{key}` is given twice"),
            format!("keep one `{key}`"),
        ));
        false
    } else if value.is_some() {
        *slot = value;
        true
    } else {
        false
    }
}

/// [`set_once`], recording where the key's value is written.
fn set<T: Located>(
    written: &mut Vec<(&'static str, At)>,
    slot: &mut Option<T>,
    key: &Ident,
    value: Option<T>,
    errors: &mut Errors,
) {
    if set_once(slot, key, value, errors) {
        let name = key.unraw().to_string();
        if let (Some(known), Some(value)) = (keys::KEYS.iter().find(|k| k.name == name), slot) {
            written.push((known.name, value.at()));
        }
    }
}

/// Parses the arguments; syntax errors of individual keys are collected in `errors`, and the
/// keys that parsed are still returned so that the policy rules can check them too. `None`
/// when the arguments are not a list of keys at all (reported in `errors`).
pub(crate) fn parse(
    tokens: proc_macro2::TokenStream,
    site: Site,
    errors: &mut Errors,
) -> Option<CorsArgs> {
    let entries =
        syn::parse::Parser::parse2(Punctuated::<Entry, Token![,]>::parse_terminated, tokens)
            .map_err(|e| errors.push(e))
            .ok()?;
    let mut args = CorsArgs::default();
    for Entry { key, value, group } in entries {
        let name = key.unraw().to_string();
        match (name.as_str(), group) {
            (_, Some(group)) => errors.push(error_spanned(
                group,
                format!("`{key}` is written `{key} = value`, not `{key}(..)`"),
                format!("write `{key} = ..`"),
            )),
            ("origins", None) => {
                let v = origins(&key, value, errors);
                set(&mut args.written, &mut args.origins, &key, v, errors)
            }
            ("policy", None) => {
                args.policy_written = true;
                let v = policy(&key, value, errors);
                set_once(&mut args.policy, &key, v, errors);
            }
            ("methods", None) => {
                let v = list(&key, value, "GET, PUT", method_item, errors);
                set(&mut args.written, &mut args.methods, &key, v, errors)
            }
            ("headers", None) => {
                let v = list(
                    &key,
                    value,
                    "\"content-type\", \"x-request-id\"",
                    string_item,
                    errors,
                );
                set(&mut args.written, &mut args.headers, &key, v, errors)
            }
            ("expose", None) => {
                let v = list(&key, value, "\"x-total-count\"", string_item, errors);
                set(&mut args.written, &mut args.expose, &key, v, errors)
            }
            ("credentials", None) => {
                let v = flag(&key, value, errors);
                set(&mut args.written, &mut args.credentials, &key, v, errors)
            }
            ("private_network", None) => {
                let v = flag(&key, value, errors);
                set(
                    &mut args.written,
                    &mut args.private_network,
                    &key,
                    v,
                    errors,
                )
            }
            ("writes_from_any_origin", None) => {
                let v = flag(&key, value, errors);
                set(
                    &mut args.written,
                    &mut args.writes_from_any_origin,
                    &key,
                    v,
                    errors,
                )
            }
            ("dangerously_trust_http_origins", None) => {
                let v = flag(&key, value, errors);
                set(
                    &mut args.written,
                    &mut args.dangerously_trust_http_origins,
                    &key,
                    v,
                    errors,
                )
            }
            ("report_only", None) => {
                let v = report_only(&key, value, errors);
                set(&mut args.written, &mut args.report_only, &key, v, errors)
            }
            ("websocket", None) => {
                let v = flag(&key, value, errors);
                set(&mut args.written, &mut args.websocket, &key, v, errors)
            }
            ("max_age", None) => {
                let v = max_age(&key, value, errors);
                set(&mut args.written, &mut args.max_age, &key, v, errors)
            }
            ("crate", None) => {
                let v = krate(&key, value, errors);
                set(&mut args.written, &mut args.krate, &key, v, errors)
            }
            _ => {
                let listed = site.keys();
                errors.push(error(
                    key.span(),
                    format!("unknown key `{key}` in {}", site.name()),
                    match keys::suggest(&name, site) {
                        Some(known) => format!("did you mean `{known}`? The keys are: {listed}"),
                        None => format!("the keys are: {listed}"),
                    },
                ))
            }
        }
    }
    Some(args)
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

/// `origins = ["https://app.example.com", ..]`, or `origins = NAME`: the path of an
/// `OriginSource` static, an `OriginLookup` static or a function.
fn origins(key: &Ident, value: Option<Expr>, errors: &mut Errors) -> Option<Origins> {
    match &value {
        Some(Expr::Path(p)) if p.qself.is_none() => {
            return Some(Origins::Source(p.path.clone()));
        }
        Some(Expr::Array(_)) => {}
        Some(other) => {
            errors.push(error_spanned(
                other,
                "`origins` takes a list, in square brackets, or the name of an `OriginSource`, an `OriginLookup` or a function",
                "write `origins = [\"https://app.example.com\"]`, or `origins = FRONTEND` for origins decided at run time (an `OriginSource` or `OriginLookup` static, or a `fn(&str, &RequestHead) -> bool`)",
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
            "write the origin as a string literal; for origins known only at start-up, name an `OriginSource` static (or an `OriginLookup`, or a function) without the brackets: `origins = FRONTEND`",
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

/// `report_only` alone (the whole policy), or `report_only = writes` (the refusals before the
/// handler only).
fn report_only(
    key: &Ident,
    value: Option<Expr>,
    errors: &mut Errors,
) -> Option<(ReportOnly, Span)> {
    match value {
        None => Some((ReportOnly::Everything, key.span())),
        Some(Expr::Path(path)) if path.path.is_ident("writes") => {
            Some((ReportOnly::Writes, key.span()))
        }
        Some(other) => {
            errors.push(error_spanned(
                other,
                "`report_only` is written alone (the whole policy is only reported) or as `report_only = writes` (only the refusals of cross-origin writes and WebSocket handshakes)",
                "write `report_only` or `report_only = writes`",
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
