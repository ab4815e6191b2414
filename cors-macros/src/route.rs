//! Reading the actix-web route attribute(s) written below `#[cors]`: `#[get]` … `#[trace]`,
//! `#[route]`, `#[routes]`, plain or `actix_web::`-qualified. `#[cors]` takes their place: it
//! writes the registration they would have written, plus the preflight resource.

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, ItemFn, Lit, LitStr, MetaNameValue, Token};

use crate::errors::{error, error_spanned, Errors};

/// The single-method route attributes of actix-web, and the method each stands for.
const METHOD_ATTRS: [(&str, &str); 10] = [
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("patch", "PATCH"),
    ("delete", "DELETE"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("trace", "TRACE"),
    ("connect", "CONNECT"),
    ("query", "QUERY"),
];

const WHERE: &str = "write `#[cors(...)]` directly above the route attribute, as in\n\n    #[cors(origins = [\"https://app.example.com\"])]\n    #[get(\"/items\")]\n    async fn list_items() -> impl Responder { .. }";

const MOVE_ABOVE: &str = "write `#[cors(...)]` directly above the route attribute (written below it, #[cors] sees only the bare function, because the route attribute runs first), as in\n\n    #[cors(origins = [\"https://app.example.com\"])]\n    #[get(\"/items\")]\n    async fn list_items() -> impl Responder { .. }";

/// One resource of the route: what one `#[get(..)]` or `#[route(..)]` says.
pub(crate) struct Resource {
    pub(crate) path: LitStr,
    pub(crate) methods: Vec<String>,
    pub(crate) name: Option<LitStr>,
    pub(crate) guards: Vec<syn::Path>,
    pub(crate) wraps: Vec<Expr>,
}

/// The handler and its resources.
pub(crate) struct Route {
    pub(crate) resources: Vec<Resource>,
    /// The handler without its route attributes.
    pub(crate) handler: ItemFn,
    /// The paths of the route attributes, as written (`get`, `actix_web::routes`...).
    pub(crate) attr_paths: Vec<syn::Path>,
}

impl Route {
    /// Every method the route serves, in the order written, without repeats.
    pub(crate) fn methods(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for m in self.resources.iter().flat_map(|r| &r.methods) {
            if !all.contains(m) {
                all.push(m.clone());
            }
        }
        all
    }
}

enum Kind {
    Method(&'static str),
    Route,
    Routes,
}

fn kind(attr: &Attribute) -> Option<Kind> {
    let path = attr.path();
    let segments: Vec<_> = path.segments.iter().collect();
    let last = match segments.as_slice() {
        [only] => only,
        [krate, last] if krate.ident == "actix_web" => last,
        _ => return None,
    };
    let name = last.ident.to_string();
    match name.as_str() {
        "route" => Some(Kind::Route),
        "routes" => Some(Kind::Routes),
        _ => METHOD_ATTRS
            .iter()
            .find(|(a, _)| *a == name)
            .map(|(_, m)| Kind::Method(m)),
    }
}

/// Attributes the compiler itself understands on a function (and tool attributes): they stay
/// on the handler. Any other attribute below `#[cors]` is another crate's attribute macro.
const BUILT_IN: [&str; 17] = [
    "allow",
    "cfg",
    "cfg_attr",
    "cold",
    "deny",
    "deprecated",
    "doc",
    "expect",
    "export_name",
    "forbid",
    "inline",
    "link_section",
    "must_use",
    "no_mangle",
    "target_feature",
    "track_caller",
    "warn",
];
const TOOLS: [&str; 4] = ["clippy", "diagnostic", "rustdoc", "rustfmt"];

/// Another crate's attribute macro (`#[utoipa::path(..)]`, `#[tracing::instrument]`, or one
/// imported by name), as opposed to a route attribute or a built-in attribute.
fn is_foreign(attr: &Attribute) -> bool {
    let path = attr.path();
    let first = path.segments.first().map(|s| s.ident.to_string());
    let built_in = match (path.segments.len(), first.as_deref()) {
        (_, Some(tool)) if TOOLS.contains(&tool) && path.segments.len() > 1 => true,
        (1, Some(name)) => BUILT_IN.contains(&name),
        _ => false,
    };
    !built_in && kind(attr).is_none()
}

/// Takes the attributes `pick` selects out of `handler`, in order.
fn take_attrs(handler: &mut ItemFn, pick: impl Fn(&Attribute) -> bool) -> Vec<Attribute> {
    let (picked, kept) = std::mem::take(&mut handler.attrs)
        .into_iter()
        .partition(|a| pick(a));
    handler.attrs = kept;
    picked
}

/// `handler` without the attribute macros of other crates written below `#[cors]`, and those
/// attributes; `None` when there are none.
pub(crate) fn split_foreign(handler: &ItemFn) -> Option<(Vec<Attribute>, ItemFn)> {
    let mut handler = handler.clone();
    let foreign = take_attrs(&mut handler, is_foreign);
    (!foreign.is_empty()).then_some((foreign, handler))
}

/// What the handler's service type needs, read without checking the route attributes (the
/// first expansion of `#[cors(policy = ..)]` writes the type; the second checks them).
pub(crate) struct Outline {
    /// The handler without its route attributes.
    pub(crate) handler: ItemFn,
    pub(crate) route_attrs: Vec<Attribute>,
    pub(crate) attr_paths: Vec<syn::Path>,
}

/// `handler` without its route attributes, and those attributes: `None` unless it has at least
/// one.
pub(crate) fn outline(handler: &ItemFn) -> Option<Outline> {
    let mut handler = handler.clone();
    let route_attrs = take_attrs(&mut handler, |a| kind(a).is_some());
    let attr_paths = route_attrs.iter().map(|a| a.path().clone()).collect();
    (!route_attrs.is_empty()).then_some(Outline {
        handler,
        route_attrs,
        attr_paths,
    })
}

/// Finds and parses the route attribute(s) of `item`; `None` when it is no handler with a route
/// attribute (reported in `errors`, with every error in the route attributes).
pub(crate) fn parse(item: &proc_macro2::TokenStream, errors: &mut Errors) -> Option<Route> {
    let mut handler: ItemFn = syn::parse2(item.clone())
        .map_err(|e| {
            errors.push(error(
                e.span(),
                "#[cors] goes on a request handler: an `async fn` with a route attribute",
                WHERE,
            ))
        })
        .ok()?;
    let mut found = Vec::new();
    let mut routes_attr = None;
    handler.attrs.retain(|attr| match kind(attr) {
        Some(Kind::Routes) => {
            routes_attr = Some(attr.clone());
            false
        }
        Some(k) => {
            found.push((k, attr.clone()));
            false
        }
        None => true,
    });
    if found.is_empty() {
        errors.push(error(
            handler.sig.ident.span(),
            "#[cors] found no route attribute such as #[get(\"/items\")] below it",
            MOVE_ABOVE,
        ));
        return None;
    }
    if routes_attr.is_none() && found.len() > 1 {
        errors.push(error_spanned(
            &found[1].1,
            "several route attributes on one handler need #[routes]",
            "write #[routes] between #[cors(...)] and the method attributes",
        ));
    }
    let mut resources = Vec::new();
    let all_attrs: Vec<Attribute> = found.iter().map(|(_, a)| a.clone()).collect();
    for (k, attr) in found {
        match (k, &routes_attr) {
            (Kind::Route, Some(_)) => errors.push(error_spanned(
                &attr,
                "#[route] cannot be combined with #[routes]",
                "inside #[routes], use one method attribute per method, such as #[get(\"/p\")]",
            )),
            (Kind::Method(m), _) => match resource(&attr, Some(m)) {
                Ok(r) => resources.push(r),
                Err(e) => errors.push(e),
            },
            (Kind::Route, None) => match resource(&attr, None) {
                Ok(r) => resources.push(r),
                Err(e) => errors.push(e),
            },
            (Kind::Routes, _) => unreachable!("#[routes] was taken out above"),
        }
    }
    let attr_paths = routes_attr
        .iter()
        .chain(&all_attrs)
        .map(|a| a.path().clone())
        .collect();
    Some(Route {
        resources,
        handler,
        attr_paths,
    })
}

struct RouteArgs {
    path: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl syn::parse::Parse for RouteArgs {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the route's path as a string, as in #[get(\"/items\")]",
            )
        })?;
        let options = if input.is_empty() {
            Punctuated::new()
        } else {
            input.parse::<Token![,]>()?;
            Punctuated::parse_terminated(input)?
        };
        Ok(Self { path, options })
    }
}

