//! The TLS library's errors in words a user understands: what is wrong, the error a browser
//! shows for the same certificate, and what to do. rustls' own `Display` falls back to Rust's
//! `Debug` for many of its errors (`Other(OtherError(CaUsedAsEndEntity))`), which never reaches
//! a user of cors-check: every error is worded here, and one without words of its own gets a
//! general sentence.

use rustls::{AlertDescription, CertificateError};

/// What `--insecure` does, for the end of a certificate's hint.
const INSECURE: &str = "--insecure skips the verification (only to look at a server you cannot verify; a browser never skips it)";

/// How to make a CA and a server certificate it signs, with openssl or mkcert, for `host`.
pub fn make_a_ca(host: &str) -> String {
    let san = if host.parse::<std::net::IpAddr>().is_ok() {
        format!("IP:{host}")
    } else {
        format!("DNS:{host}")
    };
    format!(
        "make a CA, and a server certificate it signs, then pass the CA with --cacert: \
         `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=dev-ca -keyout ca.key -out ca.pem`, \
         `openssl req -newkey rsa:2048 -nodes -subj /CN={host} -keyout server.key -out server.csr`, \
         `openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -days 365 -extfile <(printf 'subjectAltName={san}\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth') -out server.pem` \
         (the server serves server.pem and server.key; browsers trust ca.pem); \
         or `mkcert {host}`, whose CA is in `mkcert -CAROOT` and which `mkcert -install` makes the browsers on this machine trust"
    )
}

