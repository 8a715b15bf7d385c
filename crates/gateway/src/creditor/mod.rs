//! pagoPA on the gateway: the creditor SOAP endpoint the Node calls, served only on the
//! creditor listener (`listener`, mutual TLS), the sandbox checkout of the demo, the
//! HTTPS clients of Checkout and of the central archive, the background rounds (expiry,
//! interrupted credits, archive loads) and their metrics.

mod archive;
mod checkout;
mod config;
mod endpoint;
pub mod listener;
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
    /// The creditor listener's `/pagopa/paForNode`, for the sandbox that calls it over
    /// HTTP like the Node; known once the listener is bound.
    pub listener_url: OnceLock<String>,
}

impl PagoPa {
    pub fn new(config: PagoPaConfig, creditor: CreditorService) -> Self {
        crate::tls::install_provider();
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
            listener_url: OnceLock::new(),
        }
    }
}

/// The creditor listener's one route; everything else there is 404.
pub fn node_router() -> Router<AppState> {
    Router::new().route(
        "/pagopa/paForNode",
        axum::routing::post(endpoint::pa_for_node),
    )
}

/// The public hosts' pagoPA pages: the sandbox checkout, only when the sandbox is on
/// (demo mode). `/pagopa/paForNode` is never among them.
pub fn router(state: &AppState) -> Router<AppState> {
    if state.pagopa.config.sandbox && state.demo {
        sandbox::router()
    } else {
        Router::new()
    }
}
