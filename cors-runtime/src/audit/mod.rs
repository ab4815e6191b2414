//! Every `#[cors]` route of the program, for review: which paths other origins may read, with
//! which methods, headers, credentials and cache lifetime.
//!
//! The `#[cors]` macro registers each route's policy in a program-wide list (with the
//! [`inventory`](https://docs.rs/inventory) crate) when it expands, so the list holds every
//! `#[cors]` route compiled into the program, registered in an `App` or not, and needs no
//! server to be started.
//!
//! With `actix-route-cors`, `audit::routes()` lists the `#[cors]` handlers:
//!
//! ```text
//! #[cors(origins = ["https://app.example.com"], credentials, max_age = 600)]
//! #[get("/me")]
//! async fn me() -> HttpResponse { .. }
//!
//! print!("{}", audit::Table(&audit::routes()));
//! ```
//!
//! The table of a route built by hand (as the macro builds it):
//!
//! ```
//! use cors_runtime::actix::{RouteCors, RouteInfo};
//! use cors_runtime::rules::{validate, PolicyInput};
//! use cors_runtime::{audit, Policy};
//!
//! let valid = validate(&PolicyInput {
//!     origins: &["https://app.example.com"],
//!     route_methods: &["GET"],
//!     credentials: true,
//!     max_age: Some(600),
//!     ..PolicyInput::default()
//! })
//! .unwrap();
//! let me: &'static RouteCors = Box::leak(Box::new(RouteCors::with_info(
//!     Policy::from_valid(&valid),
//!     RouteInfo::new("me", "/me", &["GET"], None),
//! )));
//! assert_eq!(
//!     audit::Table(&[me]).to_string(),
//!     "PATH  METHODS  ORIGINS                  CREDENTIALS  HEADERS  EXPOSE  MAX AGE  HANDLER  POLICY\n\
//!      /me   GET      https://app.example.com  yes          -        -       600      me       -\n"
//! );
//! ```

use std::fmt;

mod json;

pub use json::{Json, JSON_VERSION};

use crate::actix::RouteCors;
use crate::origin_pattern::PatternList;
use crate::policy::{AllowedOrigins, Policy};
use crate::SourceKind;

/// One route's entry in the program-wide list. Written by the `#[cors]` macro; not a public API.
#[doc(hidden)]
pub struct Registered(pub &'static RouteCors);

inventory::collect!(Registered);

/// Every `#[cors]` route of the program, sorted by path, then by handler name.
///
/// ```
/// use cors_runtime::audit;
///
/// // A CI check a team might write: no credentialed route accepts preflights for DELETE.
/// for route in audit::routes() {
///     let policy = route.policy();
///     assert!(
///         !(policy.credentials() && policy.methods().contains(&"DELETE")),
///         "{} ({}) lets other origins delete with the user's cookies",
///         route.info().path(),
///         route.info().handler(),
///     );
/// }
/// ```
pub fn routes() -> Vec<&'static RouteCors> {
    let mut routes: Vec<&'static RouteCors> = inventory::iter::<Registered>
        .into_iter()
        .map(|r| r.0)
        .collect();
    routes.sort_by_key(|r| (r.info().path(), r.info().handler()));
    routes
}

/// Routes as a plain-text table, one line per route and a header line, columns aligned:
/// `PATH` (the full paths the route is mounted at, once an app with
/// [`CorsFirst`](crate::actix::CorsFirst) has served a request: see
/// [`RouteCors::mounted_paths`]; else the path written in the attribute), `METHODS` (served; a narrower preflight list is shown after it), `ORIGINS` (or their
/// source), `CREDENTIALS`, `HEADERS`, `EXPOSE`, `MAX AGE`, `HANDLER`, `POLICY`. Lines end
/// without trailing spaces. The [module documentation](self) prints one; [`row`] shows the
/// cells of a route whose preflight methods are narrower than the route's.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a>(pub &'a [&'static RouteCors]);

