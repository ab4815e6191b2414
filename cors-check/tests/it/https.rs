//! `cors-check` on `https://` URLs, with no internet: an app with this crate's `#[cors]` behind
//! a local TLS server whose certificate comes from a CA made in the test (rcgen). The
//! certificate names `localhost` only, so `https://127.0.0.1:PORT` is a name mismatch.

use crate::support::{
    actix, cors_check, pki, self_signed_ca_as_server, tls_proxy, ActixServer, Pki, Run, TlsProxy,
};
use actix_route_cors::cors;
use actix_web::{get, put, web, HttpResponse, Responder};

const APP: &str = "https://app.example.com";

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
async fn list_items() -> impl Responder {
    HttpResponse::Ok().body("[]")
}

#[cors(origins = ["https://app.example.com"], headers = ["x-request-id"])]
#[put("/items/{id}")]
async fn put_item() -> impl Responder {
    HttpResponse::NoContent()
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list_items).service(put_item);
}

/// The app, the TLS server in front of it, and the CA that issued its certificate.
struct Setup {
    app: ActixServer,
    tls: TlsProxy,
    pki: Pki,
}

fn setup(name: &str) -> Setup {
    let pki = pki(name);
    let app = actix(routes);
    let tls = tls_proxy(app.addr(), pki.server.clone());
    Setup { app, tls, pki }
}

impl Setup {
    fn ca(&self) -> &str {
        self.pki.ca_file.to_str().expect("a UTF-8 path")
    }
}

/// The report's TLS lines (one per connection).
fn tls_lines(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("· TLS (") || l.starts_with("! TLS ("))
        .collect()
}

const WARNING: &str = "WARNING: --insecure: the server's TLS certificate is NOT verified. A browser never skips this check: if it refuses the certificate, the page's fetch() fails before any CORS check, whatever this report says.";

#[test]
fn cacert_adds_a_private_ca_and_the_check_runs_as_over_http() {
    let s = setup("cacert");
    let url = s.tls.url("localhost", "/items");
    let run = cors_check(&[&url, "--origin", APP, "--cacert", s.ca()]);
    run.assert_allowed(APP)
        .assert_line(&format!(
            "cors-check: can a page on {APP} read GET {url} (no credentials)?"
        ))
        .assert_line("✓ Access-Control-Allow-Origin: `https://app.example.com`, one value, equal to the origin byte for byte")
        .assert_no_line_starting("WARNING");
    let lines = tls_lines(&run);
    assert_eq!(lines.len(), 1, "{run}");
    assert!(lines[0].starts_with("· TLS (TLS 1.3, TLS13_"), "{run}");
    assert!(
        lines[0].ends_with(", ALPN http/1.1): the certificate is valid for localhost"),
        "{run}"
    );

    // A preflighted request: two connections, two handshakes, both verified.
    let url = s.tls.url("localhost", "/items/7");
    let run = cors_check(&[
        &url,
        "--origin",
        APP,
        "-X",
        "PUT",
        "-H",
        "x-request-id: 1",
        "--cacert",
        s.ca(),
    ]);
    run.assert_allowed(APP)
        .assert_line(&format!("> Host: localhost:{}", s.tls.port));
    assert_eq!(tls_lines(&run).len(), 2, "{run}");

    // A refused origin: blocked, and the console message quotes the https:// URL.
    let other = "https://other.example";
    cors_check(&[&url, "--origin", other, "-X", "PUT", "--cacert", s.ca()])
        .assert_blocked(&url, other, "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.");

    // Same origin: the page's own https:// origin, nothing sent.
    let own = format!("https://localhost:{}", s.tls.port);
    cors_check(&[&url, "--origin", &own, "-X", "PUT"]).assert_allowed(&own);
}

#[test]
fn an_unknown_ca_is_a_network_error_that_names_cacert_and_insecure() {
    let s = setup("unknown-ca");
    let url = s.tls.url("localhost", "/items");
    let run = cors_check(&[&url, "--origin", APP]);
    run.assert_code(2);
    let port = s.tls.port;
    assert!(
        run.stderr.starts_with(&format!(
            "cors-check: network error: the TLS handshake with localhost:{port} failed: the certificate of localhost is not issued by a certificate authority cors-check trusts (Mozilla's roots, built in) (Chromium: net::ERR_CERT_AUTHORITY_INVALID). If the server uses a private or test CA, pass that CA's certificate with --cacert FILE (PEM); --insecure skips the verification"
        )),
        "{run}"
    );
    assert!(
        run.stderr
            .trim_end()
            .ends_with("(a browser reports this as a network error, not a CORS error)"),
        "{run}"
    );
    assert!(!run.stdout.contains("Verdict"), "{run}");
}

