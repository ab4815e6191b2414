//! Per-route CORS for actix-web: the policy is written on the handler, checked when the crate
//! compiles, and enforced at run time exactly as the Fetch standard's CORS protocol requires.
//!
//! ```
//! use actix_route_cors::cors;
//! use actix_web::{get, put, App, HttpResponse, Responder};
//!
//! #[cors(origins = ["https://app.example.com"], credentials, expose = ["x-total"], max_age = 600)]
//! #[get("/items")]
//! async fn list_items() -> impl Responder {
//!     HttpResponse::Ok().insert_header(("x-total", "42")).body("[]")
//! }
//!
//! #[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-request-id"], credentials)]
//! #[put("/items/{id}")]
//! async fn put_item() -> impl Responder {
//!     HttpResponse::NoContent()
//! }
//!
//! // Registration is unchanged: `.service(list_items)` also answers the preflights of GET /items.
//! let app = App::new().service(list_items).service(put_item);
//! ```
//!
//! - [`cors`]: the attribute (every key is documented there).
//! - [`cors_policy!`]: a named policy, shared by many handlers (`#[cors(policy = NAME)]`).
//! - [`OriginSource`]: origins from configuration, checked once at start-up
//!   (`#[cors(origins = SOURCE)]`), and [`OriginSourceError`].
//! - [`CorsFirst`]: one `wrap` on the `App` when it has middleware (authentication, rate
//!   limiting) or scope guards: the `#[cors]` routes then answer their preflights before it,
//!   and its early answers (`401`, `429`) stay readable by allowed origins.
//! - [`audit`]: every `#[cors]` route of the program, with its [`Policy`], for review.
//! - [`rules`]: the origin rules `#[cors]` applies, for origins an application stores itself.
//!
//! That is the whole public API: the README's "Public API" section lists every item, and a
//! test keeps the list true. The crates behind it are internal (see ARCHITECTURE.md).
//!
//! Denials are logged with the [`log`](https://docs.rs/log) crate, target [`LOG_TARGET`]
//! (`actix_route_cors`), level `info`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Per-route CORS: written directly above an actix-web route attribute.
///
/// ```
/// # use actix_route_cors::cors;
/// # use actix_web::{get, HttpResponse, Responder};
/// #[cors(origins = ["https://app.example.com", "https://*.example.org"], methods = [GET])]
/// #[get("/items")]
/// async fn list_items() -> impl Responder { HttpResponse::Ok().finish() }
/// ```
///
/// # Where it goes
///
/// Above one of actix-web's route attributes — `#[get]`, `#[post]`, `#[put]`, `#[patch]`,
/// `#[delete]`, `#[head]`, `#[options]`, `#[trace]`, `#[connect]`, `#[route(path, method = ..)]`,
/// or `#[routes]` followed by several method attributes — plain or written as `actix_web::get`,
/// also inside a `#[scope("/prefix")]` module. The route attribute's `name`, `guard` and `wrap`
/// keep working. `#[cors]` takes the route attribute's place: it generates the same service
/// type (`pub struct list_items;`, `pub` as with actix-web's default features unless the
/// function has a restricted visibility such as `pub(crate)`), so `.service(list_items)` is
/// still the only registration step, and it now also registers the route's preflight resource.
///
/// Written below the route attribute, or without one, it is a compile error that says where it
/// goes. Other crates' attribute macros (`#[utoipa::path]`, `#[tracing::instrument]`) may be
/// written above or below it: one written below is moved above it, so that it expands at the
/// handler's own level (what it generates, such as utoipa's `__path_<handler>`, stays
/// reachable). The compiler's own attributes (`#[doc]`, `#[allow]`, `#[cfg]`...) stay on the
/// handler.
///
/// # Keys
///
/// ## `origins = ["https://app.example.com", "https://*.example.org:8443", "null"]` (required)
/// The origins whose scripts may read the responses. Each is an origin exactly as a browser
/// sends it in the `Origin` header — `scheme://host[:port]`, lowercase, no trailing slash, no
/// default port — because origins are compared byte for byte. `https://*.example.org` allows
/// any origin whose host is **one** more label in front of `example.org`, with the same scheme
/// and port (`https://a.example.org`, not `https://a.b.example.org` nor
/// `https://a.example.org:8443`). `"null"` allows the opaque origin (sandboxed iframes, `file:`
/// pages). `["*"]` allows every origin and answers `Access-Control-Allow-Origin: *`; any other
/// list echoes the request's origin.
///
/// ## `methods = [GET, PUT]`
/// The methods a preflight may ask for. Default: the methods the route serves. Each must be
/// served by the route, spelled as on the request line (methods are case-sensitive), and not
/// `OPTIONS` (preflights are answered for you).
///
/// ## `headers = ["content-type", "x-request-id"]`
/// The request headers a preflight may ask for (compared case-insensitively). `"*"` allows
/// any header except `authorization`, which the Fetch standard requires to be named. Headers no
/// script can set (`cookie`, `host`, `sec-*`, …) are refused at compile time. Default: none.
///
/// ## `expose = ["x-total-count"]`
/// The response headers scripts may read beyond the safelisted ones. `"*"` exposes all (except
/// on credentialed requests, where browsers read it literally, so it is refused together with
/// `credentials`). Default: none.
///
/// ## `credentials`
/// Cookies and HTTP authentication may be sent, and `Access-Control-Allow-Credentials: true`
/// is answered. Cannot be combined with `*` anywhere, nor with `"null"`.
///
/// ## `max_age = 600`
/// How long, in seconds (0 to 86400), browsers may cache a preflight answer. Default: no
/// header, and browsers cache for 5 seconds. Browsers cap the value: Chromium at 7200 seconds
/// (2 hours), Firefox at 86400 (24 hours), so a larger value acts as 7200 in Chromium. It is
/// accepted without a note: the cap differs by browser, and a stable proc macro cannot emit a
/// warning, only an error.
///
/// ## `private_network` (legacy)
/// Answer `Access-Control-Request-Private-Network: true` with
/// `Access-Control-Allow-Private-Network: true` (Private Network Access). Without it such a
/// preflight is refused. Chrome 142 and later replaced these preflights with Local Network
/// Access, a permission the user grants in a prompt; no response header grants it, and this
/// flag changes nothing there. It still answers the browsers that send the PNA preflight:
/// Chromium-based browsers before Local Network Access, or with it turned off.
///
/// ## `writes_from_any_origin`
/// Let writes from origins the policy does not allow reach the handler. By default a `#[cors]`
/// route refuses, with `403` and before its handler runs, a request with an unsafe method
/// (anything but `GET`, `HEAD` and `OPTIONS`) that the browser marks cross-origin
/// (`Sec-Fetch-Site: cross-site` or `same-site`) from an origin the policy does not allow, and,
/// from browsers that send no `Sec-Fetch-Site`, one whose `Origin` is neither allowed nor the
/// request's own (its `Host`). CORS only keeps a page from *reading* the answer; this keeps a
/// page on another origin from *sending* a form post or a simple `fetch()` that runs the
/// handler with the user's cookies. Requests without `Origin` and `Sec-Fetch-Site` (clients that
/// are not browsers) and same-origin requests pass. A compile error next to `origins = ["*"]`
/// (every origin may write already) and on a route that serves only safe methods.
///
/// ## `crate = path`
/// Where the generated code finds this crate, when it is re-exported under another name.
///
/// ## `origins = SOURCE`
/// The origins of an [`OriginSource`] `static` (a path, without brackets), filled once at
/// start-up from an environment variable or a value the application computes, and checked
/// then by the same origin rules. Building an `App` with the route before the source is filled
/// panics, naming the route and the source. A value of another type is a compile error on its
/// name; so is a `const` source (E0492: a `const` would be a new, empty copy at each use).
///
/// ```
/// # use actix_route_cors::{cors, OriginSource};
/// # use actix_web::{get, App, HttpResponse, Responder};
/// static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");
///
/// #[cors(origins = FRONTEND, credentials)]
/// #[get("/me")]
/// async fn me() -> impl Responder { HttpResponse::Ok().finish() }
///
/// # std::env::set_var("FRONTEND_ORIGINS", "https://app.example.com");
/// FRONTEND.load().expect("FRONTEND_ORIGINS holds valid origins");
/// let app = App::new().service(me);
/// ```
///
/// ## `policy = NAME`
/// Use the named policy `NAME`, defined with [`cors_policy!`]. The handler may add `methods`
/// (to narrow the route's), and `headers`, `expose`, `max_age` or `crate` when the policy does
/// not set them; `origins`, `credentials`, `private_network` and `writes_from_any_origin` come
/// from the policy only. Any other combination is a compile error on the handler's key. The
/// merged policy is checked by the same rules as one written in full.
///
/// ```
/// # use actix_route_cors::{cors, cors_policy};
/// # use actix_web::{put, HttpResponse, Responder};
/// cors_policy!(API, origins = ["https://app.example.com"], credentials, max_age = 600);
///
/// #[cors(policy = API, headers = ["content-type"])]
/// #[put("/items/{id}")]
/// async fn put_item() -> impl Responder { HttpResponse::NoContent().finish() }
/// ```
///
/// # What happens at run time
///
/// - **Actual requests** (every request to the route that is not a preflight): with an allowed
///   `Origin`, the response — whatever it is, handler error, extractor error, redirect, 304, or
///   an error returned by the route's own `wrap` middleware — gets exactly one
///   `Access-Control-Allow-Origin` (the request's origin byte for byte, or `*`),
///   `Access-Control-Allow-Credentials: true` with `credentials`, `Access-Control-Expose-Headers`
///   with `expose`, and `Origin` merged into `Vary`. With a disallowed origin, or several
///   `Origin` fields, the handler still runs but its response carries no `Access-Control-*`
///   header (so the browser blocks it) and a log record says why. Without `Origin`, the
///   response is untouched except `Vary: Origin` — or, for `origins = ["*"]`, except
///   `Access-Control-Allow-Origin: *`, sent to every request as the Fetch standard advises so
///   that cached responses stay usable cross-origin.
/// - **Preflights** (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) are routed by
///   path *and* requested method, so two handlers on one path each answer their own. Allowed:
///   `204` with the policy's headers; the handler is not called and the route's `guard`s and
///   `wrap`s (authentication, say) are not applied. Refused: `403` with a `text/plain` reason
///   and no `Access-Control-*` header. `Access-Control-Request-Headers` longer than
///   [`MAX_REQUEST_HEADERS_LEN`] bytes is refused unparsed.
/// - A plain `OPTIONS` (no `Access-Control-Request-Method`) is not a preflight: it reaches the
///   app's own routes. A preflight for a method no handler on the path serves gets the app's
///   `404`.
///
/// # Equivalent code
///
/// `#[cors(origins = ["https://a.example"])] #[get("/p")] async fn h() -> ..` expands to,
/// roughly:
///
/// ```text
/// pub struct h;
/// impl HttpServiceFactory for h {
///     fn register(self, config: &mut AppService) {
///         async fn h() -> .. { .. }
///         static POLICY: RouteCors = RouteCors::new(/* validated policy, header values */, "h");
///         Resource::new("/p").name("h").guard(MethodGuard(&["GET"])).wrap(Cors(&POLICY)).to(h)
///             .register(config);
///         register_preflight(config, "/p", &["GET"], &POLICY);
///     }
/// }
/// ```
#[doc(inline)]
pub use cors_macros::cors;

