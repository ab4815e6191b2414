//! How long the client waits, and how much of a response it accepts.

use std::time::Duration;

/// How long connecting to one address may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one read or write may wait.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest response head (status line and header fields) accepted.
pub const MAX_HEAD: usize = 64 * 1024;
/// The largest part of a body kept (the rest is not read: the connection is closed).
pub const MAX_BODY: usize = 64 * 1024;
/// The header fields the parser makes room for at first (more as needed, up to
/// [`MAX_FIELDS`]).
pub const FIELDS: usize = 64;
/// The most header fields a response head may have.
pub const MAX_FIELDS: usize = 4096;
