//! The app-wide middleware that puts `#[cors]` routes ahead of the app's own middleware.

use std::cell::OnceCell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::HeaderMap;
use actix_web::{Error, HttpMessage};

use super::actual::{self, Refusal};
use super::headers::{apply, carries_cors, on_response, Action};
use super::mounted::Mounted;
use super::preflight::{self, Answering};
use super::request::Fields;
use super::resolve::{Decided, MaybeLater};
use super::route_cors::RouteCors;
use super::route_table::{OnPath, RouteTable};
use super::setup;
use crate::algorithm::{Field, Kind, Outcome, Reason};
use crate::log_target::LOG_TARGET;
use crate::lookup::Answer;

/// Middleware that applies the `#[cors]` routes' policies before any other middleware of the
/// app, so that authentication, rate limiting and scope guards neither block preflights nor
/// hide their own answers from allowed origins.
///
/// Wrap it on the `App`, **as the last `wrap`** (actix-web runs the last `wrap` first):
///
/// ```
/// # use cors_runtime::actix::CorsFirst;
/// use actix_web::{middleware::Logger, web, App};
///
/// let app = App::new()
///     .wrap(Logger::default()) // authentication, rate limiting, sessions, ...
///     .service(web::scope("/api") /* .service(list_items): #[cors] handlers */)
///     .wrap(CorsFirst::new()); // the last `wrap`: it runs first
/// ```
///
/// `actix-route-cors`'s guide (`guide::cors_first`) says when an app needs it.
///
/// With it, for the routes of `#[cors]` handlers (at their full paths, `web::scope` prefixes
/// included):
///
/// - **Preflights are answered first**, by the policy of the handler that serves the requested
///   method on that path, before any middleware, scope guard or routing. A preflight for a
///   method no handler there serves is refused with `403` and the reason (which methods are
///   served there), like any other refused preflight.
/// - **Early answers stay readable**: a response that App- or scope-level middleware makes
///   instead of the route (a `401` of an authentication middleware, a `429` of a rate limiter,
///   an `Err` they return, a scope guard's `404`) gets the route's CORS headers when the
///   request's origin is allowed (and `Vary: Origin`, as on the route's own responses). The
///   route's own responses are not touched again: they already carry their headers.
///
/// Requests without `Origin`, requests to paths without a `#[cors]` route, and requests for
/// methods no `#[cors]` handler serves there pass through untouched. An app without
/// middleware in front of its routes does not need `CorsFirst`: each route answers its own
/// preflights either way.
///
/// Put path-rewriting middleware (`NormalizePath`) *outside* it (after it in the `wrap`
/// chain): `CorsFirst` matches the path as it reaches it.
///
/// # How it finds routes
/// On the first request each worker serves, `CorsFirst` reads the full path of every
/// `#[cors]` route registered in its app from actix-web's resource map, and indexes them by
/// their literal leading segments; a lookup then costs one step per path segment, however
/// many routes the app has. Requests without `Origin` are not looked up at all.
///
/// If a resource without `#[cors]` is registered before a `#[cors]` route on the same path
/// and method, actix-web routes requests to it, but `CorsFirst` still answers preflights
/// with the `#[cors]` route's policy; register `#[cors]` routes first.
#[derive(Debug, Clone, Default)]
pub struct CorsFirst {
    _private: (),
}

impl CorsFirst {
    /// The middleware; see [`CorsFirst`].
    pub fn new() -> Self {
        Self::default()
    }
}

impl<S, B> Transform<S, ServiceRequest> for CorsFirst
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = CorsFirstService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        setup::cors_first_installed();
        ready(Ok(CorsFirstService {
            service: Rc::new(service),
            table: OnceCell::new(),
        }))
    }
}

/// The service made by [`CorsFirst`].
#[derive(Debug)]
pub struct CorsFirstService<S> {
    service: Rc<S>,
    /// The app's `#[cors]` routes, read on the first request (the app's resource map is not
    /// reachable before).
    table: OnceCell<RouteTable>,
}

