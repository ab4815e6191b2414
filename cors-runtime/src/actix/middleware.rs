//! The middleware that puts CORS headers on every response of a route.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, HOST, VARY};
use actix_web::http::StatusCode;
use actix_web::{Error, HttpResponse, ResponseError};

use super::headers::{apply, echo, origin_field, Action, STAR};
use super::judge::{judge, Judged, Judgement, MaybeLater, View};
use super::route_cors::RouteCors;
use crate::algorithm::{
    decide_actual_judged, decide_write_judged, is_safe_method, Actual, AllowOrigin, Denial, Field,
    WriteRequest,
};

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
        let (first, field) = origin_field(req.headers());
        let decision = match judge(cors, field, req.head()) {
            None => Decision::new(&req, cors, &View::route(cors), first, field),
            Some(Judgement::Now(judged)) => Decision::new(&req, cors, &judged.view(), first, field),
            Some(Judgement::Later(pending)) => {
                let service = Rc::clone(&self.service);
                return MaybeLater::later(async move {
                    let judged = Judged::new(cors, pending.await);
                    let (first, field) = origin_field(req.headers());
                    let decision = Decision::new(&req, cors, &judged.view(), first, field);
                    decision.run(&*service, req, cors).await
                });
            }
        };
        MaybeLater::now(decision.run(&*self.service, req, cors))
    }
}

/// What becomes of an actual request to a route: its response's CORS headers, or (a write
/// that must not reach the route) its refusal.
enum Decision {
    Go(Action),
    Refuse(Error),
}

impl Decision {
    /// Decides the request with `view`'s policy (its `Origin` field(s) are `first`, `field`),
    /// and logs a refusal.
    fn new(
        req: &ServiceRequest,
        cors: &RouteCors,
        view: &View<'_>,
        first: Option<&HeaderValue>,
        field: Field<'_>,
    ) -> Self {
        let (action, denial) = decide(cors, view, first, field);
        // An allowed origin may always write (`decide_write` never refuses it): the check
        // costs an allowed request nothing but this test.
        if !matches!(action, Action::Allow(_))
            && cors.policy.protect_writes
            && !is_safe_method(req.method().as_str().as_bytes())
        {
            if let Some(refused) = refuse_write(req, cors, view, field) {
                return Decision::Refuse(refused);
            }
        }
        if let Some(denial) = denial {
            log::info!(
                target: super::LOG_TARGET,
                "CORS refused {} {} (route `{}`): {}; the response is sent without Access-Control-* headers, so the browser will block it",
                req.method(),
                req.path(),
                cors.route,
                denial.explain(&view.explaining()),
            );
        }
        Decision::Go(action)
    }

    /// Calls the route, or not.
    fn run<S, B>(
        self,
        service: &S,
        req: ServiceRequest,
        cors: &'static RouteCors,
    ) -> CorsFuture<S::Future>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    {
        match self {
            Decision::Go(action) => CorsFuture {
                fut: Some(service.call(req)),
                cors,
                action: Some(action),
                refused: None,
            },
            Decision::Refuse(refused) => CorsFuture {
                fut: None,
                cors,
                action: None,
                refused: Some(refused),
            },
        }
    }
}

/// The `Sec-Fetch-Site` request header (Fetch Metadata).
const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// The refusal of a request with an unsafe method that [`decide_write`] refuses, logged: an
/// error whose response is `403` with the reason (see [`WriteRefused`]).
fn refuse_write(
    req: &ServiceRequest,
    cors: &RouteCors,
    view: &View<'_>,
    origin: Field<'_>,
) -> Option<Error> {
    let headers = req.headers();
    let request = WriteRequest {
        method: req.method().as_str().as_bytes(),
        fetch_site: Field::from_values(headers.get_all(SEC_FETCH_SITE).map(HeaderValue::as_bytes)),
        origin,
        host: headers
            .get(HOST)
            .map(HeaderValue::as_bytes)
            .or_else(|| req.uri().authority().map(|a| a.as_str().as_bytes())),
    };
    let denial = decide_write_judged(view.policy, view.verdict, request)?;
    let policy = view.explaining();
    let reason = denial.explain(&policy);
    log::info!(
        target: super::LOG_TARGET,
        "CORS refused {} {} (route `{}`): {}; the handler did not run",
        req.method(),
        req.path(),
        cors.route,
        reason,
    );
    Some(Error::from(WriteRefused(reason.to_string())))
}

/// A cross-origin write refused before the handler: `403`, `text/plain`, the reason on one
/// line, and `Vary: Origin` (the answer depends on the origin). Returned as an `Err`, so that
/// it needs no response body type of its own; the middleware in front of the route sees it as
/// any other error.
#[derive(Debug)]
struct WriteRefused(String);

impl std::fmt::Display for WriteRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cross-origin write refused: {}", self.0)
    }
}

impl ResponseError for WriteRefused {
    fn status_code(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::with_body(StatusCode::FORBIDDEN, format!("{self}\n"));
        res.headers_mut().append(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res.headers_mut()
            .append(VARY, HeaderValue::from_static("Origin"));
        res.map_into_boxed_body()
    }
}

/// What to do to the response of an actual request to `cors`'s route, decided with `view`'s
/// policy, and why when the origin is refused.
pub(crate) fn decide<'h>(
    cors: &RouteCors,
    view: &View<'_>,
    first: Option<&'h HeaderValue>,
    field: Field<'h>,
) -> (Action, Option<Denial<'h>>) {
    match decide_actual_judged(view.policy, view.verdict, field) {
        Actual::NotCors { vary } => (Action::NotCors { vary }, None),
        Actual::Allowed(AllowOrigin::Any) => (Action::Allow(STAR), None),
        Actual::Allowed(AllowOrigin::Echo) => match (view.echo, first) {
            (Some(value), _) => (Action::Allow(value.clone()), None),
            (None, Some(origin)) => (Action::Allow(echo(cors, origin)), None),
            (None, None) => (Action::Deny, None),
        },
        Actual::Denied(denial) => (Action::Deny, Some(denial)),
    }
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
        let cors = *this.cors;
        let Some(action) = this.action.take() else {
            return Poll::Ready(result);
        };
        Poll::Ready(on_response_headers(
            result,
            (action, cors),
            |headers, (action, cors)| apply(headers, action, cors),
        ))
    }
}

/// Calls `f` with `state` on the headers of the response `result` is, or will become: at once
/// for a response; for an error (an inner middleware failed), which becomes a response later,
/// on its way out, through a response mapper (which clones `state`, so that a response pays no
/// clone).
pub(crate) fn on_response_headers<B, T: Clone + 'static>(
    result: Result<ServiceResponse<B>, Error>,
    state: T,
    f: fn(&mut HeaderMap, T),
) -> Result<ServiceResponse<B>, Error> {
    match result {
        Ok(mut res) => {
            f(res.headers_mut(), state);
            Ok(res)
        }
        Err(mut err) => {
            err.add_response_mapper(move |mut res| {
                f(res.headers_mut(), state.clone());
                res
            });
            Err(err)
        }
    }
}
