//! One lookup in flight, which every request for the same origin waits on (single flight).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use actix_web::http::header::HeaderValue;

use crate::verdict::Verdict;

/// What a finished lookup answered: the verdict, and the value to echo when it allowed.
pub(crate) type Answer = (Verdict, Option<HeaderValue>);

/// A lookup in flight: its answer once it has one, and the requests waiting for it.
#[derive(Debug, Default)]
pub(crate) struct Flight {
    state: Mutex<State>,
    /// The origin was forgotten while the lookup ran: its answer may predate the change that
    /// made the application forget it, so it is given to the requests waiting but not cached.
    stale: AtomicBool,
}

#[derive(Debug, Default)]
struct State {
    answer: Option<Answer>,
    waiting: Vec<Waker>,
}

impl Flight {
    /// Marks the answer to come as not to be cached.
    pub(crate) fn make_stale(&self) {
        self.stale.store(true, Ordering::Relaxed);
    }

    /// Whether [`make_stale`](Self::make_stale) was called.
    pub(crate) fn is_stale(&self) -> bool {
        self.stale.load(Ordering::Relaxed)
    }

    /// Records the answer and wakes every waiting request. The first answer stands.
    pub(crate) fn land(&self, answer: Answer) {
        let waiting = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.answer.is_some() {
                return;
            }
            state.answer = Some(answer);
            std::mem::take(&mut state.waiting)
        };
        for waker in waiting {
            waker.wake();
        }
    }
}

/// A request waiting for a [`Flight`]'s answer.
#[derive(Debug)]
pub(crate) struct Waiting(pub(crate) Arc<Flight>);

impl Future for Waiting {
    type Output = Answer;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        let mut state = self.0.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(answer) = &state.answer {
            return Poll::Ready(answer.clone());
        }
        if !state.waiting.iter().any(|w| w.will_wake(cx.waker())) {
            state.waiting.push(cx.waker().clone());
        }
        Poll::Pending
    }
}
