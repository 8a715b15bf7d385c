//! One TLS stack for the whole process: rustls on ring. The creditor listener's mutual TLS
//! and the outbound clients (Checkout, the central archive, the sandbox, OTLP) share it.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;

/// The provider every TLS configuration of this process is built with.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(ring())
}

/// Makes ring rustls's process-wide provider. reqwest is built without one of its own (no
/// aws-lc), so this must run before the first client is built: `main` calls it first
/// thing, and so does every constructor here that builds a client, for library users and
/// tests. Calling it again is harmless.
pub fn install_provider() {
    // Fails only when a provider is already installed, which is what we want.
    let _ = ring().install_default();
}

/// rustls 0.23.48 deprecates its ring provider because ring has no post-quantum key
/// exchange (X25519MLKEM768); aws-lc-rs has it, but needs cmake and a C build this 2-core
/// project keeps out. TLS 1.2+ with X25519/ECDHE is what pagoPA's connectivity rules ask
/// for; moving to aws-lc-rs (or a ring with ML-KEM) is a one-line change here.
#[allow(deprecated)]
fn ring() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}
