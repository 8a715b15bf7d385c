//! pagoPA settings, parsed: the platform's broker and station ids, the sandbox checkout,
//! and the pagoPA services called when configured (Checkout, the central archive). The
//! settings themselves are declared with the others, in `crate::config`.

/// A pagoPA API: its base URL and the subscription key of its API gateway.
#[derive(Clone, PartialEq, Eq)]
pub struct RemoteApi {
    pub base_url: String,
    pub api_key: Option<String>,
}

impl std::fmt::Debug for RemoteApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteApi")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagoPaConfig {
    pub station: payments::Station,
    /// The sandbox checkout that plays the Node and a PSP. Demo mode only.
    pub sandbox: bool,
    pub checkout: Option<RemoteApi>,
    pub archive: Option<RemoteApi>,
}

/// The demo identifiers of `shared/contract/demo.md`.
pub const DEMO_BROKER_ID: &str = "77777777777";
pub const DEMO_STATION_ID: &str = "77777777777_01";
