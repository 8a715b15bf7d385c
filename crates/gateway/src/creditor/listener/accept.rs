//! Accepting the creditor listener's connections: the allowlist is checked on accept,
//! before a byte of TLS; each handshake runs in a task of its own with a deadline, a
//! bounded number at once, so a slow or hostile client holds up nobody else; only
//! connections whose handshake verified a client certificate reach axum.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::config::AllowedIps;

/// A handshake not done by then is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; a connection beyond them is closed at once.
const MAX_HANDSHAKES: usize = 64;

/// The connections that passed the allowlist (and the handshake), as `axum::serve` takes
/// them. Dropping it stops accepting.
#[derive(Debug)]
pub(super) struct Incoming {
    connections: mpsc::Receiver<(Connection, SocketAddr)>,
    local_addr: SocketAddr,
    acceptor: JoinHandle<()>,
}

impl Incoming {
    pub(super) fn start(
        listener: TcpListener,
        local_addr: SocketAddr,
        tls: Option<TlsAcceptor>,
        allowed: Option<AllowedIps>,
    ) -> Self {
        let (sender, connections) = mpsc::channel(MAX_HANDSHAKES);
        let acceptor = tokio::spawn(accept(listener, tls, allowed, sender));
        Incoming {
            connections,
            local_addr,
            acceptor,
        }
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        self.acceptor.abort();
    }
}

impl axum::serve::Listener for Incoming {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        match self.connections.recv().await {
            Some(connection) => connection,
            // The accepting task is gone (it never ends by itself): accept nothing more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local_addr)
    }
}

async fn accept(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    allowed: Option<AllowedIps>,
    sender: mpsc::Sender<(Connection, SocketAddr)>,
) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, most likely: give the others a moment.
                tracing::warn!(%error, "pagoPA listener: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        if let Some(allowed) = &allowed
            && !allowed.permits(peer.ip())
        {
            tracing::warn!(%peer, "pagoPA listener: refused an address outside MENSA_PAGOPA_ALLOWED_IPS");
            continue;
        }
        let Some(tls) = &tls else {
            // Demo mode's plain HTTP.
            if sender
                .send((Connection::Plain(stream), peer))
                .await
                .is_err()
            {
                return;
            }
            continue;
        };
        let Ok(permit) = Arc::clone(&handshakes).try_acquire_owned() else {
            tracing::warn!(%peer, "pagoPA listener: too many TLS handshakes at once, connection closed");
            continue;
        };
        let (tls, sender) = (tls.clone(), sender.clone());
        tokio::spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
                Ok(Ok(stream)) => {
                    let _ = sender.send((Connection::Tls(Box::new(stream)), peer)).await;
                }
                Ok(Err(error)) => {
                    tracing::warn!(%peer, %error, "pagoPA listener: TLS handshake refused");
                }
                Err(_) => tracing::warn!(%peer, "pagoPA listener: TLS handshake timed out"),
            }
        });
    }
}

/// A connection of the creditor listener: mutual TLS, or plain HTTP in demo mode.
#[derive(Debug)]
pub enum Connection {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Connection {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Connection::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Connection::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}
