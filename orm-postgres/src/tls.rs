//! TLS as libpq defines it (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`), on
//! rustls.
//!
//! Why rustls: it is pure Rust (with the `ring` provider), so a fresh machine
//! builds it with no system TLS library or headers; and its `tokio-postgres`
//! adapter (`tokio-postgres-rustls`, which also gives SCRAM channel binding) is the
//! same one a later async engine on `tokio-postgres` uses, so the TLS set-up here
//! is shared as it is. The verifiers below give each `sslmode` libpq's meaning.

use orm_core::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS only if the server refuses a plain connection.
    Allow,
    /// TLS if the server offers it, else plain (libpq's default). No certificate check.
    #[default]
    Prefer,
    /// TLS or nothing; the certificate is checked only if `sslrootcert` is given
    /// (then as `verify-ca`), as in libpq.
    Require,
    /// TLS, with the certificate chain checked against `sslrootcert`.
    VerifyCa,
    /// TLS, with the chain checked and the certificate valid for the host name.
    VerifyFull,
}

impl SslMode {
    /// Parses libpq's spelling.
    pub fn parse(value: &str) -> Result<SslMode> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return Err(Error::InvalidUrl(
                "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"
                    .into(),
            )),
        })
    }
}

/// The TLS part of a connection's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// The `sslmode`.
    pub mode: SslMode,
    /// Root certificates (PEM) the server's chain must lead to.
    pub root_cert: Option<PathBuf>,
    /// The client's certificate chain (PEM), for certificate authentication.
    pub client_cert: Option<PathBuf>,
    /// The client's private key (PEM).
    pub client_key: Option<PathBuf>,
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

impl TlsSettings {
    fn check(&self) -> Check {
        match self.mode {
            SslMode::VerifyFull => Check::ChainAndName,
            SslMode::VerifyCa => Check::Chain,
            SslMode::Require if self.root_cert.is_some() => Check::Chain,
            _ => Check::Nothing,
        }
    }

    /// The connector for `tokio-postgres` (also usable with the `postgres` crate).
    pub fn connector(&self, target: &str) -> Result<MakeRustlsConnect> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls_error = |reason: String| Error::Tls {
            target: target.to_owned(),
            reason,
        };
        let verifier: Arc<dyn ServerCertVerifier> = match self.check() {
            Check::Nothing => Arc::new(AnyCertificate(Arc::clone(&provider))),
            check => {
                let roots = self.roots().map_err(tls_error)?;
                let webpki = WebPkiServerVerifier::builder_with_provider(
                    Arc::new(roots),
                    Arc::clone(&provider),
                )
                .build()
                .map_err(|e| tls_error(format!("cannot use sslrootcert: {e}")))?;
                Arc::new(ChainVerifier {
                    webpki,
                    check_name: check == Check::ChainAndName,
                })
            }
        };
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| tls_error(e.to_string()))?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let config = match (&self.client_cert, &self.client_key) {
            (None, None) => builder.with_no_client_auth(),
            (Some(cert), Some(key)) => {
                let (chain, key) = client_identity(cert, key).map_err(tls_error)?;
                builder
                    .with_client_auth_cert(chain, key)
                    .map_err(|e| tls_error(format!("sslcert and sslkey do not match: {e}")))?
            }
            _ => {
                return Err(tls_error(
                    "sslcert and sslkey must be given together".into(),
                ))
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }

    fn roots(&self) -> std::result::Result<RootCertStore, String> {
        let path = self.root_cert.as_deref().ok_or_else(|| {
            "sslmode=verify-ca and verify-full need sslrootcert (a PEM file of root certificates)"
                .to_owned()
        })?;
        let mut roots = RootCertStore::empty();
        for cert in read_certs(path, "sslrootcert")? {
            roots
                .add(cert)
                .map_err(|e| format!("sslrootcert holds an unusable certificate: {e}"))?;
        }
        Ok(roots)
    }
}

fn read_certs(
    path: &Path,
    what: &str,
) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read {what} `{}`: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{what} `{}` holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certs)
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>);

fn client_identity(cert: &Path, key: &Path) -> std::result::Result<Identity, String> {
    let chain = read_certs(cert, "sslcert")?;
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| format!("cannot read sslkey `{}`: {e}", key.display()))?;
    Ok((chain, key))
}

/// Accepts any certificate (`prefer`, `require` without a root certificate), but
/// still checks that the server holds the certificate's key.
#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The chain check of webpki; for `verify-ca` a certificate issued for another
/// name is accepted (the chain is what counts), as libpq does.
#[derive(Debug)]
struct ChainVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    check_name: bool,
}

impl ServerCertVerifier for ChainVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict =
            self.webpki
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        match verdict {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// A one-line reason for a failed TLS handshake, from the driver's error chain;
/// `None` when the failure was not about TLS.
pub(crate) fn tls_failure(e: &tokio_postgres::Error, host: &str) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut about_tls = false;
    while let Some(c) = cause {
        if let Some(r) = as_rustls(c) {
            return Some(describe_rustls(r, host));
        }
        let text = c.to_string();
        if text == "server does not support TLS" {
            return Some(
                "the server does not accept TLS connections (sslmode requires TLS)".into(),
            );
        }
        about_tls |= text.starts_with("error performing TLS handshake");
        cause = c.source();
    }
    about_tls.then(|| one_line(&e.to_string()))
}

/// The rustls error in `c`, also when wrapped in an `io::Error` (whose `source()`
/// skips the wrapped error itself).
fn as_rustls<'a>(c: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    c.downcast_ref::<rustls::Error>().or_else(|| {
        c.downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    })
}

fn describe_rustls(e: &rustls::Error, host: &str) -> String {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the server's certificate is not signed by a root certificate in sslrootcert".into()
        }
        rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => format!("the server's certificate is not valid for the host name `{host}` (sslmode=verify-full)"),
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "the server's certificate has expired".into(),
        other => one_line(&format!("TLS handshake failed: {other}")),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
