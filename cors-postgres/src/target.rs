//! What the listener keeps current: an `OriginLookup`'s cache, or an `OriginSource`'s list.

use cors_runtime::{OriginLookup, OriginSource};
use tokio_postgres::Client;

use crate::change::Change;

/// Where the changes go.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// A changed origin is forgotten (its next request asks the database again); after a
    /// reconnection, every answer is.
    Lookup(&'static OriginLookup),
    /// A changed origin is inserted or removed; after a reconnection the whole list is read
    /// again with the query.
    Source(&'static OriginSource, &'static str),
}

/// What applying a change asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Nothing.
    Done,
    /// Read everything again.
    Resync,
}

impl Target {
    /// Applies one notification.
    pub(crate) fn apply(self, change: Change<'_>) -> Next {
        match (self, change) {
            (Target::Lookup(lookup), Change::Added(origin) | Change::Removed(origin)) => {
                lookup.forget(origin)
            }
            (Target::Lookup(lookup), Change::Everything) => lookup.clear(),
            (Target::Source(source, _), Change::Added(origin)) => {
                if let Err(error) = source.insert(origin) {
                    log::warn!(
                        target: cors_runtime::actix::LOG_TARGET,
                        "CORS origins: an origin added in PostgreSQL is not allowed: {error}"
                    );
                }
            }
            (Target::Source(source, _), Change::Removed(origin)) => {
                source.remove(origin);
            }
            (Target::Source(..), Change::Everything) => return Next::Resync,
        }
        Next::Done
    }

    /// After (re)connecting, when changes may have been missed.
    pub(crate) async fn resync(self, client: &Client) -> Result<(), String> {
        match self {
            Target::Lookup(lookup) => {
                lookup.clear();
                Ok(())
            }
            Target::Source(source, query) => {
                let rows = client.query(query, &[]).await.map_err(|e| e.to_string())?;
                let origins = rows
                    .iter()
                    .map(|row| row.try_get::<_, String>(0))
                    .collect::<Result<Vec<String>, _>>()
                    .map_err(|e| e.to_string())?;
                load(source, origins);
                Ok(())
            }
        }
    }

    /// Names the target in log records.
    pub(crate) fn describe(self) -> String {
        match self {
            Target::Lookup(lookup) => format!("lookup `{}`", lookup.description()),
            Target::Source(source, _) => format!("origin set ({})", source.kind()),
        }
    }
}

/// Makes `origins` the source's list; an entry that breaks a rule is left out and logged (the
/// others are allowed), an empty table empties the list.
fn load(source: &OriginSource, mut origins: Vec<String>) {
    if origins.is_empty() {
        empty(source);
        return;
    }
    if let Err(error) = source.set(&origins) {
        log::warn!(
            target: cors_runtime::actix::LOG_TARGET,
            "CORS origins: origins in PostgreSQL are not allowed: {error}"
        );
        let bad: Vec<String> = error
            .offending_entries()
            .into_iter()
            .map(str::to_owned)
            .collect();
        origins.retain(|o| !bad.contains(o));
        if origins.is_empty() || source.set(&origins).is_err() {
            empty(source);
        }
    }
}

/// Leaves `source` filled with no origin: it allows nothing, and an `App` whose route reads it
/// can be built (a source never filled refuses to be).
fn empty(source: &OriginSource) {
    const NONE: &str = "https://no-origin.invalid";
    if !source.is_loaded() && source.insert(NONE).is_ok() {
        source.remove(NONE);
    }
    for origin in source.origins().iter().flat_map(|o| o.iter()) {
        source.remove(origin);
    }
}
