//! `cargo run --example audit`: every `#[cors]` route of the example app in `app.rs`, as a
//! table — which paths other origins may read, with which methods, request headers,
//! credentials, exposed headers and preflight cache lifetime. Run it in CI, or before each
//! release, and read the diff: the regular review CORS guidance asks for, as one command.
//!
//! `cargo run --example audit -- --json` prints the same routes as JSON (`audit::Json`), the
//! document `cors-check --deployment` checks a running deployment against.
//!
//! `FRONTEND_ORIGINS` is read from the environment like the real app would; when it is not
//! set, the example fills in a stand-in value and says so.

#![forbid(unsafe_code)]

mod app;

fn main() -> Result<(), actix_route_cors::OriginSourceError> {
    if std::env::var_os("FRONTEND_ORIGINS").is_some() {
        // Exactly what the server does at start-up: a bad value stops here, naming the
        // variable and the offending entry.
        app::FRONTEND.load()?;
    } else {
        eprintln!(
            "FRONTEND_ORIGINS is not set: using {} for this example",
            app::STAND_IN_ORIGINS.join(", ")
        );
        app::FRONTEND.set(app::STAND_IN_ORIGINS)?;
    }
    // The App the server would build. The audit does not need it: each `#[cors]` route added
    // itself to the list when the program was compiled (a route whose source is not loaded is
    // listed with `(not loaded)` origins).
    let _app = actix_web::App::new().configure(app::configure);

    if std::env::args().skip(1).any(|a| a == "--json") {
        print!("{}", app::report_json());
    } else {
        print!("{}", app::report());
    }
    Ok(())
}
