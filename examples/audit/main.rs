//! `cargo run --example audit`: every `#[cors]` route of the example app in `app.rs`, as a
//! table — which paths other origins may read, with which methods, request headers,
//! credentials, exposed headers and preflight cache lifetime. Run it in CI, or before each
//! release, and read the diff: the regular review CORS guidance asks for, as one command.
//!
//! `FRONTEND_ORIGINS` is read from the environment like the real app would; when it is not
//! set, the example fills in a stand-in value and says so.

#![forbid(unsafe_code)]

mod app;

use actix_route_cors::audit;

fn main() -> Result<(), actix_route_cors::OriginSourceError> {
    if std::env::var_os("FRONTEND_ORIGINS").is_some() {
        // Exactly what the server does at start-up: a bad value stops here, naming the
        // variable and the offending entry.
        app::FRONTEND.load()?;
    } else {
        eprintln!("FRONTEND_ORIGINS is not set: using https://app.example.com for this example");
        app::FRONTEND.set(["https://app.example.com"])?;
    }
    // The app is built as the server would build it, so an `OriginSource` left unloaded
    // would stop the audit just as it stops the server.
    let _app = actix_web::App::new().configure(app::configure);

    let routes = audit::routes();
    print!("{}", audit::Table(&routes));
    println!(
        "{} #[cors] routes; origins marked `env ..` come from the environment.",
        routes.len()
    );
    Ok(())
}
