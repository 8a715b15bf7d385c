//! Building the application from its configuration, zero2prod style: `build` opens the
//! database, migrates, seeds the demo when asked and binds the port (0 in tests), so the
//! caller knows the address before serving.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use accounts::AccountEngine;
use accounts::cache::BalanceCache;
use tenancy::TenantDirectory;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::demo::{self, SeedOutcome};
use crate::{AppState, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] crate::db::DbSetupError),
    #[error(transparent)]
    Cache(#[from] accounts::cache::CacheError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error(
        "cannot listen on {addr}: {source}; is another program using it? set MENSA_ADDR to another address"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    state: AppState,
    limits: crate::config::HttpLimits,
    seed: Option<SeedOutcome>,
}

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let state = build_state(config).await?;
        let seed = if config.demo {
            Some(demo::seed(&state).await?)
        } else {
            None
        };
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.addr,
                    source,
                })?;
        if let Ok(bound) = listener.local_addr() {
            // The sandbox calls this gateway like the Node would: on the loopback address
            // when the gateway listens on every interface.
            let host = if bound.ip().is_unspecified() {
                std::net::IpAddr::from(std::net::Ipv4Addr::LOCALHOST)
            } else {
                bound.ip()
            };
            let url = format!("http://{}", SocketAddr::new(host, bound.port()));
            let _ = state.pagopa.self_url.set(url);
        }
        // Credits interrupted by a crash are completed now, then every minute.
        crate::pagopa::tasks::spawn(&state);
        Ok(Application {
            listener,
            state,
            seed,
            limits: config.http.clone(),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What the demo seed did at start-up, when demo mode is on.
    pub fn seed_outcome(&self) -> Option<&SeedOutcome> {
        self.seed.as_ref()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = crate::layers::apply(routes::router(self.state), &self.limits)
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// Everything but the listener: also what `mensa seed-demo` and `mensa migrate` need.
pub async fn build_state(config: &Config) -> Result<AppState, StartupError> {
    let db = crate::db::open(&config.database).await?;
    let cache = BalanceCache::new(config.redis_url.as_deref(), &config.cache_prefix)?;
    let tenants = Arc::new(TenantDirectory::new(db.clone()));
    let accounts = AccountEngine::start(db.clone(), cache, config.engine.clone());
    let creditor = payments::CreditorService::new(
        db.clone(),
        Arc::clone(&tenants),
        accounts.clone(),
        config.pagopa.station.clone(),
    );
    Ok(AppState {
        pagopa: Arc::new(crate::pagopa::PagoPa::new(config.pagopa.clone(), creditor)),
        tenants,
        accounts,
        http_metrics: Arc::default(),
        auth: crate::auth::Authenticator::new(db.clone(), config.auth.clone()),
        documents: Arc::new(crate::documents::FileStore::new(
            config.data_dir.join("documents"),
        )),
        graphql_limits: config.graphql.clone(),
        graphql_rates: Arc::default(),
        db,
        hosts: config.hosts.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        demo: config.demo,
    })
}
