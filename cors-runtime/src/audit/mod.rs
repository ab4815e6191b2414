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
//! print!("{}", audit::Table::new(&audit::routes()));
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
//!     audit::Table::new(&[me]).to_string(),
//!     "PATH  METHODS  ORIGINS                  CREDENTIALS  WRITES  HEADERS  EXPOSE  MAX AGE  MODE      HANDLER  POLICY\n\
//!      /me   GET      https://app.example.com  yes          -       -        -       600      enforced  me       -\n"
//! );
//! ```

use crate::grammar::is_safe_method;
use std::fmt;

mod json;

pub use json::{Json, JSON_VERSION};

use crate::actix::{Mounted, RouteCors};
use crate::origin_pattern::PatternList;
use crate::origin_source::SourceKind;
use crate::origins::AllowedOrigins;
use crate::policy::Policy;

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
/// `PATH`, `METHODS` (served; a narrower preflight list is shown after it, and `(WebSocket)`
/// after those of a route declared a WebSocket endpoint), `ORIGINS` (or their
/// source), `CREDENTIALS` (`yes` on a WebSocket route: browsers send cookies with every
/// handshake), `WRITES` (what becomes of a cross-origin write from an origin the policy does
/// not allow: `refused`, `allowed`, or `-` on a route that serves no write), `HEADERS`,
/// `EXPOSE`, `MAX AGE` (`-` for a header not sent), `MODE` (`enforced`, `report-only` or
/// `report-only writes`, as in force now: see [`ReportOnly`](crate::ReportOnly)), `HANDLER`,
/// `POLICY`. Lines end without trailing spaces. The [module documentation](self) prints one.
///
/// `PATH` is the path written in the route attribute; with [`mounted`](Table::mounted), the
/// full paths the route is mounted at in that app (`web::scope` prefixes included).
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    routes: &'a [&'static RouteCors],
    mounted: Option<&'a Mounted>,
}

impl<'a> Table<'a> {
    /// The table of `routes` (usually [`routes()`]).
    pub fn new(routes: &'a [&'static RouteCors]) -> Self {
        Self {
            routes,
            mounted: None,
        }
    }

    /// The table with the full paths at which the routes are mounted in one app.
    pub fn mounted(self, mounted: &'a Mounted) -> Self {
        Self {
            mounted: Some(mounted),
            ..self
        }
    }
}

/// The column names of [`Table`], in order.
const COLUMNS: [&str; 11] = [
    "PATH",
    "METHODS",
    "ORIGINS",
    "CREDENTIALS",
    "WRITES",
    "HEADERS",
    "EXPOSE",
    "MAX AGE",
    "MODE",
    "HANDLER",
    "POLICY",
];

/// The paths of `route` to show: its full paths in `mounted`, if it is mounted there; else the
/// path written in the attribute.
fn paths(route: &RouteCors, mounted: Option<&Mounted>) -> Vec<String> {
    let full = mounted.map(|m| m.paths(route)).unwrap_or_default();
    match full.is_empty() {
        true => vec![route.info().path().to_owned()],
        false => full.into_iter().map(str::to_owned).collect(),
    }
}

/// The cells of one route, in the order of [`Table`]'s columns (`-` for a header not sent).
fn row(route: &RouteCors, mounted: Option<&Mounted>) -> [String; 11] {
    let info = route.info();
    let policy = route.policy();
    let served = info.methods().join(", ");
    let methods = if info.is_websocket() {
        format!("{served} (WebSocket)")
    } else if policy.methods() == info.methods() {
        served
    } else {
        format!("{served} (preflight: {})", policy.methods().join(", "))
    };
    let dash = |v: Option<&str>| v.unwrap_or("-").to_owned();
    [
        paths(route, mounted).join(", "),
        methods,
        origins(policy),
        // Browsers send cookies with every WebSocket handshake.
        if policy.credentials() || info.is_websocket() {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        writes(route).to_owned(),
        dash(policy.allow_headers_value()),
        dash(policy.expose_value()),
        dash(policy.max_age_value()),
        policy.report_only().in_force().to_string(),
        info.handler().to_owned(),
        dash(info.policy_name()),
    ]
}

/// What becomes of a cross-origin write from an origin the policy does not allow: `refused`
/// (before the handler), `allowed`, or `-` on a route that serves only safe methods.
fn writes(route: &RouteCors) -> &'static str {
    if route
        .info()
        .methods()
        .iter()
        .all(|m| is_safe_method(m.as_bytes()))
    {
        "-"
    } else if route.policy().protects_writes() {
        "refused"
    } else {
        "allowed"
    }
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
        let rows: Vec<[String; 11]> = self.routes.iter().map(|r| row(r, self.mounted)).collect();
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

#[cfg(test)]
mod tests {
    use super::row;
    use crate::actix::{RouteCors, RouteInfo};
    use crate::rules::{validate, PolicyInput};
    use crate::Policy;

    #[test]
    fn a_row_shows_preflight_methods_narrower_than_the_routes() {
        let valid = validate(&PolicyInput {
            origins: &["https://app.example.com"],
            route_methods: &["GET", "POST"],
            methods: Some(&["POST"]),
            headers: &["content-type"],
            credentials: true,
            ..PolicyInput::default()
        })
        .unwrap();
        // The route `#[cors(policy = SPA, methods = [POST], headers = ["content-type"])]` over
        // `#[routes] #[get("/orders")] #[post("/orders")] async fn orders()`, built by hand:
        let orders = RouteCors::with_info(
            Policy::from_valid(&valid),
            RouteInfo::new("orders", "/orders", &["GET", "POST"], Some("SPA")),
        );
        assert_eq!(
            row(&orders, None),
            [
                "/orders",
                "GET, POST (preflight: POST)",
                "https://app.example.com",
                "yes",
                "refused",
                "content-type",
                "-",
                "-",
                "enforced",
                "orders",
                "SPA"
            ]
        );
    }
}
