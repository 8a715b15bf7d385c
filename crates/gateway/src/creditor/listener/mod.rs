//! The creditor listener: the pagoPA Node's SOAP calls (`POST /pagopa/paForNode`) on an
//! address of their own (`MENSA_PAGOPA_ADDR`), never on a comune's host or the admin port.
//!
//! Outside demo mode it speaks TLS 1.2+ (rustls on ring) and requires a client certificate
//! that chains to the CA bundle of `MENSA_PAGOPA_CLIENT_CA`, pagoPA's CA in production:
//! a caller without one, or with one of another CA, fails the handshake and never reaches
//! a handler. `MENSA_PAGOPA_ALLOWED_IPS`, when set, is checked on accept, before the
//! handshake. In demo mode, without certificate files, it listens in plain HTTP so the
//! sandbox checkout (and a developer) can call it.
//!
//! tokio-rustls under `axum::serve` rather than axum-server: the handshake runs in our
//! own accept loop (`accept`), where the allowlist, a deadline and a bound on handshakes
//! in progress fit, and `axum::serve` keeps its graceful shutdown, as on the main port.

mod accept;
mod tls;

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::ServiceExt;
use axum::body::Body;
use axum::http::Request;
use axum::response::Response;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::util::BoxCloneSyncService;

pub use accept::Connection;

use crate::config::{ConfigError, CreditorListenerConfig};

/// A SOAP body larger than this gets 413: a receipt is a few kilobytes.
pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{variable}: {path} {problem}")]
    File {
        variable: &'static str,
        path: String,
        problem: String,
    },
    #[error(
        "cannot listen on {addr}: {source}; is another program using it? set MENSA_PAGOPA_ADDR to another address"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// The bound listener, before it serves.
#[derive(Debug)]
pub struct CreditorListener {
    incoming: accept::Incoming,
    local_addr: SocketAddr,
    mutual_tls: bool,
}

impl CreditorListener {
    /// Reads and checks the certificate files, then binds: a bad file stops start-up with
    /// its name and what is wrong with it, before anything listens.
    pub async fn bind(config: &CreditorListenerConfig, demo: bool) -> Result<Self, ListenerError> {
        let tls = match config.tls(demo)? {
            Some(files) => Some(TlsAcceptor::from(Arc::new(tls::server_config(files)?))),
            None => None,
        };
        let addr = config.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ListenerError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| ListenerError::Bind { addr, source })?;
        let mutual_tls = tls.is_some();
        Ok(CreditorListener {
            incoming: accept::Incoming::start(
                listener,
                local_addr,
                tls,
                config.allowed_ips.clone(),
            ),
            local_addr,
            mutual_tls,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Whether callers must show a client certificate (false: demo mode's plain HTTP).
    pub fn mutual_tls(&self) -> bool {
        self.mutual_tls
    }

    /// The endpoint's URL as a caller on this machine reaches it: on the loopback address
    /// when the listener is on every interface.
    pub fn url(&self) -> String {
        let ip = if self.local_addr.ip().is_unspecified() {
            IpAddr::from(Ipv4Addr::LOCALHOST)
        } else {
            self.local_addr.ip()
        };
        let scheme = if self.mutual_tls { "https" } else { "http" };
        format!(
            "{scheme}://{}/pagopa/paForNode",
            SocketAddr::new(ip, self.local_addr.port())
        )
    }

    /// Serves `app` until `shutdown`, then lets the requests in flight finish.
    pub async fn serve(
        self,
        app: BoxCloneSyncService<Request<Body>, Response, Infallible>,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.incoming, app.into_make_service())
            .with_graceful_shutdown(shutdown)
            .await
    }
}