#[test]
fn insecure_accepts_any_certificate_and_says_so() {
    let s = setup("insecure");
    let url = s.tls.url("localhost", "/items");
    let run = cors_check(&[&url, "--origin", APP, "--insecure"]);
    run.assert_allowed(APP).assert_line(WARNING);
    assert_eq!(run.stdout.lines().nth(1), Some(WARNING), "{run}");
    let lines = tls_lines(&run);
    assert_eq!(lines.len(), 1, "{run}");
    assert!(lines[0].ends_with("): the certificate is not verified (--insecure), and a browser refuses it: the certificate of localhost is not issued by a certificate authority cors-check trusts (Mozilla's roots, built in) (Chromium: net::ERR_CERT_AUTHORITY_INVALID)"), "{run}");

    // With the CA too, the certificate would pass: the report says so.
    let run = cors_check(&[&url, "--origin", APP, "--insecure", "--cacert", s.ca()]);
    run.assert_allowed(APP).assert_line(WARNING);
    assert!(
        tls_lines(&run)[0]
            .ends_with("): the certificate is not verified (--insecure); it would pass"),
        "{run}"
    );
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    let s = setup("name");
    let port = s.tls.port;
    let url = s.tls.url("127.0.0.1", "/items");
    let run = cors_check(&[&url, "--origin", APP, "--cacert", s.ca()]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(&format!(
            "cors-check: network error: the TLS handshake with 127.0.0.1:{port} failed: the certificate is not valid for the name 127.0.0.1: it names localhost only (Chromium: net::ERR_CERT_COMMON_NAME_INVALID). Request the URL with a name the certificate names; --insecure skips the verification"
        )),
        "{run}"
    );

    let run = cors_check(&[&url, "--origin", APP, "--cacert", s.ca(), "--insecure"]);
    run.assert_allowed(APP).assert_line(WARNING);
    assert!(
        tls_lines(&run)[0].contains(
            "a browser refuses it: the certificate is not valid for the name 127.0.0.1: it names localhost only (Chromium: net::ERR_CERT_COMMON_NAME_INVALID)"
        ),
        "{run}"
    );
}

#[test]
fn the_wrong_scheme_for_the_port_is_a_network_error_that_says_so() {
    let s = setup("scheme");
    // https:// to the app's plain HTTP port.
    let plain = format!("https://{}/items", s.app.addr());
    let run = cors_check(&[&plain, "--origin", APP, "--cacert", s.ca()]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains(&format!("is {} an http:// port?", s.app.addr())),
        "{run}"
    );
    // http:// to the TLS port.
    let run = cors_check(&[
        &format!("http://localhost:{}/items", s.tls.port),
        "--origin",
        APP,
    ]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with("cors-check: network error: the server answered with TLS, not plain HTTP: write https:// instead of http://"),
        "{run}"
    );
}

#[test]
fn cacert_problems_are_usage_errors() {
    let s = setup("bad-cacert");
    let url = s.tls.url("localhost", "/items");
    let missing = s.pki.ca_file.with_file_name("missing.pem");
    let missing = missing.to_str().unwrap();
    let run = cors_check(&[&url, "--origin", APP, "--cacert", missing]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with(&format!("cors-check: --cacert {missing}: cannot read it: ")),
        "{run}"
    );
    let empty = s.pki.ca_file.with_file_name("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    let empty = empty.to_str().unwrap();
    let run = cors_check(&[&url, "--origin", APP, "--cacert", empty]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(&format!(
            "cors-check: --cacert {empty}: no certificate in it (a PEM file with -----BEGIN CERTIFICATE----- blocks)"
        )),
        "{run}"
    );
    // For http://, the TLS options do nothing, and the report says so.
    let http = s.app.url("/items");
    cors_check(&[&http, "--origin", APP, "--insecure"])
        .assert_allowed(APP)
        .assert_line("! --insecure does nothing for an http:// URL (no TLS)")
        .assert_no_line_starting("WARNING");
}

#[test]
fn a_self_signed_ca_certificate_as_the_servers_own_is_refused_in_words() {
    // What `openssl req -x509 ... -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1`
    // makes: CA:TRUE, used by the server as its own certificate. Firefox refuses it; so does
    // cors-check, and it says so in words, with the fix.
    let pki = self_signed_ca_as_server("ca-as-server");
    let app = actix(routes);
    let tls = tls_proxy(app.addr(), pki.server.clone());
    let url = tls.url("127.0.0.1", "/items");
    let cert = pki.ca_file.to_str().expect("a UTF-8 path");
    let run = cors_check(&[&url, "--origin", APP, "--cacert", cert]);
    run.assert_code(2);
    for debug in ["Other(", "OtherError", "CaUsedAsEndEntity"] {
        assert!(!run.stderr.contains(debug), "{run}");
        assert!(!run.stdout.contains(debug), "{run}");
    }
    let port = tls.port;
    assert!(
        run.stderr.starts_with(&format!(
            "cors-check: network error: the TLS handshake with 127.0.0.1:{port} failed: the certificate of 127.0.0.1 is a CA certificate (its basic constraints say CA:TRUE) that the server uses as its own: Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), and so does cors-check, though Chromium and curl accept it once it is trusted. `openssl req -x509` makes such a certificate unless told otherwise. To serve HTTPS locally, make a CA, and a server certificate it signs, then pass the CA with --cacert: `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=dev-ca -keyout ca.key -out ca.pem`"
        )),
        "{run}"
    );
    for fix in [
        "-extfile <(printf 'subjectAltName=IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth')",
        "or `mkcert 127.0.0.1`",
    ] {
        assert!(run.stderr.contains(fix), "no `{fix}` in {run}");
    }

    // With --insecure the check runs, and the TLS line says why a browser refuses it.
    let run = cors_check(&[&url, "--origin", APP, "--cacert", cert, "--insecure"]);
    run.assert_allowed(APP);
    assert!(
        tls_lines(&run)[0].contains("and a browser refuses it: the certificate of 127.0.0.1 is a CA certificate (its basic constraints say CA:TRUE) that the server uses as its own: Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY)"),
        "{run}"
    );
    assert!(!run.stdout.contains("Other("), "{run}");
}
