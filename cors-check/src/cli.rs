//! The command line: `cors-check URL --origin O [--method M] [--header NAME[:VALUE]]... [--credentials]
//! [--engine E] [--cacert FILE] [--insecure]`, `cors-check --deployment AUDIT BASE_URL` and
//! `cors-check --probe URL --origin O [--method M]`.

use std::fmt;

use crate::browser::engines::Judge;

/// The usage text, printed by `--help` and after a usage error.
pub const USAGE: &str = "\
Usage: cors-check URL --origin ORIGIN [--method METHOD] [--header NAME[:VALUE]]... [--data BODY] [--credentials]
                  [--engine chromium|firefox|webkit] [--cacert FILE] [--insecure]
       cors-check --deployment AUDIT.json BASE_URL [--cacert FILE] [--insecure]
       cors-check --probe URL --origin ORIGIN [--method METHOD] [--cacert FILE] [--insecure]

Sends what a browser would send for fetch(URL, {method, headers, credentials}) from a page on
ORIGIN (a preflight first when the Fetch standard asks for one), applies the browser's CORS
checks to the server's real responses, and prints each step, the verdict and, when the browser
would block the request, the message Chromium prints in the console.

Options:
  -o, --origin ORIGIN        the page's origin, as browsers send it: https://app.example.com
  -X, --method METHOD        the request method (default GET); fetch() uppercases DELETE, GET,
                             HEAD, OPTIONS, POST and PUT, and sends any other method as written
  -H, --header NAME[:VALUE]  a request header the script sets (repeatable); no VALUE sends ''
  -d, --data BODY            a string body (fetch() then adds content-type: text/plain;charset=UTF-8
                             unless a content-type header is given)
      --credentials          credentials: 'include' (cookies, HTTP auth)
      --engine ENGINE        whose verdict the exit status is: chromium, firefox or webkit
                             (what that engine does where it differs from the Fetch standard,
                             as measured or cited), or standard (the default: the Fetch
                             standard's, with what the engines do said beside it)
      --deployment AUDIT     check every route of AUDIT (the JSON of `audit::Json`, e.g.
                             `cargo run --example audit -- --json`) on the deployment at
                             BASE_URL: preflights and safe (GET, HEAD) requests from an allowed
                             and a refused origin, compared with what each policy sends; exit
                             status 1 if a route differs
      --probe                an adversarial scan of URL: requests and preflights from origins
                             derived from ORIGIN (one the server allows) that a careless check
                             lets through (ORIGIN.evil.test, evilHOST, null, http://, another
                             port, a subdomain, control bytes, two Origin fields, ...); also a
                             missing Vary: Origin, * with credentials and a huge
                             Access-Control-Request-Headers. One line per finding, with its
                             severity. The preflights ask for METHOD (default GET); the request
                             itself is sent only when METHOD is GET or HEAD (a probe changes
                             nothing)
      --cacert FILE          for https:// URLs: also trust the CA certificates in FILE (PEM), e.g.
                             the CA of a test or internal server; Mozilla's roots are built in
      --insecure             for https:// URLs: accept the server's certificate without verifying
                             it (the report says so, and what a browser would say of it)
  -h, --help                 this text
  -V, --version              the version

URL is an http:// or https:// URL (HTTP/1.1; over TLS 1.2 or 1.3 for https://).

Exit status: 0 a browser would allow the request, 1 it would block it (with --engine: that
engine), 2 usage or network error.
With --probe: 0 no finding, 1 a finding, 2 usage or network error.";

/// What the command line asks for, before any Fetch rule is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The URL, as written.
    pub url: String,
    /// `--origin`, as written.
    pub origin: String,
    /// `--method`, as written (`GET` when absent).
    pub method: String,
    /// Each `--header`: the name and the value (`None` when no `:` was written).
    pub headers: Vec<(String, Option<String>)>,
    /// `--data`: the request body.
    pub data: Option<String>,
    /// `--credentials`.
    pub credentials: bool,
    /// `--engine`: whose verdict the exit status is (the Fetch standard's by default).
    pub engine: Judge,
    /// `--cacert`: a PEM file of CA certificates to trust besides the built-in roots.
    pub cacert: Option<String>,
    /// `--insecure`: accept any server certificate.
    pub insecure: bool,
}

/// What `--probe` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeArgs {
    /// The URL, as written.
    pub url: String,
    /// `--origin`: the origin the server allows, from which the attempts are derived.
    pub origin: String,
    /// `--method`, as written (`GET` when absent): what the preflights ask for, and the
    /// method of the requests when it is `GET` or `HEAD`.
    pub method: String,
    /// `--cacert`.
    pub cacert: Option<String>,
    /// `--insecure`.
    pub insecure: bool,
}

