//! Where each `#[cors]` route ends up mounted: its full path, `web::scope` prefixes included.
//!
//! actix-web never tells a service where it is mounted: `register` sees an `AppService` that
//! knows nothing of the scopes around it, and the full paths exist only in the app's
//! `ResourceMap`, once the app is built. So each route's preflight resource is registered with
//! a small resource map of its own (a *probe*: the route's path, then an empty-path leaf with a
//! unique name). actix-web links it into the app's map like a scope's; afterwards the probe's
//! `match_pattern("")` concatenates the patterns of every node above it, exactly as
//! `HttpRequest::match_pattern` does for a routed request. The unique name tells which app a
//! probe belongs to: the app's root map knows every name registered in it.
//!
//! Registrations are kept per thread: actix-web builds each worker's app, and serves its
//! requests, on the worker's thread. A registration holds its probe weakly, so an app that is
//! dropped leaves nothing behind.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::dev::{ResourceDef, ResourceMap};
use actix_web::HttpRequest;

use super::route_cors::RouteCors;

struct Registration {
    probe: Weak<ResourceMap>,
    name: String,
    methods: &'static [&'static str],
    cors: &'static RouteCors,
}

thread_local! {
    static REGISTERED: RefCell<Vec<Registration>> = const { RefCell::new(Vec::new()) };
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// The resource map to register with a route's preflight resource `rdef` (the route's path as
/// registered), serving `methods` there: `rdef`, then the probe.
pub(crate) fn probe(
    rdef: &ResourceDef,
    methods: &'static [&'static str],
    cors: &'static RouteCors,
) -> Rc<ResourceMap> {
    let name = format!(
        "__actix_route_cors_{}_{}",
        cors.route,
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut leaf = ResourceDef::new("");
    leaf.set_name(&name);
    let mut probe = ResourceMap::new(ResourceDef::prefix(""));
    probe.add(&mut leaf, None);
    let probe = Rc::new(probe);

    let mut route = ResourceMap::new(rdef.clone());
    route.add(&mut ResourceDef::prefix(""), Some(Rc::clone(&probe)));

    REGISTERED.with(|registered| {
        let mut registered = registered.borrow_mut();
        // Forget the routes of apps that were dropped, now and then: the list stays within
        // twice the routes of the apps alive on this thread.
        if registered.len() >= 64 && registered.len().is_power_of_two() {
            registered.retain(|r| r.probe.strong_count() > 0);
        }
        registered.push(Registration {
            probe: Rc::downgrade(&probe),
            name,
            methods,
            cors,
        });
    });
    Rc::new(route)
}

/// The `#[cors]` routes of one app, each at its full path (with every `web::scope` prefix),
/// in the order actix-web tries them: read from the app's resource map, so only once the app
/// is built, through any request it serves.
///
/// The [audit](crate::audit) shows these paths with `Table::mounted` and `Json::mounted`;
/// without them it shows the paths as written in the attributes.
///
/// ```
/// use actix_web::{get, test, web, App, HttpRequest, HttpResponse};
/// use cors_runtime::actix::Mounted;
/// # use cors_runtime::actix::{Cors, MethodGuard, RouteCors};
/// # use cors_runtime::rules::{validate, PolicyInput};
/// # use cors_runtime::Policy;
///
/// // In an application, `#[cors]` routes; here a handler that lists them.
/// async fn routes(req: HttpRequest) -> HttpResponse {
///     let mounted = Mounted::of(&req);
///     HttpResponse::Ok().body(format!("{} #[cors] routes", mounted.len()))
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().route("/routes", web::get().to(routes))).await;
/// let body = test::call_and_read_body(&app, test::TestRequest::get().uri("/routes").to_request()).await;
/// assert_eq!(body, "0 #[cors] routes");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Mounted {
    routes: Vec<MountedRoute>,
}

/// One `#[cors]` route as mounted: its full path, the methods its handler serves there, and
/// its policy.
#[derive(Debug, Clone)]
pub(crate) struct MountedRoute {
    /// The full path pattern, as `HttpRequest::match_pattern` would give it.
    pub(crate) pattern: String,
    pub(crate) methods: &'static [&'static str],
    pub(crate) cors: &'static RouteCors,
}

impl Mounted {
    /// The `#[cors]` routes of the app that serves `req`.
    pub fn of(req: &HttpRequest) -> Self {
        let root = req.resource_map();
        let routes = REGISTERED.with(|registered| {
            registered
                .borrow()
                .iter()
                .filter_map(|r| {
                    let probe = r.probe.upgrade()?;
                    // Another app's name is unknown here.
                    let in_this_app = !matches!(
                        root.url_for_iter(req, &r.name, std::iter::empty::<(&str, &str)>()),
                        Err(actix_web::error::UrlGenerationError::ResourceNotFound)
                    );
                    let pattern = probe.match_pattern("")?;
                    in_this_app.then_some(MountedRoute {
                        pattern,
                        methods: r.methods,
                        cors: r.cors,
                    })
                })
                .collect()
        });
        Mounted { routes }
    }

    /// How many `#[cors]` routes (one per path and handler) the app has.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether the app has no `#[cors]` route.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// The full paths at which `route` is mounted in this app, sorted, each once.
    pub fn paths(&self, route: &RouteCors) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .routes
            .iter()
            .filter(|m| std::ptr::eq(m.cors, route))
            .map(|m| m.pattern.as_str())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    /// The routes, in the order actix-web tries them.
    pub(crate) fn into_routes(self) -> Vec<MountedRoute> {
        self.routes
    }
}
