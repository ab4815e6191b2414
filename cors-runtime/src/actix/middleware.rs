//! `Cors`, the middleware on each `#[cors]` route: the entry point of the route's actual
//! requests.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::Error;

use super::actual::{self, Before, Refusal};
use super::headers::{apply, on_response, Action};
use super::request::Fields;
use super::resolve::{Decided, MaybeLater};
use super::route_cors::RouteCors;
use crate::log_target::LOG_TARGET;
use crate::lookup::Answer;

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
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = CorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(CorsService {
            service: Rc::new(service),
            cors: self.0,
        }))
    }
}

/// The service made by [`Cors`].
#[derive(Debug)]
pub struct CorsService<S> {
    service: Rc<S>,
    cors: &'static RouteCors,
}

impl<S, B> Service<ServiceRequest> for CorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = MaybeLater<CorsFuture<S::Future>, Result<ServiceResponse<B>, Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let cors = self.cors;
        let decided = Decided::new(&req, cors, Fields::read(req.head()), decide);
        let service = Rc::clone(&self.service);
        decided.run(req, cors, decide, move |req, decision| {
            let (fut, action, refused) = match decision {
                Decision::Go(action) => (Some(service.call(req)), action, None),
                Decision::Refuse(refused) => (None, None, Some(refused)),
            };
            CorsFuture {
                fut,
                cors,
                action,
                refused,
            }
        })
    }
}

/// What becomes of an actual request to a route: its response's CORS headers, or (a write or
/// a WebSocket handshake that must not reach the route) its refusal.
enum Decision {
    /// On to the route; its response gets the action's headers (none in report-only mode).
    Go(Option<Action>),
    Refuse(Error),
}

/// Decides an actual request to `cors`'s route, and logs a refusal.
fn decide(
    req: &ServiceRequest,
    cors: &'static RouteCors,
    fields: Fields<'_>,
    answer: Answer,
) -> Decision {
    let mode = cors.policy.report_only.in_force();
    if mode.spares_everything() && fields.is_preflight() {
        // A preflight the route takes because it serves `OPTIONS` and its policy is only
        // reported: recorded by its guard, and answered by the route as without `#[cors]`.
        return Decision::Go(None);
    }
    let (action, origin, denial) = actual::decide(cors, fields, answer);
    // One decision is counted and logged per request: a refusal before the handler (or that
    // it was spared), else the response's headers.
    let denial = match actual::refuse(req, cors, origin, mode) {
        Before::Refuse(refused) => return Decision::Refuse(refused),
        Before::Spared => None,
        Before::Pass => {
            actual::count(cors, &action, denial, mode);
            denial
        }
    };
    let spared = mode.spares_everything();
    if let Some(denial) = denial {
        log::info!(
            target: LOG_TARGET,
            "{}",
            Refusal {
                req,
                cors,
                reason: denial.explain(&cors.policy),
                then: if spared {
                    "report-only: the response is sent unchanged"
                } else {
                    "the response is sent without Access-Control-* headers, so the browser will block it"
                },
                spared,
            },
        );
    }
    // Report-only: the response goes out as the route made it.
    Decision::Go((!spared).then_some(action))
}

pin_project_lite::pin_project! {
    /// The response future of [`CorsService`]: the inner response with the CORS headers added,
    /// or a refused cross-origin write.
    pub struct CorsFuture<F> {
        #[pin]
        fut: Option<F>,
        cors: &'static RouteCors,
        action: Option<Action>,
        refused: Option<Error>,
    }
}

impl<F, B> Future for CorsFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<B>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Some(refused) = this.refused.take() {
            return Poll::Ready(Err(refused));
        }
        let Some(fut) = this.fut.as_pin_mut() else {
            panic!("CorsFuture polled after completion");
        };
        let result = std::task::ready!(fut.poll(cx));
        let Some(action) = this.action.take() else {
            return Poll::Ready(result);
        };
        Poll::Ready(on_response(
            result,
            (action, *this.cors),
            |headers, (action, cors)| apply(headers, action, cors),
        ))
    }
}
