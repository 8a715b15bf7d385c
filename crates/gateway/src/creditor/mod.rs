//! pagoPA on the gateway: the creditor SOAP endpoint the Node calls on any host, the
//! sandbox checkout of the demo, the HTTP clients of Checkout and of the central archive,
//! the background rounds (expiry, interrupted credits, archive loads) and their metrics.

mod archive;
mod checkout;
mod config;
mod endpoint;
mod metrics;
mod sandbox;
mod soap_client;
pub mod tasks;

use std::sync::{Arc, OnceLock};

use axum::Router;
use payments::CreditorService;
use payments::remote::{CentralArchive, Checkout};

pub use archive::HttpArchive;
pub use checkout::HttpCheckout;
pub use config::{DEMO_BROKER_ID, DEMO_STATION_ID, PagoPaConfig, RemoteApi};
pub use metrics::{PagoPaMetrics, render as render_metrics};
pub use soap_client::{SoapCallError, SoapClient};

use crate::AppState;

/// Everything pagoPA needs at run time.
#[derive(Debug)]
pub struct PagoPa {
    pub creditor: CreditorService,
    pub metrics: PagoPaMetrics,
    pub config: PagoPaConfig,
    pub checkout: Option<Arc<dyn Checkout>>,
    pub archive: Option<Arc<dyn CentralArchive>>,
    /// This gateway's own address, for the sandbox that calls it over HTTP like the Node;
    /// known once the port is bound.
    pub self_url: OnceLock<String>,
}

impl PagoPa {
    pub fn new(config: PagoPaConfig, creditor: CreditorService) -> Self {
        let checkout: Option<Arc<dyn Checkout>> = match config.checkout.clone() {
            Some(api) => Some(Arc::new(HttpCheckout::new(api))),
            None => None,
        };
        let archive: Option<Arc<dyn CentralArchive>> = match config.archive.clone() {
            Some(api) => Some(Arc::new(HttpArchive::new(api))),
            None => None,
        };
        PagoPa {
            creditor,
            metrics: PagoPaMetrics::default(),
            config,
            checkout,
            archive,
            self_url: OnceLock::new(),
        }
    }
}

/// `/pagopa/paForNode` on any host; the sandbox pages only when the sandbox is on.
pub fn router(state: &AppState) -> Router<AppState> {
    let router = Router::new().route(
        "/pagopa/paForNode",
        axum::routing::post(endpoint::pa_for_node),
    );
    if state.pagopa.config.sandbox {
        router.merge(sandbox::router())
    } else {
        router
    }
}
