//! Telling every replica that sessions of a comune were revoked (a logout, a password
//! change, a revoked API key), so that none goes on trusting its cached copy for the rest
//! of `session_cache`. A message on one Redis channel per deployment names the comune;
//! each replica drops that comune's cached sessions when it hears it. Dropping is always
//! safe (the next request checks the database again), so the message carries no detail,
//! and a replica that was not listening drops everything when it listens again.
//!
//! Best effort on top of `session_cache`: with Redis down, a revocation still reaches the
//! other replicas when their cached copy expires.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use tenancy::TenantId;

use crate::redis_link::RedisLink;

/// What holds cached sessions and is told to drop them: the `Authenticator`.
pub trait SessionCache: Send + Sync {
    fn forget_cached(&self, what: Forget);
}

/// Between attempts to listen again after Redis went away.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Revocations {
    redis: Arc<RedisLink>,
    channel: String,
}

/// What a replica is told to forget: one comune's sessions, or all it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forget {
    Comune(TenantId),
    Everything,
}

impl Revocations {
    pub fn new(redis: Arc<RedisLink>, prefix: &str) -> Self {
        Revocations {
            redis,
            channel: format!("{prefix}:session-revocations"),
        }
    }

    /// Tells the other replicas; a failure only leaves them to their cache's expiry.
    pub async fn announce(&self, tenant: TenantId) {
        let mut pipe = redis::pipe();
        pipe.publish(&self.channel, tenant.get()).ignore();
        if let Err(error) = self.redis.run::<()>(&pipe).await {
            tracing::warn!(%error, "a session revocation could not be told to the other replicas: they learn of it when their cached copy expires");
        }
    }

    /// Listens until the authenticator is gone, listening again whenever Redis goes away.
    pub async fn listen(&self, authenticator: Weak<dyn SessionCache>) {
        let forget = |what| match authenticator.upgrade() {
            Some(authenticator) => {
                authenticator.forget_cached(what);
                true
            }
            None => false,
        };
        while authenticator.strong_count() > 0 {
            match self.subscribe().await {
                Ok(mut pubsub) => {
                    // What was said while nobody listened is lost: forget it all.
                    if !forget(Forget::Everything) {
                        return;
                    }
                    let mut messages = pubsub.on_message();
                    while let Some(message) = messages.next().await {
                        let what = message
                            .get_payload::<i64>()
                            .map_or(Forget::Everything, |id| Forget::Comune(TenantId::new(id)));
                        if !forget(what) {
                            return;
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "cannot listen for session revocations"),
            }
            tokio::time::sleep(RETRY).await;
        }
    }

    async fn subscribe(&self) -> redis::RedisResult<redis::aio::PubSub> {
        let mut pubsub = self.redis.client().get_async_pubsub().await?;
        pubsub.subscribe(&self.channel).await?;
        Ok(pubsub)
    }
}
