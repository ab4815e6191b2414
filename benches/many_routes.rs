//! Apps with many `#[cors]` routes, for `CorsFirst`: what finding a route by its
//! path costs when the app has 10 routes and when it has 500.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::Resource;
use cors_runtime::actix::{register_preflight, Cors, MethodGuard, RouteCors};
use cors_runtime::rules::{validate, PolicyInput};
use cors_runtime::Policy;

use super::policy::is_get;
use super::{plain, APP};

/// `n` `#[cors]` routes wired as the macro wires them (a resource with the route's method
/// guard and CORS middleware, then its preflight resource), on paths such as
/// `/api/v3/resource17` and `/api/v3/resource18/{id}`: a static and a dynamic one in turn,
/// spread over five versions. Registered before the routes the cases call, so that actix-web's
/// router tries all of them first.
pub struct Fillers(pub usize);

impl HttpServiceFactory for Fillers {
    fn register(self, config: &mut AppService) {
        let policy = validate(&PolicyInput {
            origins: &[APP],
            route_methods: &["GET"],
            credentials: true,
            ..PolicyInput::default()
        })
        .expect("a valid policy");
        let route: &'static RouteCors = Box::leak(Box::new(RouteCors::new(
            Policy::from_valid(&policy),
            "filler",
        )));
        for i in 0..self.0 {
            let path: &'static str = if i % 2 == 0 {
                format!("/api/v{}/resource{i}", i % 5).leak()
            } else {
                format!("/api/v{}/resource{i}/{{id}}", i % 5).leak()
            };
            Resource::new(path)
                .guard(MethodGuard(&["GET"], route))
                .wrap(Cors(route))
                .to(plain)
                .register(config);
            register_preflight(config, path, &["GET"], route);
        }
    }
}

/// A route without `#[cors]` at `/plain`, registered after everything else.
pub fn other() -> Resource {
    Resource::new("/plain").guard(is_get()).to(plain)
}