impl<S, B> Service<ServiceRequest> for CorsFirstService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = CorsFirstFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let table = self
            .table
            .get_or_init(|| RouteTable::new(Mounted::of(req.request())));
        if table.is_empty() {
            return self.pass(req);
        }
        let fields = Fields::read(req.head());
        if fields.origin == Field::Absent {
            return self.pass(req);
        }
        let path = req.match_info().as_str();
        if fields.is_preflight() {
            // Several fields name no one method: the first route there refuses them.
            let asked = match fields.method {
                Field::One(m) => m,
                _ => b"",
            };
            let cors = match table.find(path, asked) {
                OnPath::None => return self.pass(req),
                OnPath::Served(route) if route.cors.reports_only() => {
                    let decided = Decided::new(&req, route.cors, fields, preflight::report);
                    req.extensions_mut().insert(preflight::Reported);
                    return self.report_preflight(req, route.cors, decided);
                }
                OnPath::Served(route) => route.cors,
                // Report-only: the routes there do not answer preflights.
                OnPath::Unserved(first) if first.cors.reports_only() => return self.pass(req),
                OnPath::Unserved(first) => match fields.method {
                    Field::One(m) => {
                        let res = preflight::refuse_unserved(&req, m, &table.methods_on(path));
                        return CorsFirstFuture::answered(req.into_response(res));
                    }
                    _ => first.cors,
                },
            };
            let decided = preflight::decide(&req, cors, fields);
            return CorsFirstFuture::answering(preflight::answer(req, cors, decided));
        }
        let cors = match table.find(path, req.method().as_str().as_bytes()) {
            // Report-only: no CORS header is added to anything; the route's middleware
            // records its decision.
            OnPath::Served(route) if route.cors.reports_only() => return self.pass(req),
            OnPath::Served(route) => route.cors,
            OnPath::None | OnPath::Unserved(_) => return self.pass(req),
        };
        let decided = Decided::new(&req, cors, fields, decoration);
        let service = Rc::clone(&self.service);
        let fut = decided.run(req, cors, decoration, move |req, (action, refused)| {
            Decorate {
                fut: service.call(req),
                cors,
                action: Some(action),
                refused,
            }
        });
        CorsFirstFuture {
            inner: Inner::Decorating { fut },
        }
    }
}

/// What an actual request to `cors`'s route gets on a response the route did not make: the
/// action its policy decides, and the log record of a refusal.
fn decoration(
    req: &ServiceRequest,
    cors: &'static RouteCors,
    fields: Fields<'_>,
    answer: Answer,
) -> (Action, Option<Refused>) {
    let (action, _, denial) = actual::decide(cors, fields, answer);
    let refused = denial.map(|denial| Refused {
        reason: denial.reason(),
        record: log::log_enabled!(target: LOG_TARGET, log::Level::Info).then(|| {
            Refusal {
                req,
                cors,
                reason: denial.explain(&cors.policy),
                then: "the response, made before the route by the app's middleware, is sent without Access-Control-* headers, so the browser will block it",
                spared: false,
            }
            .to_string()
        }),
    });
    (action, refused)
}

/// Why an actual request's origin was refused, kept until its response is known: the
/// refusal is counted and logged only if `CorsFirst` applies the headers (the route did not).
#[derive(Clone)]
struct Refused {
    reason: Reason,
    record: Option<String>,
}

impl<S> CorsFirstService<S> {
    fn pass<B>(&self, req: ServiceRequest) -> CorsFirstFuture<S::Future, B>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    {
        CorsFirstFuture {
            inner: Inner::Pass {
                fut: self.service.call(req),
            },
        }
    }

