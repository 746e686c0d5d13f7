//! The resource proxy's TLS: the client configuration of its `https:` fetches, and what a TLS
//! failure is called in the answer to the agent.
//!
//! - rustls with the `ring` crypto provider, chosen here explicitly (never the process-wide
//!   default, so nothing else in the process changes what the proxy does).
//! - Certificates are always verified: against the system's trust store (on Linux the
//!   `ca-certificates` bundle, `/etc/ssl/certs`, or `SSL_CERT_FILE` / `SSL_CERT_DIR`, read once
//!   at startup by `rustls-platform-verifier`) plus the extra CA certificates of
//!   `--proxy-ca-file`. A machine with neither trusts nothing: the server still starts (with a
//!   warning) and every `https:` fetch fails as "certificate not trusted", which the customer's
//!   browser may then answer.
//!
//! Called by [`super::Resources::new`] (configuration) and by its error classification.

use rustls::pki_types::CertificateDer;
use rustls::{CertificateError, ClientConfig, RootCertStore};
use std::sync::Arc;

/// The TLS configuration of the proxy's client (see the module documentation).
pub fn client_config(
    extra_roots: &[CertificateDer<'static>],
) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let config = match rustls_platform_verifier::Verifier::new_with_extra_roots(
        extra_roots.iter().cloned(),
        provider,
    ) {
        // The platform verifier verifies (chain, name, validity, usage); "dangerous" is only
        // rustls's name for plugging in a verifier of one's own.
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
        Err(error) => {
            tracing::warn!(
                %error,
                "the resource proxy trusts no certificate authority: https resources will go to \
                 the customer's browser (install the ca-certificates package or give \
                 --proxy-ca-file)"
            );
            // Still a verifying configuration: with no trust anchor, every handshake fails.
            builder
                .with_root_certificates(RootCertStore::empty())
                .with_no_client_auth()
        }
    };
    Ok(config)
}

/// The TLS error in a fetch's error chain, if any. TLS errors travel inside `std::io::Error`s
/// (hyper-rustls wraps tokio-rustls's I/O error in another), and an I/O error's `source()` is
/// the *wrapped error's* source, skipping the wrapped error itself: the walk goes into each I/O
/// error's wrapped error instead.
pub fn find_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(wrapped) => Some(wrapped as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}

/// What the agent is told about a TLS failure with `host` (the details are logged).
pub fn describe(error: &rustls::Error, host: &str) -> String {
    let what = match error {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::UnknownIssuer
            | CertificateError::BadSignature
            | CertificateError::UnhandledCriticalExtension => {
                "certificate not trusted (not issued by a trusted certificate authority)"
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "certificate not valid for this host name"
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "certificate expired"
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "certificate not valid yet"
            }
            CertificateError::Revoked => "certificate revoked",
            // The enum is non-exhaustive: whatever else is wrong with the certificate.
            _ => "certificate not accepted",
        },
        _ => "handshake failed",
    };
    format!("TLS error with {host}: {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_errors_are_found_inside_io_errors() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        // As hyper-rustls reports a failed handshake: an I/O error in an I/O error.
        let io = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            tls.clone(),
        ));
        assert_eq!(find_error(&io), Some(&tls));
        let plain = std::io::Error::other("connection refused");
        assert_eq!(find_error(&plain), None);
        assert_eq!(
            describe(&tls, "cdn.example"),
            "TLS error with cdn.example: certificate not trusted (not issued by a trusted \
             certificate authority)"
        );
        assert_eq!(
            describe(&rustls::Error::HandshakeNotComplete, "cdn.example"),
            "TLS error with cdn.example: handshake failed"
        );
    }
}