fn lit_str(nv: &MetaNameValue, what: &str) -> syn::Result<LitStr> {
    match &nv.value {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(s.clone()),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{what}` expects a string literal"),
        )),
    }
}

fn resource(attr: &Attribute, method: Option<&'static str>) -> syn::Result<Resource> {
    let args: RouteArgs = attr.parse_args()?;
    let mut r = Resource {
        path: args.path,
        methods: method.map(str::to_owned).into_iter().collect(),
        name: None,
        guards: Vec::new(),
        wraps: Vec::new(),
    };
    for nv in args.options {
        let key = nv
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "name" => r.name = Some(lit_str(&nv, "name")?),
            "guard" => r.guards.push(lit_str(&nv, "guard")?.parse()?),
            "wrap" => r.wraps.push(lit_str(&nv, "wrap")?.parse()?),
            "method" if method.is_none() => {
                let lit = lit_str(&nv, "method")?;
                let m = lit.value();
                if m.is_empty() || !m.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!("HTTP method must be uppercase: `{m}`"),
                    ));
                }
                if r.methods.contains(&m) {
                    return Err(syn::Error::new(
                        lit.span(),
                        format!("HTTP method defined more than once: `{m}`"),
                    ));
                }
                r.methods.push(m);
            }
            "method" => {
                return Err(error_spanned(
                    &nv,
                    "`method` is not an argument of a single-method route attribute",
                    "to serve several methods, use #[route(\"/path\", method = \"GET\", method = \"PUT\")] or #[routes]",
                ))
            }
            _ => {
                return Err(error(
                    nv.path.span(),
                    format!(
                        "unknown key `{}` in the route attribute",
                        nv.path.to_token_stream()
                    ),
                    if method.is_none() {
                        "the keys are: name, guard, wrap, method"
                    } else {
                        "the keys are: name, guard, wrap"
                    },
                ))
            }
        }
    }
    if r.methods.is_empty() {
        return Err(error_spanned(
            attr,
            "#[route(..)] needs at least one `method`",
            "write #[route(\"/path\", method = \"GET\", method = \"POST\")]",
        ));
    }
    Ok(r)
}
