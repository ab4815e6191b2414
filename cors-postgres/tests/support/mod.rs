//! What the PostgreSQL tests share.
#![allow(dead_code)]

pub mod cluster;

use std::future::Future;
use std::time::{Duration, Instant};

use cors_postgres::tokio_postgres::{Client, Config, NoTls};

/// A connection whose driver runs on the current runtime.
pub async fn connect(config: &Config) -> Client {
    let (client, connection) = config.connect(NoTls).await.expect("connects");
    actix_rt::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// Polls `check` every millisecond until it is true; how long that took, or `None` after
/// `limit`.
pub async fn within<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return Some(start.elapsed());
        }
        if start.elapsed() > limit {
            return None;
        }
        actix_rt::time::sleep(Duration::from_millis(1)).await;
    }
}
