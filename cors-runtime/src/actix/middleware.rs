//! The middleware that puts CORS headers on every response of a route.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::HeaderValue;
use actix_web::Error;

use super::headers::{apply, echo, origin_field, Action, STAR};
use super::route_cors::RouteCors;
use crate::algorithm::{decide_actual, Actual, AllowOrigin, Denial, Field};

/// Middleware that applies a route's policy to the responses of actual (non-preflight)
/// requests: every response, including handler errors, extractor errors and errors returned
/// by inner middleware.
///
/// The `#[cors]` macro wraps the route's resource in it, outside the route's own `wrap`
/// middleware, so that a 401 from an authentication middleware is readable cross-origin too.
#[derive(Debug, Clone, Copy)]
pub struct Cors(pub &'static RouteCors);

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsService {
            service,
            cors: self.0,
        }))
    }
}

/// The service made by [`Cors`].
#[derive(Debug)]
pub struct CorsService<S> {
    service: S,
    cors: &'static RouteCors,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = CorsFuture<S::Future>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let cors = self.cors;
        let (first, field) = origin_field(req.headers());
        let (action, denial) = decide(cors, first, field);
        if let Some(denial) = denial {
            log::info!(
                target: super::LOG_TARGET,
                "CORS refused {} {} (route `{}`): {}; the response is sent without Access-Control-* headers, so the browser will block it",
                req.method(),
                req.path(),
                cors.route,
                denial.explain(&cors.policy),
            );
        }
        CorsFuture {
            fut: self.service.call(req),
            cors,
            action: Some(action),
        }
    }
}

/// What to do to the response of an actual request to `cors`'s route, and why when the origin
/// is refused.
pub(crate) fn decide<'h>(
    cors: &RouteCors,
    first: Option<&'h HeaderValue>,
    field: Field<'h>,
) -> (Action, Option<Denial<'h>>) {
    match decide_actual(&cors.policy, field) {
        Actual::NotCors { vary } => (Action::NotCors { vary }, None),
        Actual::Allowed(AllowOrigin::Any) => (Action::Allow(STAR), None),
        Actual::Allowed(AllowOrigin::Echo) => match first {
            Some(origin) => (Action::Allow(echo(cors, origin)), None),
            None => (Action::Deny, None),
        },
        Actual::Denied(denial) => (Action::Deny, Some(denial)),
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsService`]: the inner response with the CORS headers added.
    pub struct CorsFuture<F> {
        #[pin]
        fut: F,
        cors: &'static RouteCors,
        action: Option<Action>,
    }
}

impl<F, B> Future for CorsFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let result = std::task::ready!(this.fut.poll(cx));
        let cors = *this.cors;
        let Some(action) = this.action.take() else {
            return Poll::Ready(result);
        };
        Poll::Ready(match result {
            Ok(mut res) => {
                apply(res.headers_mut(), action, cors);
                Ok(res)
            }
            Err(mut err) => {
                // An inner middleware failed: the error becomes a response later, on its way
                // out; the mapper puts the CORS headers on it then.
                err.add_response_mapper(move |mut res| {
                    apply(res.headers_mut(), action.clone(), cors);
                    res
                });
                Err(err)
            }
        })
    }
}
