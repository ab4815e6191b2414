//! The app-wide middleware that puts `#[cors]` routes ahead of the app's own middleware.

use std::cell::OnceCell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::Error;

use super::headers::origin_field;
use super::headers::{apply, carries_cors, Action};
use super::judge::{judge, Judged, Judgement, MaybeLater, View};
use super::middleware::{decide, on_response_headers};
use super::mounted;
use super::preflight::{answer, method_field, refuse_unserved, respond, Asking};
use super::route_cors::RouteCors;
use super::route_table::{OnPath, RouteTable};
use crate::algorithm::Field;

/// Set once some app has a [`CorsFirst`]: see `preflight::hint_once`.
pub(crate) static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Middleware that applies the `#[cors]` routes' policies before any other middleware of the
/// app, so that authentication, rate limiting and scope guards neither block preflights nor
/// hide their own answers from allowed origins.
///
/// Wrap it on the `App`, **as the last `wrap`** (actix-web runs the last `wrap` first): see
/// the example in `actix-route-cors`'s documentation of `CorsFirst`.
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
        INSTALLED.store(true, Ordering::Relaxed);
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
            .get_or_init(|| RouteTable::new(mounted::routes_of(req.request())));
        if table.is_empty() {
            return self.pass(req);
        }
        let (first_origin, origin) = origin_field(req.headers());
        if origin == Field::Absent {
            return self.pass(req);
        }
        let path = req.match_info().as_str();
        let method = match req.method() == Method::OPTIONS {
            true => method_field(req.headers()),
            false => Field::Absent,
        };
        // A preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
        if method != Field::Absent {
            // Several fields name no one method: the first route there refuses them.
            let asked = match method {
                Field::One(m) => m,
                _ => b"",
            };
            let asking = Asking {
                first_origin,
                origin,
                method,
            };
            let cors = match table.find(path, asked) {
                OnPath::None => return self.pass(req),
                OnPath::Served(route) => route.cors,
                OnPath::Unserved(first) => match method {
                    Field::One(m) => {
                        let res = refuse_unserved(&req, m, &table.methods_on(path));
                        return CorsFirstFuture::answered(req.into_response(res));
                    }
                    _ => first.cors,
                },
            };
            // Written origins: answered with what was read above. Others are asked first.
            if cors.policy.named_origins().is_none() {
                let res = respond(&req, cors, &View::route(cors), asking);
                return CorsFirstFuture::answered(req.into_response(res));
            }
            return CorsFirstFuture::answering(answer(req, cors));
        }
        let route = match table.find(path, req.method().as_str().as_bytes()) {
            OnPath::Served(route) => route.cors,
            OnPath::None | OnPath::Unserved(_) => return self.pass(req),
        };
        let decoration = match judge(route, origin, req.head()) {
            None => decoration(&req, route, &View::route(route), first_origin, origin),
            Some(Judgement::Now(judged)) => {
                decoration(&req, route, &judged.view(), first_origin, origin)
            }
            Some(Judgement::Later(pending)) => {
                let service = Rc::clone(&self.service);
                let fut = async move {
                    let judged = Judged::new(route, pending.await);
                    let (first_origin, origin) = origin_field(req.headers());
                    let decoration = decoration(&req, route, &judged.view(), first_origin, origin);
                    decorating(&*service, req, route, decoration).await
                };
                return CorsFirstFuture {
                    inner: Inner::Later { fut: Box::pin(fut) },
                };
            }
        };
        decorating(&*self.service, req, route, decoration)
    }
}

/// What an actual request to `route` gets on a response the route did not make: the action
/// `view`'s policy decides, and the log record of a refusal.
fn decoration(
    req: &ServiceRequest,
    route: &RouteCors,
    view: &View<'_>,
    first_origin: Option<&HeaderValue>,
    origin: Field<'_>,
) -> (Action, Option<String>) {
    let (action, denial) = decide(route, view, first_origin, origin);
    let refused = denial
        .filter(|_| log::log_enabled!(target: super::LOG_TARGET, log::Level::Info))
        .map(|denial| {
            format!(
                "CORS refused {} {} (route `{}`): {}; the response, made before the route by the app's middleware, is sent without Access-Control-* headers, so the browser will block it",
                req.method(),
                req.path(),
                route.route,
                denial.explain(&view.explaining()),
            )
        });
    (action, refused)
}

/// Sends an actual request to `route` on, to decorate its response as `decoration` says
/// unless the route did.
fn decorating<S, B>(
    service: &S,
    req: ServiceRequest,
    route: &'static RouteCors,
    (action, refused): (Action, Option<String>),
) -> CorsFirstFuture<S::Future, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    CorsFirstFuture {
        inner: Inner::Decorate {
            fut: service.call(req),
            cors: route,
            action: Some(action),
            refused,
        },
    }
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
}

/// A preflight's answer, once its origin is judged.
type Answering = MaybeLater<
    Ready<Result<ServiceResponse<BoxBody>, Error>>,
    Result<ServiceResponse<BoxBody>, Error>,
>;

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
        /// An actual request to a `#[cors]` route: its response gets the route's headers
        /// unless it already has them.
        Decorate {
            #[pin]
            fut: F,
            cors: &'static RouteCors,
            action: Option<Action>,
            refused: Option<String>,
        },
        /// A preflight, answered.
        Answered { res: Option<ServiceResponse<BoxBody>> },
        /// A preflight whose origin a lookup is asked about.
        Answering { #[pin] fut: Answering },
        /// An actual request whose origin a lookup is asked about before it goes on.
        Later { fut: Pin<Box<dyn Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>>>> },
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

/// Applies the route's headers to a response that does not carry them yet.
fn decorate(headers: &mut HeaderMap, action: Action, cors: &RouteCors, refused: Option<&str>) {
    if carries_cors(headers) {
        return;
    }
    apply(headers, action, cors);
    if let Some(refused) = refused {
        log::info!(target: super::LOG_TARGET, "{refused}");
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
            InnerProj::Answered { res } => Poll::Ready(Ok(res
                .take()
                .expect("polled after completion")
                .map_into_right_body())),
            InnerProj::Answering { fut } => fut
                .poll(cx)
                .map(|r| r.map(ServiceResponse::map_into_right_body)),
            InnerProj::Later { fut } => fut.as_mut().poll(cx),
            InnerProj::Decorate {
                fut,
                cors,
                action,
                refused,
            } => {
                let result = std::task::ready!(fut.poll(cx));
                let cors = *cors;
                let Some(action) = action.take() else {
                    return Poll::Ready(result.map(ServiceResponse::map_into_left_body));
                };
                let state = (action, cors, refused.take());
                let result =
                    on_response_headers(result, state, |headers, (action, cors, refused)| {
                        decorate(headers, action, cors, refused.as_deref())
                    });
                Poll::Ready(result.map(ServiceResponse::map_into_left_body))
            }
        }
    }
}