/// A named CORS policy: defined once, used by many handlers with `#[cors(policy = NAME)]`.
///
/// ```
/// use actix_route_cors::{cors, cors_policy};
/// use actix_web::{get, post, routes, App, HttpResponse, Responder};
///
/// cors_policy!(
///     /// Calls from our single-page app.
///     pub(crate) SPA,
///     origins = ["https://app.example.com", "https://*.preview.example.com"],
///     credentials,
///     max_age = 600
/// );
///
/// #[cors(policy = SPA)]
/// #[get("/me")]
/// async fn me() -> impl Responder { HttpResponse::Ok().finish() }
///
/// // Serves GET and POST; scripts may only preflight POST, with a JSON body.
/// #[cors(policy = SPA, methods = [POST], headers = ["content-type"])]
/// #[routes]
/// #[get("/orders")]
/// #[post("/orders")]
/// async fn orders() -> impl Responder { HttpResponse::Ok().finish() }
///
/// let app = App::new().service(me).service(orders);
/// ```
///
/// # Syntax
///
/// `cors_policy!(/// docs  visibility NAME, key = value, ..)`: the keys of [`cors`] except
/// `methods` (each route serves its own) and `policy`. The policy is checked when the crate
/// compiles by the same rules, with the same messages, as `#[cors(...)]`; and checked again
/// with the keys of each handler that uses it.
///
/// # Which key goes where
///
/// Each key is set in one place, so that nothing is merged or overridden silently:
/// - only in the policy: `origins`, `credentials`, `private_network`, `writes_from_any_origin`;
/// - only on the handler: `methods` (narrows the route's methods; default: all it serves);
/// - in either but not both: `headers`, `expose`, `max_age`, `crate`.
///
/// A key in the wrong place, or in both, is a compile error on the handler's key, whose help
/// says to remove it, move it, or define another policy.
///
/// # Visibility and names
///
/// `NAME` is a macro: usable in its module and the modules below it, by path
/// (`crate::policies::SPA`) or through `use` where its visibility (`pub(crate)`, `pub(super)`,
/// `pub(in path)`) allows, before or after the definition in the file. It cannot be `pub`: a
/// policy serves the crate that defines it. It does not clash with a `const` or `static` of the
/// same name. An [`OriginSource`] named in a policy's `origins` must be written with its path
/// from the crate root (`origins = crate::config::FRONTEND`), because the policy is expanded in
/// the handlers' modules.
///
/// The attribute the policy writes back is `::actix_route_cors::cors`, or `<crate>::cors` when
/// the policy has a `crate = path` key: a crate that reaches this one under another name puts
/// `crate = ..` in its policies (the handlers' `crate` key cannot change that path).
///
/// # Equivalent code
///
/// `cors_policy!(pub(crate) API, origins = [..])` expands to a `macro_rules!` macro (hidden
/// name) re-exported as `API`; `#[cors(policy = API, ..)]` expands to the handler's service
/// type, whose `register` defines the handler and calls `API! { .. }`, which writes
/// `#[cors(<the policy's keys>, <the handler's keys>)]` back there; that expansion checks the
/// merged policy and registers the route.
#[doc(inline)]
pub use cors_macros::cors_policy;

