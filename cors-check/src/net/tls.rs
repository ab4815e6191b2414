//! TLS for `https://` URLs, with rustls: the server's certificate is verified against Mozilla's
//! roots (compiled in, from `webpki-roots`) and the CA certificates of `--cacert FILE`, for the
//! URL's host (sent as SNI), as a browser verifies it; `--insecure` accepts any certificate and
//! still says what the verification found. HTTP/1.1 is announced by ALPN.
//!
//! A certificate a browser refuses is a network error in the browser (`fetch()` rejects before
//! any CORS check), so it is one here: exit status 2, with the reason and what to pass.

use std::fs;
use std::io;
use std::net::TcpStream;
use std::sync::Arc;

use rustls::client::{Resumption, WebPkiServerVerifier};
use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CertificateError, ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use super::error::NetError;
use super::unverified::Unverified;
use super::words;
use crate::url::{Scheme, Target};

/// A TLS session on a TCP connection: what the request and the response go through.
pub type Stream = StreamOwned<ClientConnection, TcpStream>;

/// How the client verifies servers, built once from the command line.
pub struct Tls {
    config: Arc<ClientConfig>,
    /// With `--insecure`: the verifier that accepts every certificate, and keeps what the real
    /// verification said of the last one.
    unverified: Option<Arc<Unverified>>,
    /// The roots, in words, for the messages.
    roots: String,
}

/// What a TLS handshake agreed on, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `TLS 1.3` or `TLS 1.2`.
    pub version: String,
    /// The cipher suite, as IANA names it.
    pub cipher: String,
    /// The protocol the server chose by ALPN (`http/1.1`), if it chose one.
    pub alpn: Option<String>,
    /// Whether the certificate was verified.
    pub verification: Verification,
}

/// What became of the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Verified: valid for the host, issued by a trusted CA, in its validity period.
    Verified,
    /// Not verified (`--insecure`); `refusal` is why a browser would refuse it (`None` when the
    /// verification would have passed).
    Skipped {
        /// The verification's error, in words.
        refusal: Option<String>,
    },
}

impl Tls {
    /// What a URL of `scheme` needs: a configuration for `https` (see [`Tls::new`]), nothing
    /// for `http`.
    pub fn for_scheme(
        scheme: Scheme,
        cacert: Option<&str>,
        insecure: bool,
    ) -> Result<Option<Tls>, String> {
        match scheme {
            Scheme::Https => Tls::new(cacert, insecure).map(Some),
            Scheme::Http => Ok(None),
        }
    }

