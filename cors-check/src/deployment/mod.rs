//! `cors-check --deployment AUDIT.json BASE_URL`: every route of the audit (`cargo run
//! --example audit -- --json`, or `actix_route_cors::audit::Json` in the application) checked
//! against a running deployment. A reverse proxy or CDN that strips, adds, duplicates or rewrites
//! a CORS header is the usual reason a policy that is right in the code fails in production.
//!
//! [`audit`] reads what each route promises; [`probe`] plans the requests that test it (four per
//! path, the full paths when the audit knows them) and sends them; [`compare`] names how each
//! answer differs from the promise. [`run`] prints a line per route and a summary.

pub mod audit;
pub mod compare;
pub mod probe;

use crate::exit::{ALLOWED, BLOCKED, ERROR};
use crate::net::tls::Tls;
use crate::url::Target;
use audit::Route;

/// Runs the check: reads `audit`, probes every route at `base`, prints a line per route (and
/// one per difference) and a summary; returns the exit status (0: every route as promised,
/// 1: some route differs, 2: the audit, the URL or the network failed).
pub fn run(audit: &str, base: &str, cacert: Option<&str>, insecure: bool) -> u8 {
    match check(audit, base, cacert, insecure) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("cors-check: {message}");
            ERROR
        }
    }
}

fn check(audit: &str, base: &str, cacert: Option<&str>, insecure: bool) -> Result<u8, String> {
    let text = std::fs::read_to_string(audit)
        .map_err(|e| format!("cannot read the audit `{audit}`: {e}"))?;
    let routes = audit::parse(&text).map_err(|e| format!("`{audit}`: {e}"))?;
    let base = base.trim_end_matches('/');
    let tls = Tls::for_scheme(Target::parse(base)?.scheme, cacert, insecure)?;
    if insecure {
        println!("WARNING: --insecure: the server's TLS certificate is NOT verified.");
    }
    let mut differ = 0;
    for route in &routes {
        differ += usize::from(check_route(route, base, tls.as_ref())?);
    }
    println!("{} routes, {differ} differ", routes.len());
    Ok(if differ > 0 { BLOCKED } else { ALLOWED })
}

/// Probes one route and prints its line, and one per difference; says whether it differs.
fn check_route(route: &Route, base: &str, tls: Option<&Tls>) -> Result<bool, String> {
    let mut lines = Vec::new();
    if route.origins.is_none() {
        let why = match route.source.as_deref() {
            Some(s) if s.starts_with("fn ") || s.starts_with("lookup ") => format!(
                "its origins are decided at run time ({s}), so the audit names none to ask from; the refused-origin probes ran"
            ),
            _ => "its origins come from a source that was not loaded when the audit was made"
                .to_owned(),
        };
        lines.push(format!("  allowed origins not checked: {why}"));
    }
    for probe in probe::probes(route) {
        for difference in probe.run(base, tls)? {
            lines.push(format!("  {}: {difference}", probe.what));
        }
    }
    let differs = lines.iter().any(|l| !l.starts_with("  not checked"));
    println!(
        "{}  {}  {} {}",
        if differs { "DIFFERS" } else { "ok     " },
        route.handler,
        route.methods.join(","),
        route.paths.join(", ")
    );
    for line in lines {
        println!("{line}");
    }
    Ok(differs)
}
