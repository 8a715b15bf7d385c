//! Where balance reads are cached: Redis when `REDIS_URL` is set, this process's memory
//! otherwise. Redis being down must never fail a request: callers fall back to the
//! database.

use std::time::Duration;

use redis::aio::ConnectionManager;
use tokio::sync::OnceCell;

const REDIS_TIMEOUT: Duration = Duration::from_millis(500);

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("REDIS_URL is not a valid Redis URL: {0}")]
    BadUrl(String),
}

#[derive(Clone)]
pub enum BalanceCache {
    InProcess,
    Redis {
        client: redis::Client,
        connection: std::sync::Arc<OnceCell<ConnectionManager>>,
    },
}

impl std::fmt::Debug for BalanceCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BalanceCache::InProcess => "BalanceCache::InProcess",
            BalanceCache::Redis { .. } => "BalanceCache::Redis",
        })
    }
}

impl BalanceCache {
    /// Does not connect yet: the gateway must start even while Redis is down.
    pub fn new(redis_url: Option<&str>) -> Result<Self, CacheError> {
        match redis_url {
            None => Ok(BalanceCache::InProcess),
            Some(url) => {
                let client =
                    redis::Client::open(url).map_err(|e| CacheError::BadUrl(e.to_string()))?;
                Ok(BalanceCache::Redis {
                    client,
                    connection: Default::default(),
                })
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            BalanceCache::InProcess => "in-process",
            BalanceCache::Redis { .. } => "redis",
        }
    }

    /// Whether the cache answers now (for readiness).
    pub async fn ping(&self) -> bool {
        let Some(mut connection) = self.connection().await else {
            return matches!(self, BalanceCache::InProcess);
        };
        let pong = tokio::time::timeout(
            REDIS_TIMEOUT,
            redis::cmd("PING").query_async::<String>(&mut connection),
        )
        .await;
        matches!(pong, Ok(Ok(_)))
    }

    async fn connection(&self) -> Option<ConnectionManager> {
        let BalanceCache::Redis { client, connection } = self else {
            return None;
        };
        let manager = connection
            .get_or_try_init(|| async {
                tokio::time::timeout(REDIS_TIMEOUT, ConnectionManager::new(client.clone()))
                    .await
                    .map_err(|_| ())?
                    .map_err(|_| ())
            })
            .await
            .ok()?;
        Some(manager.clone())
    }
}