/// Origins decided at run time by a function or a lookup (see the README's "Origins decided at
/// run time").
pub use cors_runtime::{
    AlreadyInstalled, LookupSettings, LookupStats, OriginFn, OriginLookup, Verdict,
    MAX_ASKED_ORIGIN_LEN,
};
pub use cors_runtime::{OriginSource, OriginSourceError, SourceKind};

pub use cors_runtime::{AllowedHeaders, AllowedOrigins, OriginPattern, Policy};

pub use cors_runtime::actix::LOG_TARGET;
pub use cors_runtime::MAX_REQUEST_HEADERS_LEN;

/// ```
/// use actix_route_cors::{cors, CorsFirst};
/// use actix_web::{get, middleware::Logger, web, App, HttpResponse};
///
/// #[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials)]
/// #[get("/items")]
/// async fn list_items() -> HttpResponse {
///     HttpResponse::Ok().body("[]")
/// }
///
/// let app = App::new()
///     .wrap(Logger::default()) // rate limiting, sessions, ...
///     .service(web::scope("/api").service(list_items)) // a scope with authentication
///     .wrap(CorsFirst::new()); // the last `wrap`: it runs first
/// # drop(app);
/// ```
///
pub use cors_runtime::actix::CorsFirst;

/// Every `#[cors]` route of the program, with its policy, for review.
///
/// The `#[cors]` macro registers each route's policy in a program-wide list when it expands,
/// so [`routes`](audit::routes) holds every `#[cors]` route compiled into the program, registered in an
/// `App` or not, and needs no server to be started.
///
/// ```
/// use actix_route_cors::{audit, cors};
/// use actix_web::{get, HttpResponse};
///
/// #[cors(origins = ["https://app.example.com"], credentials, max_age = 600)]
/// #[get("/me")]
/// async fn me() -> HttpResponse { HttpResponse::Ok().finish() }
///
/// let table = audit::Table::new(&audit::routes()).to_string();
/// assert!(table.starts_with("PATH  METHODS  ORIGINS  "));
/// assert!(table.contains("/me   GET      https://app.example.com  yes"));
/// ```
pub mod audit {
    pub use cors_runtime::actix::{Mounted, RouteCors, RouteInfo};
    pub use cors_runtime::audit::{routes, Json, Table, JSON_VERSION};
}