    /// Report-only mode: records what the preflight `req` for `cors`'s route would get (once
    /// its origin is resolved: a lookup is still asked, and caches its answer), then lets it
    /// go on untouched, as if the route had no `#[cors]`.
    fn report_preflight<B>(
        &self,
        req: ServiceRequest,
        cors: &'static RouteCors,
        decided: Decided<()>,
    ) -> CorsFirstFuture<S::Future, B>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
        B: 'static,
    {
        let service = Rc::clone(&self.service);
        let fut = decided.run(req, cors, preflight::report, move |req, ()| Decorate {
            fut: service.call(req),
            cors,
            action: None,
            refused: None,
        });
        CorsFirstFuture {
            inner: Inner::Decorating { fut },
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsFirstService`].
    pub struct CorsFirstFuture<F, B> {
        #[pin]
        inner: Inner<F, B>,
    }
}

pin_project_lite::pin_project! {
    #[project = InnerProj]
    enum Inner<F, B> {
        /// Not for a `#[cors]` route, or without `Origin`.
        Pass { #[pin] fut: F },
        /// An actual request to a `#[cors]` route (once its origin is resolved): its response
        /// gets the route's headers unless it already has them.
        Decorating { #[pin] fut: MaybeLater<Decorate<F>, Result<ServiceResponse<B>, Error>> },
        /// A preflight, answered.
        Answered { res: Option<ServiceResponse<BoxBody>> },
        /// A preflight, answered once its origin is resolved.
        Answering { #[pin] fut: Answering },
    }
}

impl<F, B> CorsFirstFuture<F, B> {
    fn answered(res: ServiceResponse<BoxBody>) -> Self {
        Self {
            inner: Inner::Answered { res: Some(res) },
        }
    }

    fn answering(fut: Answering) -> Self {
        Self {
            inner: Inner::Answering { fut },
        }
    }
}

impl<F, B> Future for CorsFirstFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().inner.project() {
            InnerProj::Pass { fut } => fut
                .poll(cx)
                .map(|r| r.map(ServiceResponse::map_into_left_body)),
            InnerProj::Decorating { fut } => fut
                .poll(cx)
                .map(|r| r.map(ServiceResponse::map_into_left_body)),
            InnerProj::Answered { res } => Poll::Ready(Ok(res
                .take()
                .expect("polled after completion")
                .map_into_right_body())),
            InnerProj::Answering { fut } => fut
                .poll(cx)
                .map(|r| r.map(ServiceResponse::map_into_right_body)),
        }
    }
}

pin_project_lite::pin_project! {
    /// The response of an actual request to a `#[cors]` route, with the route's headers
    /// applied if whatever made it (middleware before the route) did not.
    struct Decorate<F> {
        #[pin]
        fut: F,
        cors: &'static RouteCors,
        action: Option<Action>,
        refused: Option<Refused>,
    }
}

impl<F, B> Future for Decorate<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = std::task::ready!(this.fut.poll(cx));
        let Some(action) = this.action.take() else {
            return Poll::Ready(result);
        };
        let state = (action, *this.cors, this.refused.take());
        Poll::Ready(on_response(
            result,
            state,
            |headers, (action, cors, refused)| decorate(headers, action, cors, refused.as_ref()),
        ))
    }
}

/// Applies the route's headers to a response that does not carry them yet (the route did not
/// make it), and counts the decision (the route's middleware counts those it makes).
fn decorate(headers: &mut HeaderMap, action: Action, cors: &RouteCors, refused: Option<&Refused>) {
    if carries_cors(headers) {
        return;
    }
    match refused {
        Some(refused) => {
            cors.count(Kind::Actual, Outcome::Refused, refused.reason);
            if let Some(record) = &refused.record {
                log::info!(target: LOG_TARGET, "{record}");
            }
        }
        None if matches!(action, Action::Allow(_)) => {
            cors.count(Kind::Actual, Outcome::Allowed, Reason::None);
        }
        None => {}
    }
    apply(headers, action, cors);
}
