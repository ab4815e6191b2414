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
use std::collections::BTreeSet;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use actix_web::dev::{ResourceDef, ResourceMap};
use actix_web::HttpRequest;

use super::route_cors::RouteCors;
use super::route_table::Mounted;

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

/// The `#[cors]` routes mounted in the app whose request `req` is, in the order actix-web
/// tries them, each with its full path.
pub(crate) fn routes_of(req: &HttpRequest) -> Vec<Mounted> {
    let root = req.resource_map();
    let mounted: Vec<Mounted> = REGISTERED.with(|registered| {
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
                in_this_app.then_some(Mounted {
                    pattern,
                    methods: r.methods,
                    cors: r.cors,
                })
            })
            .collect()
    });
    record(&mounted);
    mounted
}

/// Full paths seen so far, for the audit: `(route, full path)`.
static SEEN: Mutex<BTreeSet<(usize, String)>> = Mutex::new(BTreeSet::new());

fn record(mounted: &[Mounted]) {
    let mut seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for m in mounted {
        seen.insert((std::ptr::from_ref(m.cors) as usize, m.pattern.clone()));
    }
}

/// The full paths at which `cors` was found mounted by a [`CorsFirst`](super::CorsFirst)
/// middleware, sorted; empty until an app with the middleware has served a request.
pub(crate) fn full_paths(cors: &RouteCors) -> Vec<String> {
    let key = std::ptr::from_ref(cors) as usize;
    let seen = SEEN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    seen.range((key, String::new())..)
        .take_while(|(k, _)| *k == key)
        .map(|(_, p)| p.clone())
        .collect()
}
