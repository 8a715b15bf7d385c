//! The listener's rustls configuration from its PEM files: TLS 1.2 and 1.3 on ring, the
//! server chain and key, and a client certificate required and verified against the CA
//! bundle (`WebPkiClientVerifier`). Each failure names the file, its variable and why.

use std::path::Path;
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ServerConfig, WebPkiClientVerifier};

use super::ListenerError;
use crate::config::TlsFiles;

pub(super) fn server_config(files: &TlsFiles) -> Result<ServerConfig, ListenerError> {
    let chain = certificates("MENSA_PAGOPA_TLS_CERT", &files.cert)?;
    let key = private_key(&files.key)?;
    let mut roots = RootCertStore::empty();
    for ca in certificates("MENSA_PAGOPA_CLIENT_CA", &files.client_ca)? {
        roots
            .add(ca)
            .map_err(|e| bad("MENSA_PAGOPA_CLIENT_CA", &files.client_ca, e))?;
    }
    let provider = crate::tls::provider();
    // No `allow_unauthenticated`: a caller without a certificate that chains to one of
    // these CAs fails the handshake, before any HTTP is read.
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| bad("MENSA_PAGOPA_CLIENT_CA", &files.client_ca, e))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| bad("MENSA_PAGOPA_TLS_CERT", &files.cert, e))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| ListenerError::File {
            variable: "MENSA_PAGOPA_TLS_KEY",
            path: files.key.display().to_string(),
            problem: format!("does not go with the certificate of MENSA_PAGOPA_TLS_CERT ({e})"),
        })?;
    // The creditor interface speaks HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn read(variable: &'static str, path: &Path) -> Result<Vec<u8>, ListenerError> {
    std::fs::read(path).map_err(|e| bad(variable, path, format!("cannot be read: {e}")))
}

/// Every certificate of a PEM file; at least one.
fn certificates(
    variable: &'static str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, ListenerError> {
    let pem = read(variable, path)?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(variable, path, format!("is not valid PEM: {e}")))?;
    if certificates.is_empty() {
        return Err(bad(
            variable,
            path,
            "holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        ));
    }
    Ok(certificates)
}

fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, ListenerError> {
    let variable = "MENSA_PAGOPA_TLS_KEY";
    let pem = read(variable, path)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
        bad(
            variable,
            path,
            format!("holds no PEM private key (PKCS#8, PKCS#1 or SEC1): {e}"),
        )
    })
}

fn bad(variable: &'static str, path: &Path, problem: impl ToString) -> ListenerError {
    ListenerError::File {
        variable,
        path: path.display().to_string(),
        problem: problem.to_string(),
    }
}