/// What to do instead of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Check a request.
    Check(Args),
    /// Check a deployment against an audit.
    Deployment {
        /// The audit file.
        audit: String,
        /// The deployment's base URL.
        base: String,
        /// `--cacert`.
        cacert: Option<String>,
        /// `--insecure`.
        insecure: bool,
    },
    /// Probe a URL with origins derived from an allowed one.
    Probe(ProbeArgs),
    /// Print the usage text.
    Help,
    /// Print the version.
    Version,
}

/// A command line that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn usage(message: impl Into<String>) -> UsageError {
    UsageError(message.into())
}

/// Parses the arguments after the program name. Options may come before or after the URL and
/// take their value as the next argument or after `=` (`--origin=https://a.example`).
pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, UsageError> {
    let mut args = args.into_iter();
    let mut url = None;
    let mut origin = None;
    let mut method = None;
    let mut headers = Vec::new();
    let mut data = None;
    let mut credentials = false;
    let mut engine = None;
    let mut cacert = None;
    let mut insecure = false;
    let mut deployment = None;
    let mut probe = false;
    let mut only_positional = false;

    while let Some(arg) = args.next() {
        if only_positional || !arg.starts_with('-') || arg == "-" {
            if url.replace(arg.clone()).is_some() {
                return Err(usage(format!(
                    "one URL only: `{arg}` is a second one (quote a URL that contains `&`)"
                )));
            }
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if arg.starts_with("--") => (flag.to_owned(), Some(value)),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, UsageError> {
            match inline {
                Some(v) => Ok(v.to_owned()),
                None => args
                    .next()
                    .ok_or_else(|| usage(format!("{name} needs a value"))),
            }
        };
        match flag.as_str() {
            "--" => only_positional = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--deployment" => {
                let v = value("--deployment")?;
                if deployment.replace(v).is_some() {
                    return Err(usage("--deployment is given twice"));
                }
            }
            "-o" | "--origin" => {
                let v = value("--origin")?;
                if origin.replace(v).is_some() {
                    return Err(usage("--origin is given twice"));
                }
            }
            "-X" | "--method" => {
                let v = value("--method")?;
                if method.replace(v).is_some() {
                    return Err(usage("--method is given twice"));
                }
            }
            "-H" | "--header" => {
                let v = value("--header")?;
                headers.push(match v.split_once(':') {
                    Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                    None => (v, None),
                });
            }
            "-d" | "--data" => {
                let v = value("--data")?;
                if data.replace(v).is_some() {
                    return Err(usage("--data is given twice"));
                }
            }
            "--probe" => {
                if inline.is_some() {
                    return Err(usage(
                        "--probe takes no value: write the URL after it (--probe URL)",
                    ));
                }
                probe = true;
            }
            "--credentials" => {
                if inline.is_some() {
                    return Err(usage("--credentials takes no value"));
                }
                credentials = true;
            }
            "--engine" => {
                let v = Judge::parse(&value("--engine")?).map_err(usage)?;
                if engine.replace(v).is_some() {
                    return Err(usage("--engine is given twice"));
                }
            }
            "--cacert" => {
                let v = value("--cacert")?;
                if cacert.replace(v).is_some() {
                    return Err(usage(
                        "--cacert is given twice (put every CA certificate in one PEM file)",
                    ));
                }
            }
            "--insecure" => {
                if inline.is_some() {
                    return Err(usage("--insecure takes no value"));
                }
                insecure = true;
            }
            _ => return Err(usage(format!("unknown option `{flag}`"))),
        }
    }

    let url = url.ok_or_else(|| usage("the URL is missing"))?;
    if engine.is_some() && (probe || deployment.is_some()) {
        return Err(usage(
            "--engine applies to the check of one URL: --probe and --deployment judge every answer by the Fetch standard",
        ));
    }
    if probe && deployment.is_some() {
        return Err(usage(
            "--probe and --deployment are two different runs: give one of them",
        ));
    }
    if let Some(audit) = deployment {
        if origin.is_some()
            || method.is_some()
            || !headers.is_empty()
            || data.is_some()
            || credentials
        {
            return Err(usage("--deployment takes no --origin, --method, --header, --data or --credentials: each route's policy says what to send"));
        }
        return Ok(Command::Deployment {
            audit,
            base: url,
            cacert,
            insecure,
        });
    }
    if probe {
        if !headers.is_empty() || data.is_some() || credentials {
            return Err(usage("--probe takes no --header, --data or --credentials: it sends its own requests, and judges every answer with and without credentials"));
        }
        let origin = origin.ok_or_else(|| {
            usage("--origin is missing: the origin the server allows, from which --probe derives the origins it tries, e.g. --origin https://app.example.com")
        })?;
        return Ok(Command::Probe(ProbeArgs {
            url,
            origin,
            method: method.unwrap_or_else(|| "GET".to_owned()),
            cacert,
            insecure,
        }));
    }
    let origin = origin.ok_or_else(|| {
        usage("--origin is missing: the origin of the page that makes the request, e.g. --origin https://app.example.com")
    })?;
    Ok(Command::Check(Args {
        url,
        origin,
        method: method.unwrap_or_else(|| "GET".to_owned()),
        headers,
        data,
        credentials,
        engine: engine.unwrap_or_default(),
        cacert,
        insecure,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &[&str]) -> Result<Command, UsageError> {
        parse(line.iter().map(|s| s.to_string()))
    }

    #[test]
    fn every_option_in_both_spellings() {
        let cmd = parse_str(&[
            "--origin=https://a.example",
            "http://127.0.0.1:1/x",
            "-X",
            "put",
            "-H",
            "x-a:1",
            "--header",
            "X-B",
            "--header=content-type: text/plain",
            "-d",
            "a=1",
            "--credentials",
            "--engine=firefox",
            "--cacert=ca.pem",
            "--insecure",
        ])
        .unwrap();
        assert_eq!(
            cmd,
            Command::Check(Args {
                url: "http://127.0.0.1:1/x".into(),
                origin: "https://a.example".into(),
                method: "put".into(),
                headers: vec![
                    ("x-a".into(), Some("1".into())),
                    ("X-B".into(), None),
                    ("content-type".into(), Some(" text/plain".into())),
                ],
                data: Some("a=1".into()),
                credentials: true,
                engine: Judge::Engine(crate::browser::engines::Engine::Firefox),
                cacert: Some("ca.pem".into()),
                insecure: true,
            })
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse_str(&["http://x/"]).unwrap_err().0.split(':').next(),
            Some("--origin is missing")
        );
        assert_eq!(
            parse_str(&["--origin", "https://a.example"]).unwrap_err().0,
            "the URL is missing"
        );
        assert_eq!(
            parse_str(&["http://x/", "--origin"]).unwrap_err().0,
            "--origin needs a value"
        );
        assert_eq!(
            parse_str(&["http://x/", "--bogus"]).unwrap_err().0,
            "unknown option `--bogus`"
        );
        assert_eq!(
            parse_str(&["http://x/", "http://y/", "-o", "https://a.example"])
                .unwrap_err()
                .0,
            "one URL only: `http://y/` is a second one (quote a URL that contains `&`)"
        );
        assert_eq!(parse_str(&["http://x/", "-h"]), Ok(Command::Help));
        assert!(
            parse_str(&["http://x/", "-o", "https://a.example", "--engine", "blink"])
                .unwrap_err()
                .0
                .starts_with("--engine `blink`: write chromium, firefox, webkit or standard")
        );
        assert!(parse_str(&[
            "--probe",
            "http://x/",
            "-o",
            "https://a.example",
            "--engine=webkit"
        ])
        .unwrap_err()
        .0
        .starts_with("--engine applies to the check of one URL"));
    }

    #[test]
    fn probe() {
        assert_eq!(
            parse_str(&[
                "--probe",
                "https://api.example.com/items",
                "--origin=https://app.example.com",
                "-X",
                "PUT",
                "--insecure",
            ]),
            Ok(Command::Probe(ProbeArgs {
                url: "https://api.example.com/items".into(),
                origin: "https://app.example.com".into(),
                method: "PUT".into(),
                cacert: None,
                insecure: true,
            }))
        );
        let error = |line: &[&str]| parse_str(line).unwrap_err().0;
        assert!(error(&["--probe", "http://x/"]).starts_with("--origin is missing"));
        assert!(error(&[
            "--probe",
            "http://x/",
            "-o",
            "https://a.example",
            "--credentials"
        ])
        .starts_with("--probe takes no --header"));
        assert!(error(&["--probe=http://x/", "-o", "https://a.example"])
            .starts_with("--probe takes no value"));
        assert!(error(&["--probe", "--deployment", "a.json", "http://x/"])
            .starts_with("--probe and --deployment"));
    }
}
