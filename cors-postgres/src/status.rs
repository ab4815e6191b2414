//! What a running listener reports.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Debug, Default)]
struct Shared {
    listening: AtomicBool,
    sessions: AtomicU64,
    changes: AtomicU64,
}

/// A view of a running [`OriginListener`](crate::OriginListener), from
/// [`OriginListener::status`](crate::OriginListener::status): for a health check, or a test
/// that waits until changes are pushed.
#[derive(Debug, Clone, Default)]
pub struct ListenerStatus(Arc<Shared>);

impl ListenerStatus {
    /// Whether the listener is connected, listening, and caught up with the table (changes
    /// reach the instance at once).
    pub fn is_listening(&self) -> bool {
        self.0.listening.load(Ordering::Acquire)
    }

    /// How many times it connected and caught up (the first time included).
    pub fn sessions(&self) -> u64 {
        self.0.sessions.load(Ordering::Acquire)
    }

    /// How many notifications it applied.
    pub fn changes(&self) -> u64 {
        self.0.changes.load(Ordering::Acquire)
    }

    pub(crate) fn connected(&self) {
        self.0.sessions.fetch_add(1, Ordering::AcqRel);
        self.0.listening.store(true, Ordering::Release);
    }

    pub(crate) fn lost(&self) {
        self.0.listening.store(false, Ordering::Release);
    }

    pub(crate) fn changed(&self) {
        self.0.changes.fetch_add(1, Ordering::AcqRel);
    }
}
