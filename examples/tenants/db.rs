//! The tenants' front-end origins (and the API's items) in one SQLite file that several
//! processes share.
//!
//! Each process holds one connection behind a mutex; queries run on actix-web's blocking
//! thread pool (`web::block`), never on a worker thread. The file is in WAL mode, so that one
//! process's write does not block the others' reads, and every connection waits up to
//! [`BUSY_TIMEOUT`] for another process's write lock instead of failing at once with
//! `SQLITE_BUSY`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

/// How long a statement waits for another connection's lock (another process writing).
/// Shorter than the lookup's time limit (`LookupSettings::timeout`, 2 s by default), so that a
/// locked database makes the lookup fail with SQLite's error rather than time out.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// The tenant created with a new database.
pub const SEED_TENANT: &str = "acme";
/// The front-end origin [`SEED_TENANT`] is created with.
pub const SEED_ORIGIN: &str = "http://localhost:8091";

/// The schema, version 1 (`PRAGMA user_version`). A tenant is its name; it may have several
/// front-ends, and one origin may serve several tenants (the lookup asks whether an origin is
/// registered for any of them, hence the index on `origin`).
const SCHEMA: &str = "
    CREATE TABLE tenant_origins (
        tenant TEXT NOT NULL,
        origin TEXT NOT NULL,
        PRIMARY KEY (tenant, origin)
    ) STRICT;
    CREATE INDEX tenant_origins_by_origin ON tenant_origins (origin);
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL
    ) STRICT;
    INSERT INTO items (name) VALUES ('tea'), ('cake');
    PRAGMA user_version = 1;
";

/// Runs `f` again while it fails with `SQLITE_BUSY`, for up to [`BUSY_TIMEOUT`].
fn retry_while_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                if Instant::now() >= deadline {
                    return Err(e);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

/// One item of the API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Item {
    pub id: i64,
    pub name: String,
}

/// What [`Db::add_origin`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    Added,
    /// The tenant had that origin already.
    AlreadyThere,
}

/// A process's handle on the database file (cheap to clone: one connection, shared).
#[derive(Clone)]
pub struct Db {
    path: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({})", self.path.display())
    }
}

impl Db {
    /// Opens (or creates) the database at `path`: WAL mode, the busy timeout, and, in a new
    /// file, the schema with [`SEED_TENANT`] allowed from [`SEED_ORIGIN`]. Several processes
    /// may open one file at once: the schema is created in one write transaction, once.
    pub fn open(path: &Path) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers do not wait for a writer, nor a writer for readers. The mode is kept in
        // the file. Switching a new file to it, two processes that start at once can each hold
        // the lock the other needs: SQLite then answers `SQLITE_BUSY` at once, without waiting
        // (its deadlock rule), so the switch is tried again for up to BUSY_TIMEOUT.
        let mode = retry_while_busy(|| {
            conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
                row.get::<_, String>(0)
            })
        })?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!(
                "{} cannot be put in WAL mode (journal mode: {mode})",
                path.display()
            )
            .into());
        }
        // `IMMEDIATE` takes the write lock before reading the version: of two processes
        // opening a new file at once, the second waits and then sees version 1.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        match version {
            0 => {
                tx.execute_batch(SCHEMA)?;
                tx.execute(
                    "INSERT INTO tenant_origins (tenant, origin) VALUES (?1, ?2)",
                    params![SEED_TENANT, SEED_ORIGIN],
                )?;
            }
            1 => {}
            other => {
                return Err(format!(
                    "{} has schema version {other}; this program knows version 1",
                    path.display()
                )
                .into())
            }
        }
        tx.commit()?;
        Ok(Db {
            path: path.to_owned(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection (blocking: call it from `web::block`).
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        // A panic while the connection was held left no transaction open (rusqlite rolls back
        // a dropped `Transaction`): the connection is fine to use again.
        let mut conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut conn)
    }

    /// Whether `origin` is a front-end of any tenant: the question of the CORS lookup.
    pub fn is_registered(&self, origin: &str) -> rusqlite::Result<bool> {
        self.with(|conn| {
            conn.query_row(
                "SELECT 1 FROM tenant_origins WHERE origin = ?1 LIMIT 1",
                [origin],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
        })
    }

    /// Registers `origin` for `tenant`.
    pub fn add_origin(&self, tenant: &str, origin: &str) -> rusqlite::Result<Added> {
        self.with(|conn| {
            let inserted = conn.execute(
                "INSERT OR IGNORE INTO tenant_origins (tenant, origin) VALUES (?1, ?2)",
                params![tenant, origin],
            )?;
            Ok(if inserted == 1 {
                Added::Added
            } else {
                Added::AlreadyThere
            })
        })
    }

    /// Removes `origin` from `tenant`'s front-ends; `false` when it was not one.
    pub fn remove_origin(&self, tenant: &str, origin: &str) -> rusqlite::Result<bool> {
        self.with(|conn| {
            conn.execute(
                "DELETE FROM tenant_origins WHERE tenant = ?1 AND origin = ?2",
                params![tenant, origin],
            )
            .map(|deleted| deleted == 1)
        })
    }

    /// Every `(tenant, origin)`, sorted.
    pub fn origins(&self) -> rusqlite::Result<Vec<(String, String)>> {
        self.with(|conn| {
            let mut statement =
                conn.prepare("SELECT tenant, origin FROM tenant_origins ORDER BY tenant, origin")?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect()
        })
    }

    /// Every item, by id.
    pub fn items(&self) -> rusqlite::Result<Vec<Item>> {
        self.with(|conn| {
            let mut statement = conn.prepare("SELECT id, name FROM items ORDER BY id")?;
            let rows = statement.query_map([], |row| {
                Ok(Item {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Adds an item named `name`.
    pub fn add_item(&self, name: &str) -> rusqlite::Result<Item> {
        self.with(|conn| {
            let id = conn.query_row(
                "INSERT INTO items (name) VALUES (?1) RETURNING id",
                [name],
                |row| row.get(0),
            )?;
            Ok(Item {
                id,
                name: name.to_owned(),
            })
        })
    }
}
