//! The authenticator's link to Redis, for what replicas must share: failed-login counts
//! and session revocations, over one connection. Connected on first use, and never waited
//! on for long: a login or a logout goes on without Redis rather than hang on it.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

/// How long a login or a logout waits for Redis before going on without it.
const TIMEOUT: Duration = Duration::from_millis(500);

pub struct RedisLink {
    client: redis::Client,
    connection: OnceCell<ConnectionManager>,
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisLink").finish_non_exhaustive()
    }
}

impl RedisLink {
    pub fn open(url: &str) -> Result<Self, redis::RedisError> {
        Ok(RedisLink {
            client: redis::Client::open(url)?,
            connection: OnceCell::new(),
        })
    }

    pub(super) fn client(&self) -> &redis::Client {
        &self.client
    }

    pub(super) async fn run<T: redis::FromRedisValue>(
        &self,
        pipe: &redis::Pipeline,
    ) -> redis::RedisResult<T> {
        let attempt = async {
            let connection = self
                .connection
                .get_or_try_init(|| {
                    // One retry: a login should not wait out a reconnection schedule.
                    let config = ConnectionManagerConfig::new()
                        .set_number_of_retries(1)
                        .set_connection_timeout(Some(TIMEOUT))
                        .set_response_timeout(Some(TIMEOUT));
                    ConnectionManager::new_with_config(self.client.clone(), config)
                })
                .await?;
            pipe.query_async(&mut connection.clone()).await
        };
        tokio::time::timeout(TIMEOUT, attempt)
            .await
            .unwrap_or_else(|_| Err(std::io::Error::from(std::io::ErrorKind::TimedOut).into()))
    }
}