/// The rules an origin must follow, for an application that checks origins it receives (an
/// admin form, a tenant table) by the rules `#[cors]` and [`OriginSource`] apply.
///
/// ```
/// use actix_route_cors::rules::{check_origin, OriginSpec};
///
/// assert_eq!(
///     check_origin("https://*.example.com"),
///     Ok(OriginSpec::Subdomains { prefix: "https://".into(), suffix: ".example.com".into() }),
/// );
/// let refused = check_origin("https://app.example.com/").unwrap_err();
/// assert_eq!(refused.help, "write \"https://app.example.com\"");
/// ```
pub mod rules {
    pub use cors_runtime::rules::{
        check_configured_origins, check_origin, split_origins, Item, OriginSpec, RuleError,
    };
}

/// What the code `#[cors]` and `cors_policy!` generate uses: not a public API.
#[doc(hidden)]
pub mod __private {
    pub use ::actix_web;
    pub use ::cors_macros::__cors_with_policy;
    pub use ::cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors, RouteInfo};
    pub use ::cors_runtime::audit::Registered;
    pub use ::cors_runtime::inventory;
    pub use ::cors_runtime::{
        AllowedHeaders, IsOriginSource, OriginPattern, Origins, Policy, PolicyParts,
    };
}

/// The README's examples compile.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