    /// The client's TLS configuration: Mozilla's roots plus the certificates of `cacert` (a PEM
    /// file), or no verification with `insecure`. `Err` is a usage error (an unreadable file).
    pub fn new(cacert: Option<&str>, insecure: bool) -> Result<Tls, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let mut roots_text = "Mozilla's roots, built in".to_owned();
        if let Some(path) = cacert {
            let certs = read_pem_certificates(path)?;
            for cert in &certs {
                roots.add(cert.clone()).map_err(|e| {
                    let why = match e {
                        rustls::Error::InvalidCertificate(CertificateError::BadEncoding) => {
                            "it is not a well-formed X.509 certificate".to_owned()
                        }
                        other => words::tls(&other),
                    };
                    format!("--cacert {path}: a certificate cannot be used as a CA: {why}")
                })?;
            }
            roots_text = format!(
                "Mozilla's roots and the {} of {path}",
                match certs.len() {
                    1 => "certificate".to_owned(),
                    n => format!("{n} certificates"),
                }
            );
        }
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|_| {
                    "cannot set up certificate verification: no root certificate".to_owned()
                })?;
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {}", words::tls(&e)))?;
        let (mut config, unverified) = if insecure {
            let unverified = Arc::new(Unverified::new(verifier, provider));
            let config = builder
                .dangerous()
                .with_custom_certificate_verifier(unverified.clone())
                .with_no_client_auth();
            (config, Some(unverified))
        } else {
            let config = builder.with_webpki_verifier(verifier).with_no_client_auth();
            (config, None)
        };
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        // Every connection makes a full handshake, so that each one verifies the certificate
        // (a resumed session would skip it).
        config.resumption = Resumption::disabled();
        Ok(Tls {
            config: Arc::new(config),
            unverified,
            roots: roots_text,
        })
    }

    /// Whether certificates go unverified (`--insecure`).
    pub fn is_insecure(&self) -> bool {
        self.unverified.is_some()
    }

    /// Makes the TLS handshake on `tcp` for `target`'s host, and returns the session to send
    /// the request through. A refused certificate is an error that says why and what to pass.
    pub fn connect(
        &self,
        mut tcp: TcpStream,
        target: &Target,
    ) -> Result<(Stream, Session), NetError> {
        let host = target.connect_host();
        let name = ServerName::try_from(host.to_owned()).map_err(|_| {
            NetError(format!(
                "`{host}` is not a name a TLS certificate can be verified for"
            ))
        })?;
        let mut conn = ClientConnection::new(self.config.clone(), name)
            .map_err(|e| NetError(format!("cannot start TLS: {}", words::tls(&e))))?;
        if let Some(unverified) = &self.unverified {
            unverified.forget();
        }
        while conn.is_handshaking() {
            conn.complete_io(&mut tcp)
                .map_err(|e| self.handshake_error(&e, target))?;
        }
        let verification = match &self.unverified {
            None => Verification::Verified,
            Some(unverified) => Verification::Skipped {
                refusal: unverified.refusal().map(|e| self.describe(&e, host).0),
            },
        };
        let version = match conn.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_owned(),
            Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_owned(),
            _ => "TLS".to_owned(),
        };
        let cipher = conn
            .negotiated_cipher_suite()
            .and_then(|s| s.suite().as_str())
            .unwrap_or("an unnamed cipher suite")
            .to_owned();
        let alpn = conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned());
        let session = Session {
            version,
            cipher,
            alpn,
            verification,
        };
        Ok((StreamOwned::new(conn, tcp), session))
    }

    /// A failed handshake, in words.
    fn handshake_error(&self, e: &io::Error, target: &Target) -> NetError {
        let host = target.connect_host();
        let port = target.port;
        let during = format!("the TLS handshake with {host}:{port} failed");
        NetError(match e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>()) {
            Some(rustls::Error::InvalidCertificate(cert)) => {
                let (what, hint) = self.describe(cert, host);
                format!("{during}: {what}. {hint}")
            }
            Some(rustls::Error::InvalidMessage(_)) => format!(
                "{during}: the server did not answer with TLS (is {host}:{port} an http:// port?)"
            ),
            Some(rustls::Error::AlertReceived(alert)) => format!(
                "{during}: the server refused it with the alert {} (it may not serve TLS for the name {host}, or accept no protocol version or cipher suite in common)",
                words::alert(*alert)
            ),
            Some(other) => format!("{during}: {}", words::tls(other)),
            None => match e.kind() {
                io::ErrorKind::UnexpectedEof => format!(
                    "{during}: the server closed the connection (is {host}:{port} an http:// port?)"
                ),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    format!("{during}: the server answered nothing in time")
                }
                _ => format!("{during}: {e}"),
            },
        })
    }

    /// A certificate error: what is wrong (with the browsers' error names for the same
    /// certificate), and what to do about it.
    fn describe(&self, error: &CertificateError, host: &str) -> (String, String) {
        words::certificate(error, host, &self.roots)
    }
}

/// Reads every certificate of a PEM file.
fn read_pem_certificates(path: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = fs::read(path).map_err(|e| format!("--cacert {path}: cannot read it: {e}"))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            let why = match e {
                pem::Error::MissingSectionEnd { .. } => "a -----BEGIN block has no -----END line",
                pem::Error::IllegalSectionStart { .. } => "a -----BEGIN line is malformed",
                pem::Error::Base64Decode(_) => "a block is not valid base64",
                pem::Error::SectionTooLarge => "a block is too large",
                _ => "it cannot be read as PEM",
            };
            format!("--cacert {path}: not a PEM file: {why}")
        })?;
    if certs.is_empty() {
        return Err(format!(
            "--cacert {path}: no certificate in it (a PEM file with -----BEGIN CERTIFICATE----- blocks)"
        ));
    }
    Ok(certs)
}
