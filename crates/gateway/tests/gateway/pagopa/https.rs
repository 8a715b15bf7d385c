//! pagoPA's HTTPS APIs reached directly, without an egress proxy: the real binary calls a
//! Checkout double over TLS, trusting the test CA as it trusts the system's roots
//! (`SSL_CERT_FILE`, read by rustls' platform verifier).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Gql, MensaProcess, Pki, SAN_CASCIANO};

const CHECKOUT_PAGE: &str = "https://checkout.pagopa.it/c/9e1b";

/// A Checkout double over TLS that answers every request with Checkout's 302 and counts
/// the carts whose request line it read.
async fn https_checkout(pki: &Pki) -> (std::net::SocketAddr, Arc<AtomicU32>) {
    let tls = tokio_rustls::TlsAcceptor::from(Arc::new(pki.server_config()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let carts = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&carts);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (tls, counted) = (tls.clone(), Arc::clone(&counted));
            tokio::spawn(async move {
                let Ok(mut stream) = tls.accept(stream).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                // The headers, then the JSON body: enough to see the cart arrive.
                while let Ok(read) = stream.read(&mut buffer).await {
                    if read == 0 {
                        break;
                    }
                    request.extend_from_slice(&buffer[..read]);
                    let text = String::from_utf8_lossy(&request);
                    if text.contains("\r\n\r\n")
                        && text.contains("paymentNotices")
                        && text.ends_with('}')
                    {
                        break;
                    }
                }
                if String::from_utf8_lossy(&request).starts_with("POST /checkout/ec/v1/carts ") {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
                let answer = format!(
                    "HTTP/1.1 302 Found\r\nLocation: {CHECKOUT_PAGE}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (addr, carts)
}

#[tokio::test]
async fn checkout_is_reached_over_https_without_an_egress_proxy() {
    let pki = Pki::new();
    let (addr, carts) = https_checkout(&pki).await;
    let data = tempfile::tempdir().unwrap();
    let mensa = MensaProcess::serve(&[
        ("MENSA_DATA_DIR", data.path().display().to_string()),
        ("MENSA_DEMO", "true".into()),
        ("MENSA_PAGOPA_SANDBOX", "false".into()),
        (
            "MENSA_PAGOPA_CHECKOUT_URL",
            format!("https://127.0.0.1:{}/checkout/ec/v1", addr.port()),
        ),
        (
            "SSL_CERT_FILE",
            pki.path("platform-ca.pem").display().to_string(),
        ),
    ])
    .await;
    let parent = Gql::login(mensa.addr, SAN_CASCIANO, "genitore", "Mensa-2026").await;
    let answer = parent
        .send(
            "mutation { createPaymentNotice(amount: \"20.00\") { checkoutUrl } }",
            json!({}),
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}\n{}", mensa.output()));
    assert_eq!(
        answer["createPaymentNotice"]["checkoutUrl"],
        CHECKOUT_PAGE,
        "{answer}\n{}",
        mensa.output()
    );
    assert_eq!(carts.load(Ordering::SeqCst), 1);
}
