//! The verdict about a request's origin when a function or a lookup decides the route's
//! origins, and the futures that wait for a lookup.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::dev::RequestHead;
use actix_web::http::header::HeaderValue;

use super::route_cors::RouteCors;
use crate::algorithm::Field;
use crate::lookup::{Judging, Pending};
use crate::policy::{AllowedOrigins, Policy};
use crate::verdict::{askable_origin, Verdict};

/// The policy to decide one request with, what its source, function or lookup answered
/// about the request's origin, and the value to echo if it is allowed (`None`: the route's
/// own value, or the request's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct View<'a> {
    pub(crate) policy: &'a Policy,
    pub(crate) verdict: Option<Verdict>,
    pub(crate) echo: Option<&'a HeaderValue>,
}

impl<'a> View<'a> {
    /// The route's own policy, for origins that are written.
    pub(crate) fn route(cors: &'a RouteCors) -> Self {
        View {
            policy: &cors.policy,
            verdict: None,
            echo: None,
        }
    }

    /// The policy with the verdict in it, to explain a refusal with (a copy, made only then).
    pub(crate) fn explaining(&self) -> Policy {
        match self.verdict {
            Some(verdict) => self.policy.judged_by_glue(verdict),
            None => *self.policy,
        }
    }
}

/// The verdict about one request's origin from its route's function or lookup.
#[derive(Debug)]
pub(crate) struct Judged {
    cors: &'static RouteCors,
    verdict: Verdict,
    echo: Option<HeaderValue>,
}

impl Judged {
    /// `cors`'s policy with a lookup's (or a function's) answer.
    pub(crate) fn new(
        cors: &'static RouteCors,
        (verdict, echo): (Verdict, Option<HeaderValue>),
    ) -> Self {
        Judged {
            cors,
            verdict,
            echo,
        }
    }

    /// The route's policy with the verdict.
    pub(crate) fn view(&self) -> View<'_> {
        View {
            policy: &self.cors.policy,
            verdict: Some(self.verdict),
            echo: self.echo.as_ref(),
        }
    }
}

/// The verdict about a request's origin: now, or when a lookup lands.
#[derive(Debug)]
pub(crate) enum Judgement {
    Now(Judged),
    Later(Pending),
}

/// Asks the source, the function or the lookup of `cors`'s policy about the request's origin
/// (`field`: its `Origin` field(s)); `None` for a policy whose
/// origins are written (it decides alone). Without exactly one `Origin` nothing is asked: a
/// request without one is not a CORS request, several are refused.
pub(crate) fn judge(
    cors: &'static RouteCors,
    field: Field<'_>,
    head: &RequestHead,
) -> Option<Judgement> {
    let named = cors.policy.named_origins()?;
    let Field::One(origin) = field else {
        return Some(Judgement::Now(Judged::new(cors, (Verdict::Refused, None))));
    };
    let answer = match named.origins() {
        AllowedOrigins::Configured(source) => source.judge(origin),
        AllowedOrigins::Function(function) => match askable_origin(origin) {
            Some(text) if function.call(text, head) => (Verdict::Allowed, None),
            Some(_) => (Verdict::Refused, None),
            None => (Verdict::Unreadable, None),
        },
        AllowedOrigins::Lookup(lookup) => match lookup.judge(origin) {
            Judging::Now(answer) => answer,
            Judging::Later(pending) => return Some(Judgement::Later(pending)),
        },
        _ => return None,
    };
    Some(Judgement::Now(Judged::new(cors, answer)))
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

impl<F, T> MaybeLater<F, T> {
    pub(crate) fn now(fut: F) -> Self {
        MaybeLater::Now { fut }
    }

    pub(crate) fn later(fut: impl Future<Output = T> + 'static) -> Self {
        MaybeLater::Later { fut: Box::pin(fut) }
    }
}

impl<F: Future<Output = T>, T> Future for MaybeLater<F, T> {
    type Output = T;

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
