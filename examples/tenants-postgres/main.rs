//! The tenants example with its origins in PostgreSQL: an origin removed through the admin
//! endpoint is refused at once, by this instance and by every other one listening to the same
//! database (cors-postgres's `OriginListener`), without waiting for a cached answer to expire.
//!
//! ```text
//! cargo run -p tenants-postgres-example -- postgres://user@127.0.0.1:5432/db [--port N]
//! DATABASE_URL=postgres://user@127.0.0.1:5432/db cargo run -p tenants-postgres-example
//! ```
//!
//! It creates the table and trigger of `cors_postgres::SCHEMA` (and a `tenant` column) if they
//! are missing. The admin token is `$TENANTS_ADMIN_TOKEN` (default `change-me`). Run it twice
//! on one database with two `--port`s: a change made through either is seen by both.

#![forbid(unsafe_code)]

#[path = "../support/stderr_logger.rs"]
mod stderr_logger;

use std::sync::Arc;

use actix_web::HttpServer;
use cors_postgres::tokio_postgres::Config;
use tenants_postgres_example as tenants;

/// The API's port by default (the SQLite tenants example has 8090).
const DEFAULT_PORT: u16 = 8094;

const USAGE: &str = "usage: cargo run -p tenants-postgres-example -- URL [--port N]

  URL         the PostgreSQL database, e.g. postgres://user@127.0.0.1:5432/db
              (or set DATABASE_URL); no TLS
  --port N    the API's port on 127.0.0.1 (default: 8094)

The admin endpoint's bearer token is $TENANTS_ADMIN_TOKEN (default: change-me).";

fn parse_args() -> Result<(Config, u16), String> {
    let mut url = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty());
    let mut port = DEFAULT_PORT;
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--port" => {
                let n = given.next().ok_or("--port needs a number")?;
                port = n
                    .parse()
                    .map_err(|_| format!("--port {n}: not a port number"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with("--") => return Err(format!("unknown argument `{other}`")),
            other => url = Some(other.to_owned()),
        }
    }
    let url = url.ok_or("no database: pass its URL, or set DATABASE_URL")?;
    let config = url
        .parse::<Config>()
        .map_err(|e| format!("`{url}` is not a PostgreSQL URL: {e}"))?;
    Ok((config, port))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let (config, port) = match parse_args() {
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
    let token = tenants::AdminToken(
        std::env::var("TENANTS_ADMIN_TOKEN").unwrap_or_else(|_| "change-me".to_owned()),
    );

    let client = tenants::connect(&config)
        .await
        .map_err(|e| std::io::Error::other(format!("cannot connect to PostgreSQL: {e}")))?;
    tenants::migrate(&client)
        .await
        .map_err(|e| std::io::Error::other(format!("cannot create the table: {e}")))?;
    let client = Arc::new(client);
    tenants::install(Arc::clone(&client), tenants::settings()).map_err(std::io::Error::other)?;
    actix_web::rt::spawn(tenants::listener(config).run());

    let server = {
        let token = token.clone();
        HttpServer::new(move || tenants::app(Arc::clone(&client), token.clone()))
            .workers(2)
            .bind(("127.0.0.1", port))?
            .run()
    };

    let api = format!("http://127.0.0.1:{port}");
    let token = &token.0;
    let origin = "http://localhost:8092";
    let body = format!("{{\"tenant\":\"acme\",\"origin\":\"{origin}\"}}");
    println!("Tenants API (origins in PostgreSQL): {api}");
    println!("Try it with curl:");
    println!(
        "1. Register a tenant's front-end:\n   curl -i {api}/admin/origins \
         -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' -d '{body}'"
    );
    println!("2. A request from it, allowed:\n   curl -i {api}/api/items -H 'Origin: {origin}'");
    println!(
        "3. Remove it (or DELETE the row in psql):\n   curl -i -X DELETE {api}/admin/origins \
         -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' -d '{body}'"
    );
    println!("4. The same request, refused at once, here and in every other instance.");
    println!("Refused requests are explained below (log target `actix_route_cors`). Ctrl-C stops.");

    server.await
}
