//! Certificates made in the test with rcgen: a "pagoPA CA" that issues the Node's client
//! certificate, another CA that issues an impostor's, and the platform's own CA with the
//! listener's server certificate (for 127.0.0.1 and localhost), written as the PEM files
//! the gateway reads.

use std::path::{Path, PathBuf};

use gateway::config::Settings;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

pub struct Pki {
    dir: tempfile::TempDir,
    /// The platform CA that issued the server certificate: what a client trusts.
    pub server_ca: String,
    /// The Node's client certificate and key, issued by the pagoPA CA.
    pub node: String,
    /// A client certificate and key issued by a CA the gateway does not trust.
    pub impostor: String,
}

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

/// A leaf certificate for `names` issued by `issuer`: its PEM, then its key's.
fn leaf(
    issuer: &CertifiedIssuer<'static, KeyPair>,
    common_name: &str,
    names: &[&str],
    usage: ExtendedKeyUsagePurpose,
) -> (String, String) {
    let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params.extended_key_usages = vec![usage];
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, issuer).unwrap();
    (cert.pem(), key.serialize_pem())
}

impl Pki {
    pub fn new() -> Pki {
        let platform = ca("Mensa test platform CA");
        let pagopa = ca("pagoPA test CA");
        let other = ca("Some other CA");
        let (server, server_key) = leaf(
            &platform,
            "creditor listener",
            &["127.0.0.1", "localhost"],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (node, node_key) = leaf(
            &pagopa,
            "pagoPA Node",
            &[],
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let (impostor, impostor_key) = leaf(
            &other,
            "pagoPA Node",
            &[],
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let dir = tempfile::tempdir().unwrap();
        // The chain the listener presents: its certificate, then the CA's.
        std::fs::write(
            dir.path().join("server.pem"),
            format!("{server}{}", platform.pem()),
        )
        .unwrap();
        std::fs::write(dir.path().join("server.key"), server_key).unwrap();
        std::fs::write(dir.path().join("client-ca.pem"), pagopa.pem()).unwrap();
        // What a process trusts as its system roots (SSL_CERT_FILE) to reach the listener,
        // or another server with this certificate.
        std::fs::write(dir.path().join("platform-ca.pem"), platform.pem()).unwrap();
        Pki {
            dir,
            server_ca: platform.pem(),
            node: format!("{node}{node_key}"),
            impostor: format!("{impostor}{impostor_key}"),
        }
    }

    /// A TLS server configuration with the listener's certificate, for doubles of the
    /// HTTPS services the gateway calls.
    pub fn server_config(&self) -> rustls::ServerConfig {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let chain = CertificateDer::pem_file_iter(self.path("server.pem"))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let key = PrivateKeyDer::from_pem_file(self.path("server.key")).unwrap();
        rustls::ServerConfig::builder_with_provider(gateway::tls::provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap()
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The listener's three files in `settings`.
    pub fn configure(&self, settings: &mut Settings) {
        let listener = &mut settings.creditor_listener;
        listener.pagopa_tls_cert = Some(self.path("server.pem"));
        listener.pagopa_tls_key = Some(self.path("server.key"));
        listener.pagopa_client_ca = Some(self.path("client-ca.pem"));
    }

    /// The same, as the variables of a `mensa` process.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        [
            ("MENSA_PAGOPA_TLS_CERT", "server.pem"),
            ("MENSA_PAGOPA_TLS_KEY", "server.key"),
            ("MENSA_PAGOPA_CLIENT_CA", "client-ca.pem"),
        ]
        .into_iter()
        .map(|(name, file)| (name, self.path(file).display().to_string()))
        .collect()
    }

    /// A client that trusts the platform CA only and shows `identity` (a certificate and
    /// its key, PEM), or no certificate at all.
    pub fn client(&self, identity: Option<&str>) -> reqwest::Client {
        gateway::tls::install_provider();
        let ca = reqwest::Certificate::from_pem(self.server_ca.as_bytes()).unwrap();
        let mut builder = reqwest::Client::builder().tls_certs_only([ca]);
        if let Some(identity) = identity {
            builder = builder.identity(reqwest::Identity::from_pem(identity.as_bytes()).unwrap());
        }
        builder.build().unwrap()
    }

    /// The Node's client: the pagoPA CA's certificate.
    pub fn node_client(&self) -> reqwest::Client {
        self.client(Some(&self.node))
    }
}
