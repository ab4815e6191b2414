//! The `cors-check` integration tests, as modules of one test binary (one link of actix-web and
//! actix-route-cors for all of them). Each runs the `cors-check` binary against servers on
//! 127.0.0.1, started with the helpers of `tests/support/mod.rs`: actix-web apps, raw TCP
//! servers and a TLS server in front of an app.
//!
//! `route_cors.rs` installs this binary's logger (a process has one) and keeps only the records
//! of its own servers' workers, since the other modules' servers run in the same process.
//!
//! `tests/deployment.rs` keeps a binary of its own: it checks the quickstart's API against the
//! audit `audit::routes()` makes, which lists every `#[cors]` route linked into the program, so
//! that binary links exactly the quickstart's routes (as the quickstart's own program does);
//! here `https.rs` and `route_cors.rs` add theirs (and `probe.rs` serves the quickstart's API
//! too, for `--probe`, which reads no audit).

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod engines;
mod https;
mod local_network;
mod misconfigured;
mod probe;
mod route_cors;
