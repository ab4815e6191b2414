//! The one resolver of a request's origin (written list, source, function or lookup; now or
//! later), and the one place that waits for a lookup before a decision is made.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::dev::{RequestHead, ServiceRequest};

use super::request::Fields;
use super::route_cors::RouteCors;
use crate::algorithm::Field;
use crate::lookup::{Answer, Pending, Resolution};
use crate::origins::AllowedOrigins;
use crate::verdict::{askable_origin, Verdict};

/// What the route's origins say about the request's `origin` field: its verdict,
/// and the ready-made value to echo when it is allowed (`None`: the request's own value, or
/// `*` for `origins = ["*"]`). Without exactly one `Origin` nothing is asked.
#[inline]
pub(crate) fn resolve(cors: &RouteCors, origin: Field<'_>, head: &RequestHead) -> Resolution {
    let Field::One(origin) = origin else {
        return Resolution::Now((Verdict::Refused, None));
    };
    Resolution::Now(match cors.policy.origins() {
        AllowedOrigins::Any => (Verdict::Allowed, None),
        AllowedOrigins::List(list) => match cors.list_match(list, origin) {
            Some(echo) => (Verdict::Allowed, echo.cloned()),
            None => (Verdict::Refused, None),
        },
        AllowedOrigins::Configured(source) => source.resolve(origin),
        AllowedOrigins::Function(function) => match askable_origin(origin) {
            Some(text) if function.call(text, head) => (Verdict::Allowed, None),
            Some(_) => (Verdict::Refused, None),
            None => (Verdict::Unreadable, None),
        },
        AllowedOrigins::Lookup(lookup) => return lookup.resolve(origin),
    })
}

/// How a request is decided once its origin is resolved: from the request, its route, the
/// fields read from it and the verdict, to a decision that borrows nothing. A function item
/// (zero-sized, so the call is inlined).
pub(crate) trait Decide<D>:
    for<'h> Fn(&'h ServiceRequest, &'static RouteCors, Fields<'h>, Answer) -> D + Copy + 'static
{
}

impl<D, F> Decide<D> for F where
    F: for<'h> Fn(&'h ServiceRequest, &'static RouteCors, Fields<'h>, Answer) -> D + Copy + 'static
{
}

/// A decision about a request: made now, or to be made once a lookup lands.
pub(crate) enum Decided<D> {
    Now(D),
    Later(Box<Pending>),
}

impl<D: 'static> Decided<D> {
    /// Resolves the origin of `req` (whose `fields` were read) for `cors`'s route and, if the
    /// answer is known now, decides with `decide`.
    #[inline]
    pub(crate) fn new(
        req: &ServiceRequest,
        cors: &'static RouteCors,
        fields: Fields<'_>,
        decide: impl Decide<D>,
    ) -> Self {
        match resolve(cors, fields.origin, req.head()) {
            Resolution::Now(answer) => Decided::Now(decide(req, cors, fields, answer)),
            Resolution::Later(pending) => Decided::Later(pending),
        }
    }

    /// Goes on with `run`: at once, or once the lookup has landed and `decide` has decided
    /// (with the request's fields read again: the request is moved into the future).
    #[inline]
    pub(crate) fn run<Fut, R>(
        self,
        req: ServiceRequest,
        cors: &'static RouteCors,
        decide: impl Decide<D>,
        run: R,
    ) -> MaybeLater<Fut, Fut::Output>
    where
        Fut: Future + 'static,
        R: FnOnce(ServiceRequest, D) -> Fut + 'static,
    {
        match self {
            Decided::Now(decision) => MaybeLater::Now {
                fut: run(req, decision),
            },
            Decided::Later(pending) => MaybeLater::Later {
                fut: Box::pin(async move {
                    let answer = (*pending).await;
                    let decision = decide(&req, cors, Fields::read(req.head()), answer);
                    run(req, decision).await
                }),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// A response future that runs at once, or that waits for a lookup first (boxed: only a
    /// request whose origin is not cached takes that path).
    #[project = MaybeLaterProj]
    #[allow(missing_docs)] // the fields: the futures the variants name
    pub enum MaybeLater<F, T> {
        /// Decided: the future runs at once.
        Now { #[pin] fut: F },
        /// Waiting for a lookup, then the response future.
        Later { fut: Pin<Box<dyn Future<Output = T>>> },
    }
}

impl<F: Future<Output = T>, T> Future for MaybeLater<F, T> {
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.project() {
            MaybeLaterProj::Now { fut } => fut.poll(cx),
            MaybeLaterProj::Later { fut } => fut.as_mut().poll(cx),
        }
    }
}

impl<F, T> std::fmt::Debug for MaybeLater<F, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MaybeLater::Now { .. } => f.write_str("MaybeLater::Now"),
            MaybeLater::Later { .. } => f.write_str("MaybeLater::Later"),
        }
    }
}
