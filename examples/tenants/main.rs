//! Tenants' front-end origins kept in SQLite, changed while the server runs: an API whose
//! `#[cors(origins = TENANTS)]` routes allow the origins the database has, and an admin
//! endpoint that registers a tenant's new front-end, allowed at once, without a restart.
//!
//! ```text
//! cargo run -p tenants-example                          # API on http://127.0.0.1:8090
//! cargo run -p tenants-example -- --port 8093 --db /tmp/tenants.sqlite3
//! ```
//!
//! A package of its own (`examples/tenants/Cargo.toml`), so that SQLite is built for it and
//! not for the root package's examples: `cargo run --example tenants` is not a command.
//!
//! It prints the database's path and `curl` lines that show an origin refused, the admin call
//! that adds it, and the same request allowed. The admin token is `$TENANTS_ADMIN_TOKEN`
//! (default `change-me`).
//!
//! # Several processes, one database
//!
//! Run it twice on one `--db` with two `--port`s, as a deployment runs several instances
//! behind a load balancer. The database is shared; each process has its own cache of answers
//! (`OriginLookup`: one query per origin, then reused):
//!
//! - the process that serves an admin call sees the change **at once**: it calls
//!   `TENANTS.forget(origin)` after the commit, so its next request from that origin asks the
//!   database again;
//! - the others see an **added** origin when their cached refusal expires: within
//!   `REFUSAL_TTL` (5 s), the wait of a tenant trying their new front-end right away, which is
//!   why it is short;
//! - the others see a **removed** origin when their cached answer expires: within `TTL`
//!   (60 s). A removal that must take effect everywhere at once needs a message to every
//!   process (each calls `forget`), or a shorter `TTL` (more queries).
//!
//! `tests/tenants.rs` runs two such processes on one file and measures how long the second
//! one takes to see an added origin.
//!
//! SQLite is opened in WAL mode with a busy timeout, so the processes' reads do not wait for
//! each other's writes; queries run on actix-web's blocking thread pool (`web::block`), never
//! on a worker. Refused requests are explained on stderr, as in the quickstart (the small
//! logger of `examples/support/stderr_logger.rs`: no `RUST_LOG` to set).

#![forbid(unsafe_code)]

#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use std::path::PathBuf;

use actix_web::HttpServer;
use tenants_example::{app, db};

/// The API's port by default (the quickstart has 8080 and 8081).
const DEFAULT_PORT: u16 = 8090;
/// The origin the printed `curl` lines add: a front-end the seeded tenant does not have yet.
const NEW_ORIGIN: &str = "http://localhost:8092";

const USAGE: &str = "usage: cargo run -p tenants-example -- [--db PATH] [--port N]

  --db PATH   the SQLite file (created if absent; default: tenants.sqlite3 in the temporary
              directory). Several processes may share it.
  --port N    the API's port on 127.0.0.1 (default: 8090)

The admin endpoint's bearer token is $TENANTS_ADMIN_TOKEN (default: change-me).";

struct Args {
    db: PathBuf,
    port: u16,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        db: std::env::temp_dir().join("tenants.sqlite3"),
        port: DEFAULT_PORT,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--db" => {
                args.db = given.next().ok_or("--db needs a path")?.into();
            }
            "--port" => {
                let port = given.next().ok_or("--port needs a number")?;
                args.port = port
                    .parse()
                    .map_err(|_| format!("--port {port}: not a port number"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args = match parse_args() {
        Ok(args) => args,
        Err(why) => {
            if !why.is_empty() {
                eprintln!("{why}\n");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    stderr_logger::install();
    let token = app::AdminToken(
        std::env::var("TENANTS_ADMIN_TOKEN").unwrap_or_else(|_| "change-me".to_owned()),
    );

    let db = db::Db::open(&args.db)
        .map_err(|e| std::io::Error::other(format!("cannot open {}: {e}", args.db.display())))?;
    let origins = db.origins().map_err(std::io::Error::other)?;
    // Before the first `App` is built: an app whose lookup has no function does not start.
    app::install(&db, app::settings()).map_err(std::io::Error::other)?;

    let server = {
        let (db, token) = (db.clone(), token.clone());
        HttpServer::new(move || app::app(db.clone(), token.clone()))
            .workers(2)
            .bind(("127.0.0.1", args.port))?
            .run()
    };

    let api = format!("http://127.0.0.1:{}", args.port);
    let token = &token.0;
    println!("Tenants API:  {api}");
    println!("Database:     {}", db.path().display());
    println!("Tenant origins in it now:");
    for (tenant, origin) in &origins {
        println!("  {tenant:<10} {origin}");
    }
    println!();
    println!("Try it with curl, as a browser would (no restart in between):");
    if origins.iter().any(|(_, o)| o == NEW_ORIGIN) {
        println!("0. {NEW_ORIGIN} is registered already (an earlier run); remove it first:");
        println!(
            "   curl -i -X DELETE {api}/admin/origins -H 'Authorization: Bearer {token}' \
             -H 'Content-Type: application/json' -d '{{\"tenant\":\"acme\",\"origin\":\"{NEW_ORIGIN}\"}}'"
        );
    }
    println!(
        "1. A front-end the database does not know: refused (no Access-Control-Allow-Origin):"
    );
    println!("   curl -i {api}/api/items -H 'Origin: {NEW_ORIGIN}'");
    println!("2. Tenant acme registers it (admin endpoint, bearer token):");
    println!(
        "   curl -i {api}/admin/origins -H 'Authorization: Bearer {token}' \
         -H 'Content-Type: application/json' -d '{{\"tenant\":\"acme\",\"origin\":\"{NEW_ORIGIN}\"}}'"
    );
    println!("3. The same request, allowed at once (the origin echoed, with credentials):");
    println!("   curl -i {api}/api/items -H 'Origin: {NEW_ORIGIN}'");
    println!("4. Its preflight for a JSON write, allowed too:");
    println!(
        "   curl -i -X OPTIONS {api}/api/items -H 'Origin: {NEW_ORIGIN}' \
         -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type'"
    );
    println!("5. A bad origin is refused by the crate's rules (400, with the rule's message):");
    println!(
        "   curl -i {api}/admin/origins -H 'Authorization: Bearer {token}' \
         -H 'Content-Type: application/json' -d '{{\"tenant\":\"acme\",\"origin\":\"https://a.example/\"}}'"
    );
    println!();
    println!(
        "Another instance on the same database sees step 2 within {:?} (its cached refusal \
         expires); a removal (DELETE /admin/origins, same body) within {:?}:",
        app::REFUSAL_TTL,
        app::TTL
    );
    println!(
        "   cargo run -p tenants-example -- --db {} --port {}",
        db.path().display(),
        args.port + 3
    );
    println!();
    println!("Refused requests are explained below (log target `actix_route_cors`). Ctrl-C stops.");

    server.await
}