/// A certificate error: what is wrong (with the browsers' error names for the same
/// certificate), and what to do about it. `roots` says which roots were trusted.
#[allow(deprecated)] // `UnsupportedSignatureAlgorithm` is still what rustls may report
pub fn certificate(error: &CertificateError, host: &str, roots: &str) -> (String, String) {
    let fix = |what: &str| format!("{what}; {INSECURE}");
    match error {
        CertificateError::UnknownIssuer => (
            format!(
                "the certificate of {host} is not issued by a certificate authority cors-check trusts ({roots}) (Chromium: net::ERR_CERT_AUTHORITY_INVALID)"
            ),
            format!(
                "If the server uses a private or test CA, pass that CA's certificate with --cacert FILE (PEM); {INSECURE}"
            ),
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => (
            format!(
                "the certificate is not valid for the name {host}{} (Chromium: net::ERR_CERT_COMMON_NAME_INVALID)",
                match error {
                    CertificateError::NotValidForNameContext { presented, .. } => {
                        format!(": it names {}", names(presented))
                    }
                    _ => String::new(),
                }
            ),
            fix("Request the URL with a name the certificate names"),
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
            format!(
                "the certificate of {host} has expired{} (Chromium: net::ERR_CERT_DATE_INVALID)",
                match error {
                    CertificateError::ExpiredContext { time, not_after } => format!(
                        " ({} ago)",
                        span(time.as_secs().saturating_sub(not_after.as_secs()))
                    ),
                    _ => String::new(),
                }
            ),
            fix("Renew the certificate (or check this machine's clock)"),
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
            format!(
                "the certificate of {host} is not valid yet{} (Chromium: net::ERR_CERT_DATE_INVALID)",
                match error {
                    CertificateError::NotValidYetContext { time, not_before } => format!(
                        " (it will be in {})",
                        span(not_before.as_secs().saturating_sub(time.as_secs()))
                    ),
                    _ => String::new(),
                }
            ),
            fix("Check this machine's clock, or the certificate's start date"),
        ),
        CertificateError::BadEncoding => (
            format!("the certificate of {host} is not a well-formed X.509 certificate (Chromium: net::ERR_CERT_INVALID)"),
            fix("Serve a certificate in DER form inside the TLS handshake, as every TLS server does: check the server's certificate file"),
        ),
        CertificateError::BadSignature => (
            format!("the signature on the certificate of {host} does not verify with its issuer's key (Chromium: net::ERR_CERT_AUTHORITY_INVALID)"),
            fix("Serve the certificate together with the intermediate certificates of the CA that really issued it"),
        ),
        CertificateError::UnsupportedSignatureAlgorithm
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => (
            format!("the certificate of {host} is signed with an algorithm browsers no longer accept (such as SHA-1), or one that does not fit its issuer's key (Chromium: net::ERR_CERT_WEAK_SIGNATURE_ALGORITHM)"),
            fix("Issue the certificate again, signed with SHA-256 or better"),
        ),
        CertificateError::Revoked => (
            format!("the certificate of {host} is revoked (Chromium: net::ERR_CERT_REVOKED)"),
            fix("Issue a new certificate"),
        ),
        CertificateError::UnhandledCriticalExtension => (
            format!("the certificate of {host} has an extension marked critical that the verification does not understand (Chromium: net::ERR_CERT_INVALID)"),
            fix("Issue the certificate again without that extension"),
        ),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => (
            format!("the certificate of {host} is not for TLS servers: its extended key usage does not allow server authentication (Chromium: net::ERR_CERT_INVALID)"),
            fix("Issue the certificate again with `extendedKeyUsage=serverAuth`, or without extended key usage"),
        ),
        CertificateError::Other(other) => match other.0.downcast_ref::<webpki::Error>() {
            Some(webpki::Error::CaUsedAsEndEntity) => (
                format!(
                    "the certificate of {host} is a CA certificate (its basic constraints say CA:TRUE) that the server uses as its own: Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), and so does cors-check, though Chromium and curl accept it once it is trusted. `openssl req -x509` makes such a certificate unless told otherwise"
                ),
                format!("To serve HTTPS locally, {}; {INSECURE}", make_a_ca(host)),
            ),
            Some(webpki::Error::EndEntityUsedAsCa) => (
                format!("the certificate of {host} is issued by a certificate that is no CA (its basic constraints do not say CA:TRUE) (Firefox: SEC_ERROR_CA_CERT_INVALID; Chromium: net::ERR_CERT_INVALID)"),
                format!("Issue the server's certificate from a CA certificate: {}; {INSECURE}", make_a_ca(host)),
            ),
            Some(
                webpki::Error::PathLenConstraintViolated
                | webpki::Error::NameConstraintViolation
                | webpki::Error::MaximumPathDepthExceeded,
            ) => (
                format!("the certificate of {host} breaks a constraint its CA puts on the certificates under it (the length of the chain, or the names it may issue for) (Chromium: net::ERR_CERT_INVALID)"),
                fix("Issue the certificate from a CA allowed to issue it"),
            ),
            Some(webpki::Error::CertDistrusted) => (
                format!("the certificate of {host} is issued by a CA that is no longer trusted (Chromium: net::ERR_CERT_AUTHORITY_INVALID)"),
                fix("Issue the certificate from another CA"),
            ),
            _ => refused(host),
        },
        _ => refused(host),
    }
}

/// A refusal the wording above does not cover.
fn refused(host: &str) -> (String, String) {
    (
        format!("the certificate of {host} is refused by the verification (for a reason cors-check has no words for; `openssl s_client -connect HOST:PORT -showcerts` shows the certificates the server sends)"),
        format!("Fix the certificate; {INSECURE}"),
    )
}

/// A duration of `seconds`, roughly: `3 days`, `5 hours`, `12 minutes`, `40 seconds`.
fn span(seconds: u64) -> String {
    let (n, unit) = match seconds {
        s if s >= 2 * 86_400 => (s / 86_400, "days"),
        s if s >= 2 * 3_600 => (s / 3_600, "hours"),
        s if s >= 2 * 60 => (s / 60, "minutes"),
        s => (s, "seconds"),
    };
    format!("{n} {unit}")
}

/// The names a certificate is valid for, from rustls' list (`DnsName("a.example")`,
/// `IpAddress(127.0.0.1)`: the names are shown without the wrapping, and any other entry as it
/// is): `a`, `a or b`, `a, b or c`.
pub fn names(presented: &[String]) -> String {
    let shown: Vec<&str> = presented
        .iter()
        .map(|name| {
            name.strip_prefix("DnsName(\"")
                .and_then(|n| n.strip_suffix("\")"))
                .or_else(|| {
                    name.strip_prefix("IpAddress(")
                        .and_then(|n| n.strip_suffix(')'))
                })
                .unwrap_or(name)
        })
        .collect();
    match shown.as_slice() {
        [] => "no host name or IP address".to_owned(),
        [one] => format!("{one} only"),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A TLS alert, by its name in the TLS registry and its number: `handshake_failure (40)`.
pub fn alert(alert: AlertDescription) -> String {
    let code = u8::from(alert);
    let name = match code {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => return format!("number {code}"),
    };
    format!("{name} ({code})")
}

/// Any other TLS error, in words.
pub fn tls(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(_) => {
            "the server's certificate is refused".to_owned()
        }
        rustls::Error::AlertReceived(a) => {
            format!("the server ended the handshake with the alert {}", alert(*a))
        }
        rustls::Error::PeerIncompatible(_) => "the server and cors-check have nothing in common to agree on (TLS 1.2 or 1.3, a cipher suite, a key exchange group or a signature scheme)".to_owned(),
        rustls::Error::PeerMisbehaved(_) => {
            "the server broke the TLS protocol during the handshake".to_owned()
        }
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } | rustls::Error::InappropriateHandshakeMessage { .. } => {
            "the server sent something that is not the TLS message expected".to_owned()
        }
        rustls::Error::NoCertificatesPresented => "the server sent no certificate".to_owned(),
        rustls::Error::DecryptError => "a message from the server could not be decrypted".to_owned(),
        rustls::Error::NoApplicationProtocol => {
            "the server accepts no protocol offered by ALPN (cors-check offers http/1.1)".to_owned()
        }
        rustls::Error::General(text) => format!("the TLS library failed: {text}"),
        _ => "the TLS library failed (for a reason cors-check has no words for)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_names() {
        let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&list(&[])), "no host name or IP address");
        assert_eq!(names(&list(&["DnsName(\"localhost\")"])), "localhost only");
        assert_eq!(
            names(&list(&[
                "DnsName(\"*.example.com\")",
                "IpAddress(192.0.2.1)",
                "DirectoryName"
            ])),
            "*.example.com, 192.0.2.1 or DirectoryName"
        );
    }

    #[test]
    fn no_debug_output() {
        use std::sync::Arc;
        let other = |e: webpki::Error| CertificateError::Other(rustls::OtherError(Arc::new(e)));
        for error in [
            CertificateError::Expired,
            CertificateError::Revoked,
            CertificateError::BadEncoding,
            CertificateError::UnknownRevocationStatus,
            CertificateError::ApplicationVerificationFailure,
            other(webpki::Error::CaUsedAsEndEntity),
            other(webpki::Error::EndEntityUsedAsCa),
            other(webpki::Error::UnsupportedCriticalExtension),
        ] {
            let (what, hint) = certificate(&error, "127.0.0.1", "Mozilla's roots");
            for text in [&what, &hint] {
                assert!(!text.contains("Other("), "{text}");
                assert!(!text.contains("Error"), "{text}");
            }
        }
        let (what, hint) = certificate(&other(webpki::Error::CaUsedAsEndEntity), "127.0.0.1", "");
        assert!(
            what.contains("MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY"),
            "{what}"
        );
        assert!(hint.contains("subjectAltName=IP:127.0.0.1"), "{hint}");
        assert!(make_a_ca("localhost").contains("subjectAltName=DNS:localhost"));
        assert_eq!(
            alert(AlertDescription::HandshakeFailure),
            "handshake_failure (40)"
        );
        assert_eq!(span(3 * 86_400 + 5), "3 days");
        assert_eq!(span(90), "90 seconds");
    }
}
