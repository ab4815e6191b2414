//! The listening loop: connect, `LISTEN`, catch up, apply each notification; when the
//! connection drops, wait (bounded, jittered) and start again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cors_runtime::{OriginLookup, OriginSource};
use futures_util::future::poll_fn;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, Config, NoTls};

use crate::backoff::Backoff;
use crate::change::Change;
use crate::status::ListenerStatus;
use crate::target::{Next, Target};

/// Notifications received and not yet applied, at most. Beyond it the listener drops them and
/// starts again from the table, as after a reconnection: bounded memory whatever the rate.
const QUEUE: usize = 4096;

/// Listens to a PostgreSQL channel and applies each origin added or removed to this
/// instance's [`OriginLookup`] at once (see the [crate documentation](crate) for the table,
/// the trigger and the guarantees).
///
/// ```no_run
/// use actix_route_cors::{cors, LookupSettings, OriginLookup};
/// use cors_postgres::OriginListener;
///
/// static TENANTS: OriginLookup = OriginLookup::new("tenant origins in PostgreSQL");
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     let config: cors_postgres::tokio_postgres::Config = "host=127.0.0.1 user=app dbname=app".parse().unwrap();
///     # let ask = |origin: String| async move { Ok::<_, std::io::Error>(origin.is_empty()) };
///     TENANTS.install(LookupSettings::default(), ask).unwrap();
///     // One line: every instance forgets a changed origin as soon as it is committed.
///     actix_web::rt::spawn(OriginListener::for_lookup(config, &TENANTS).run());
///     // ... HttpServer::new(..).bind(..)?.run().await
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct OriginListener {
    config: Config,
    channel: String,
    target: Target,
    backoff: Backoff,
    heartbeat: Duration,
    status: ListenerStatus,
}

impl OriginListener {
    fn new(config: Config, target: Target) -> Self {
        Self {
            config,
            channel: crate::CHANNEL.to_owned(),
            target,
            backoff: Backoff::new(Duration::from_millis(100), Duration::from_secs(5)),
            heartbeat: Duration::from_secs(5),
            status: ListenerStatus::default(),
        }
    }

    /// A listener that makes `lookup` forget each origin added or removed, and forget every
    /// answer when it (re)connects (it may have missed changes while it was not listening).
    /// Between a lost connection and the next, the lookup's own
    /// [`ttl`](cors_runtime::LookupSettings::ttl) and
    /// [`refusal_ttl`](cors_runtime::LookupSettings::refusal_ttl) bound how long a change
    /// takes.
    pub fn for_lookup(config: Config, lookup: &'static OriginLookup) -> Self {
        Self::new(config, Target::Lookup(lookup))
    }

    /// A listener that keeps `source` equal to the table: it reads every origin with `query`
    /// (one `text` column, such as [`ALL_ORIGINS`](crate::ALL_ORIGINS)) when it connects and
    /// after every reconnection, and inserts or removes each origin it is notified of. A
    /// request then reads the list in memory and never waits for the database. Between a
    /// lost connection and the next, the list stays as it was.
    ///
    /// An origin in the table that breaks a rule of [`OriginSource`] (a path, uppercase
    /// letters…) is left out and logged; the others are allowed.
    ///
    /// ```no_run
    /// use actix_route_cors::OriginSource;
    /// use cors_postgres::{OriginListener, ALL_ORIGINS};
    ///
    /// static TENANTS: OriginSource = OriginSource::startup("tenant origins in PostgreSQL");
    ///
    /// # async fn start() {
    /// let config: cors_postgres::tokio_postgres::Config = "host=127.0.0.1 user=app".parse().unwrap();
    /// let listener = OriginListener::for_source(config, &TENANTS, ALL_ORIGINS);
    /// let status = listener.status();
    /// actix_web::rt::spawn(listener.run());
    /// // Serve once the list is loaded (or serve at once: until then no origin is allowed).
    /// while !status.is_listening() {
    ///     actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
    /// }
    /// # }
    /// ```
    pub fn for_source(config: Config, source: &'static OriginSource, query: &'static str) -> Self {
        Self::new(config, Target::Source(source, query))
    }

    /// Listens to `channel` instead of [`CHANNEL`](crate::CHANNEL).
    pub fn channel(mut self, channel: &str) -> Self {
        channel.clone_into(&mut self.channel);
        self
    }

