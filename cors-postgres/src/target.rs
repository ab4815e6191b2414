//! What the listener keeps current: an `OriginLookup`'s cache.

use cors_runtime::OriginLookup;

use crate::change::Change;

/// Where the changes go.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// A changed origin is forgotten (its next request asks the database again); after a
    /// reconnection, every answer is.
    Lookup(&'static OriginLookup),
}

impl Target {
    /// Applies one notification.
    pub(crate) fn apply(self, change: Change<'_>) {
        match (self, change) {
            (Target::Lookup(lookup), Change::Added(origin) | Change::Removed(origin)) => {
                lookup.forget(origin)
            }
            (Target::Lookup(lookup), Change::Everything) => lookup.clear(),
        }
    }

    /// After (re)connecting, when changes may have been missed.
    pub(crate) async fn resync(self, _client: &tokio_postgres::Client) -> Result<(), String> {
        match self {
            Target::Lookup(lookup) => {
                lookup.clear();
                Ok(())
            }
        }
    }

    /// Names the target in log records.
    pub(crate) fn describe(self) -> String {
        match self {
            Target::Lookup(lookup) => format!("lookup `{}`", lookup.description()),
        }
    }
}
