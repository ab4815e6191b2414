//! `cors-check`: asks a server what a browser would ask, applies the browser's CORS checks to
//! the real answers, and says whether a page on a given origin could read the response — and
//! if not, prints the message Chromium shows in the console and what to change.
//!
//! ```text
//! cors-check URL --origin ORIGIN [--method METHOD] [--header NAME[:VALUE]]... [--data BODY] [--credentials]
//!                [--cacert FILE] [--insecure]
//! cors-check --deployment AUDIT.json BASE_URL [--cacert FILE] [--insecure]
//! cors-check --probe URL --origin ORIGIN [--method METHOD] [--cacert FILE] [--insecure]
//! ```
//!
//! Exit status ([`exit`]): 0 a browser would allow the request, 1 it would block it, 2 usage or
//! network error (a certificate a browser refuses is one); with `--probe`, 0 no finding, 1 a
//! finding. URLs are `http://` or `https://`.
//!
//! [`cli`] reads the command line; [`check`] runs one check, following the Fetch standard:
//! [`browser::plan`] decides, as `fetch()` does, what is sent and whether a preflight goes
//! first, [`browser::requests`] writes it, [`net`] sends it (over TLS for `https://`) and keeps
//! every response header field, [`browser::checks`] applies the CORS check and the
//! CORS-preflight checks, and [`report`] prints the steps, the verdict and Chromium's console
//! message ([`browser::console`]). [`deployment`] checks every route of an audit; [`probe`]
//! tries the origins a careless server lets through.
#![forbid(unsafe_code)]

pub mod browser;
pub mod check;
pub mod cli;
pub mod deployment;
pub mod exit;
pub mod net;
pub mod probe;
pub mod report;
pub mod url;

use std::process::ExitCode;

use cli::{Command, USAGE};

fn main() -> ExitCode {
    ExitCode::from(match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            exit::ALLOWED
        }
        Ok(Command::Version) => {
            println!("cors-check {}", env!("CARGO_PKG_VERSION"));
            exit::ALLOWED
        }
        Ok(Command::Check(args)) => check::run(&args),
        Ok(Command::Deployment {
            audit,
            base,
            cacert,
            insecure,
        }) => deployment::run(&audit, &base, cacert.as_deref(), insecure),
        Ok(Command::Probe(args)) => probe::run(&args),
        Err(e) => exit::usage_error(&e.0),
    })
}