    /// How long to wait before connecting again: from `first`, doubling up to `max`, each
    /// wait drawn between half and all of it. The default is 100 ms up to 5 s.
    pub fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = Backoff::new(first, max);
        self
    }

    /// How often the listener checks that its connection still answers (an empty query, given
    /// as long again to answer): a connection lost without a word (a network cut) is noticed
    /// within twice this. The default is 5 s.
    pub fn heartbeat(mut self, every: Duration) -> Self {
        self.heartbeat = every.max(Duration::from_millis(10));
        self
    }

    /// What the listener is doing, readable while it runs.
    pub fn status(&self) -> ListenerStatus {
        self.status.clone()
    }

    /// Runs for ever: spawn it on the runtime (`actix_web::rt::spawn`, `tokio::spawn`).
    /// Errors are logged (target `actix_route_cors`), never returned.
    pub async fn run(mut self) {
        loop {
            let error = self.session().await;
            self.status.lost();
            let delay = self.backoff.next_delay();
            log::warn!(
                target: cors_runtime::actix::LOG_TARGET,
                "CORS origins: the PostgreSQL listener of {} on channel `{}` is not listening ({error}); \
                 until it is again, changes reach this instance when cached answers expire; \
                 connecting again in {} ms",
                self.target.describe(),
                self.channel,
                delay.as_millis(),
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One connection, from its start to its loss (the error says why).
    async fn session(&mut self) -> String {
        let (client, mut connection) = match self.config.connect(NoTls).await {
            Ok(pair) => pair,
            Err(error) => return format!("cannot connect: {error}"),
        };
        let (sender, mut notifications) = mpsc::channel::<String>(QUEUE);
        let overflowed = Arc::new(AtomicBool::new(false));
        let overflow = Arc::clone(&overflowed);
        // The connection is driven by a task of its own, so that queries (the catch-up, the
        // heartbeat) can run while notifications come in; it ends when `client` is dropped.
        let mut driver = Driver(tokio::spawn(async move {
            loop {
                match poll_fn(|cx| connection.poll_message(cx)).await {
                    Some(Ok(AsyncMessage::Notification(note))) => {
                        if sender.try_send(note.payload().to_owned()).is_err() {
                            overflow.store(true, Ordering::Release);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return format!("connection lost: {error}"),
                    None => return "connection closed".to_owned(),
                }
            }
        }));
        let listen = format!("LISTEN {}", quote_identifier(&self.channel));
        if let Err(error) = client.batch_execute(&listen).await {
            return format!("cannot LISTEN: {error}");
        }
        if let Err(error) = self.target.resync(&client).await {
            return format!("cannot read the origins: {error}");
        }
        self.status.connected();
        self.backoff.reset();
        log::info!(
            target: cors_runtime::actix::LOG_TARGET,
            "CORS origins: {} listens to PostgreSQL channel `{}`",
            self.target.describe(),
            self.channel,
        );
        let mut beat = tokio::time::interval(self.heartbeat);
        beat.tick().await;
        loop {
            tokio::select! {
                received = notifications.recv() => match received {
                    Some(payload) => {
                        self.status.changed();
                        if self.target.apply(Change::parse(&payload)) == Next::Resync {
                            overflowed.store(true, Ordering::Release);
                        }
                    }
                    None => break,
                },
                _ = beat.tick() => {
                    if let Err(error) = check(&client, self.heartbeat).await {
                        return error;
                    }
                }
            }
            if overflowed.swap(false, Ordering::AcqRel) {
                // Some notifications were dropped, or one said so: start again from the table.
                if let Err(error) = self.target.resync(&client).await {
                    return format!("cannot read the origins: {error}");
                }
            }
        }
        drop(client);
        match (&mut driver.0).await {
            Ok(error) => error,
            Err(_) => "connection task ended".to_owned(),
        }
    }
}

/// Whether the connection answers an empty query within `limit`.
async fn check(client: &Client, limit: Duration) -> Result<(), String> {
    match tokio::time::timeout(limit, client.simple_query("")).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!("connection lost: {error}")),
        Err(_) => Err(format!(
            "no answer to a check within {} ms",
            limit.as_millis()
        )),
    }
}

/// A channel name as an SQL identifier: in double quotes, inner quotes doubled.
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The connection's task, stopped when the session ends, whatever way it ends.
struct Driver(tokio::task::JoinHandle<String>);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::quote_identifier;

    #[test]
    fn channel_names_are_quoted() {
        assert_eq!(quote_identifier("cors_origins"), "\"cors_origins\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
