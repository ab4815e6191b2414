//! The certificate verifier of `--insecure`.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

/// The verifier of `--insecure`: accepts every certificate, but runs the real verification and
/// keeps its error for the report. The handshake's signatures are still verified (with the
/// provider's algorithms), so the session is with the holder of the certificate's key.
#[derive(Debug)]
pub struct Unverified {
    strict: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
    refusal: Mutex<Option<CertificateError>>,
}

impl Unverified {
    /// A verifier that accepts every certificate, and keeps what `strict` says of it.
    pub fn new(strict: Arc<WebPkiServerVerifier>, provider: Arc<CryptoProvider>) -> Unverified {
        Unverified {
            strict,
            provider,
            refusal: Mutex::new(None),
        }
    }

    /// Forgets what the verification said of the last certificate, before a new handshake.
    pub fn forget(&self) {
        *self.lock() = None;
    }

    /// Why a browser refuses the last certificate (`None` when the verification passed), once.
    pub fn refusal(&self) -> Option<CertificateError> {
        self.lock().take()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CertificateError>> {
        self.refusal.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.strict.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        *self.lock() = match verdict {
            Ok(_) => None,
            Err(rustls::Error::InvalidCertificate(e)) => Some(e),
            Err(e) => Some(CertificateError::Other(rustls::OtherError(Arc::new(e)))),
        };
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
