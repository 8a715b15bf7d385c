//! Building the application from its configuration, zero2prod style: `build` opens the
//! database, migrates, seeds the demo when asked and binds the ports (0 in tests): the
//! public one, the admin one when configured and the pagoPA creditor listener, so the
//! caller knows the addresses before serving.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use accounts::AccountEngine;
use accounts::cache::BalanceCache;
use app::{App, FileStore, Limits, PaymentLinks};
use axum::ServiceExt;
use tenancy::TenantDirectory;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::creditor::listener::{CreditorListener, ListenerError};
use crate::{AppState, routes};
use demo::SeedOutcome;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] crate::db::DbSetupError),
    #[error(transparent)]
    Cache(#[from] accounts::cache::CacheError),
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    #[error("REDIS_URL is not usable for logins and sessions: {0}")]
    AuthRedis(#[source] redis::RedisError),
    #[error(
        "cannot listen on {addr}: {source}; is another program using it? set {variable} to another address"
    )]
    Bind {
        variable: &'static str,
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    CreditorListener(#[from] ListenerError),
}

#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    /// `/metrics` (and the probes) for the cluster's eyes only, when configured apart.
    admin: Option<TcpListener>,
    /// The pagoPA Node's SOAP calls, behind mutual TLS.
    creditor: CreditorListener,
    state: AppState,
    limits: crate::config::HttpLimits,
    security: crate::security::SecurityConfig,
    /// Spans are exported: continue the callers' traces (W3C `traceparent`).
    exporting: bool,
    seed: Option<SeedOutcome>,
}

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        // The certificate files first: a production gateway without them must not even
        // touch its database.
        let creditor = CreditorListener::bind(&config.creditor_listener, config.demo).await?;
        let state = build_state(config).await?;
        let seed = if config.demo {
            Some(demo::seed(&state.app).await?)
        } else {
            None
        };
        let listener = bind("MENSA_ADDR", config.addr).await?;
        let admin = match config.admin_addr {
            Some(addr) => Some(bind("MENSA_ADMIN_ADDR", addr).await?),
            None => None,
        };
        // The sandbox calls the creditor listener as the Node would.
        let _ = state.pagopa.listener_url.set(creditor.url());
        // Credits interrupted by a crash are completed now, then every minute.
        crate::creditor::tasks::spawn(&state);
        Ok(Application {
            listener,
            admin,
            creditor,
            state,
            seed,
            limits: config.http.clone(),
            security: config.security.clone(),
            exporting: config.otlp.is_some(),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Where the pagoPA Node's calls are served (`/pagopa/paForNode`).
    pub fn creditor_addr(&self) -> SocketAddr {
        self.creditor.local_addr()
    }

    /// Whether the creditor listener requires the Node's client certificate.
    pub fn creditor_mutual_tls(&self) -> bool {
        self.creditor.mutual_tls()
    }

    /// Where `/metrics` is served when it has a port of its own.
    pub fn admin_addr(&self) -> Option<std::io::Result<SocketAddr>> {
        self.admin.as_ref().map(TcpListener::local_addr)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// What the demo seed did at start-up, when demo mode is on.
    pub fn seed_outcome(&self) -> Option<&SeedOutcome> {
        self.seed.as_ref()
    }

    /// Serves until `shutdown` completes; then stops accepting, lets the requests in
    /// flight finish and drains the family actors, so that nothing acknowledged or queued
    /// is left unwritten when this returns.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let engine = self.state.app.accounts.clone();
        // One signal stops both listeners that move money or data; each then finishes
        // its requests in flight.
        let (stop, stopped) = tokio::sync::watch::channel(());
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(());
        });
        let until_stopped = |mut stopped: tokio::sync::watch::Receiver<()>| async move {
            // An error means the sender is gone, which only a finished shutdown does.
            let _ = stopped.changed().await;
        };
        // The admin port only reads counters: it can simply stop when the public one has.
        let admin = self.admin.map(|listener| {
            let admin = routes::admin_router(self.state.clone());
            tokio::spawn(async move { axum::serve(listener, admin).await })
        });
        let trusted = self.state.trusted_proxies.clone();
        let node_limits = crate::config::HttpLimits {
            body_limit_bytes: crate::creditor::listener::BODY_LIMIT_BYTES,
            cors_origins: Vec::new(),
            ..self.limits.clone()
        };
        let node = crate::layers::apply(
            routes::node_router(self.state.clone()),
            &node_limits,
            &self.security,
            trusted.clone(),
            self.exporting,
        );
        let creditor = tokio::spawn(self.creditor.serve(node, until_stopped(stopped.clone())));
        let public = routes::router(self.state, admin.is_none());
        let app = crate::layers::apply(
            public,
            &self.limits,
            &self.security,
            trusted,
            self.exporting,
        )
        .into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(until_stopped(stopped))
            .await;
        match creditor.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "the pagoPA creditor listener failed"),
            Err(error) => tracing::error!(%error, "the pagoPA creditor listener panicked"),
        }
        if let Some(admin) = admin {
            admin.abort();
        }
        // Every answered command was committed before its answer; what is still in a
        // mailbox (a request cut off by its client) is committed now rather than dropped.
        engine.drain().await;
        tracing::info!("requests finished and account actors drained");
        served
    }
}

async fn bind(variable: &'static str, addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartupError::Bind {
            variable,
            addr,
            source,
        })
}

/// Everything but the listener: also what `mensa seed-demo` and `mensa migrate` need.
pub async fn build_state(config: &Config) -> Result<AppState, StartupError> {
    let db = crate::db::open(&config.database).await?;
    let cache = BalanceCache::new(config.redis_url.as_deref(), &config.cache_prefix)?;
    // One Redis link for what the replicas' authenticators share.
    let auth_redis = config
        .redis_url
        .as_deref()
        .map(auth::RedisLink::open)
        .transpose()
        .map_err(StartupError::AuthRedis)?
        .map(Arc::new);
    let throttle = auth::LoginThrottle::with_redis(
        config.auth.throttle.clone(),
        auth_redis.clone(),
        &config.cache_prefix,
    );
    let revocations = auth_redis.map(|redis| auth::Revocations::new(redis, &config.cache_prefix));
    let tenants = Arc::new(TenantDirectory::new(db.clone()));
    let accounts = AccountEngine::start(db.clone(), cache, config.engine.clone());
    let creditor = payments::CreditorService::new(
        db.clone(),
        Arc::clone(&tenants),
        accounts.clone(),
        config.pagopa.station.clone(),
    );
    let pagopa = crate::creditor::PagoPa::new(config.pagopa.clone(), creditor);
    let app = App {
        pagopa: PaymentLinks {
            sandbox: config.pagopa.sandbox,
            checkout: pagopa.checkout.clone(),
            archive: pagopa.archive.clone(),
            base_domain: config.hosts.base_domain().to_owned(),
        },
        documents: Arc::new(FileStore::new(config.data_dir.join("documents"))),
        limits: Limits {
            document_max_bytes: config.graphql.max_upload_bytes,
        },
        db: db.clone(),
        tenants,
        accounts,
    };
    Ok(AppState::new(crate::state::Shared {
        pagopa: Arc::new(pagopa),
        app,
        http_metrics: Arc::default(),
        auth: auth::Authenticator::new(db.clone(), config.auth.clone(), throttle, revocations),
        graphql_limits: config.graphql.clone(),
        graphql_rates: Arc::default(),
        hosts: config.hosts.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        demo: config.demo,
        secure_cookies: config.security.secure_cookies,
    }))
}