/// The column names of [`Table`], in order: the header of a CSV export, say.
///
/// ```
/// use cors_runtime::audit;
///
/// let mut csv = audit::COLUMNS.join(",");
/// for route in audit::routes() {
///     csv.push('\n');
///     csv.push_str(&audit::row(route).map(|cell| format!("{cell:?}")).join(","));
/// }
/// assert!(csv.starts_with("PATH,METHODS,ORIGINS,CREDENTIALS,"));
/// ```
pub const COLUMNS: [&str; 9] = [
    "PATH",
    "METHODS",
    "ORIGINS",
    "CREDENTIALS",
    "HEADERS",
    "EXPOSE",
    "MAX AGE",
    "HANDLER",
    "POLICY",
];

/// The cells of one route, in the order of [`Table`]'s columns (`-` for a header not sent).
///
/// ```
/// # use cors_runtime::actix::{RouteCors, RouteInfo};
/// # use cors_runtime::rules::{validate, PolicyInput};
/// # use cors_runtime::Policy;
/// # let valid = validate(&PolicyInput {
/// #     origins: &["https://app.example.com"],
/// #     route_methods: &["GET", "POST"],
/// #     methods: Some(&["POST"]),
/// #     headers: &["content-type"],
/// #     credentials: true,
/// #     ..PolicyInput::default()
/// # })
/// # .unwrap();
/// // The route `#[cors(policy = SPA, methods = [POST], headers = ["content-type"])]` over
/// // `#[routes] #[get("/orders")] #[post("/orders")] async fn orders()`, built by hand:
/// let orders: &'static RouteCors = Box::leak(Box::new(RouteCors::with_info(
///     Policy::from_valid(&valid),
///     RouteInfo::new("orders", "/orders", &["GET", "POST"], Some("SPA")),
/// )));
/// assert_eq!(
///     cors_runtime::audit::row(orders),
///     ["/orders", "GET, POST (preflight: POST)", "https://app.example.com", "yes", "content-type", "-", "-", "orders", "SPA"]
/// );
/// ```
pub fn row(route: &RouteCors) -> [String; 9] {
    let info = route.info();
    let policy = route.policy();
    let served = info.methods().join(", ");
    let methods = if policy.methods() == info.methods() {
        served
    } else {
        format!("{served} (preflight: {})", policy.methods().join(", "))
    };
    let dash = |v: Option<&str>| v.unwrap_or("-").to_owned();
    let mounted = route.mounted_paths();
    let path = if mounted.is_empty() {
        info.path().to_owned()
    } else {
        mounted.join(", ")
    };
    [
        path,
        methods,
        origins(policy),
        if policy.credentials() { "yes" } else { "no" }.to_owned(),
        dash(policy.allow_headers_value()),
        dash(policy.expose_value()),
        dash(policy.max_age_value()),
        info.handler().to_owned(),
        dash(info.policy_name()),
    ]
}

fn origins(policy: &Policy) -> String {
    let mut out = match policy.origins() {
        AllowedOrigins::Any => "*".to_owned(),
        AllowedOrigins::List(patterns) => PatternList(patterns).to_string(),
        AllowedOrigins::Configured(source) => {
            let from = match source.kind() {
                SourceKind::Env(var) => format!("env {var}"),
                SourceKind::Startup(what) => what.to_owned(),
            };
            match source.origins() {
                Some(list) => format!("{from}: {}", list.join(", ")),
                None => format!("{from}: (not loaded)"),
            }
        }
        AllowedOrigins::Function(function) => format!("fn {}", function.name()),
        AllowedOrigins::Lookup(lookup) => format!("lookup {}", lookup.description()),
    };
    if policy.private_network() {
        out.push_str(" (+ private network)");
    }
    out
}

impl fmt::Display for Table<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<[String; 9]> = self.0.iter().map(|r| row(r)).collect();
        let mut widths = COLUMNS.map(str::len);
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, cells: &[&str]| -> fmt::Result {
            let last = cells.len() - 1;
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i == last {
                    writeln!(f, "{cell}")?;
                } else {
                    write!(f, "{cell:<w$}  ")?;
                }
            }
            Ok(())
        };
        line(f, &COLUMNS)?;
        for row in &rows {
            line(f, &row.each_ref().map(String::as_str))?;
        }
        Ok(())
    }
}
