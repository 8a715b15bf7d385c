//! The `Authenticator`: who a token belongs to, answered from a short-lived cache in front
//! of the database, and the revocations that empty that cache on every replica.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, Weak};
use std::time::Instant;

use accounts::account_of_guardian;
use chrono::{DateTime, Utc};
use registry::{GuardianId, OperatorId};
use sea_orm::DatabaseConnection;
use tenancy::TenantId;

use crate::api_keys;
use crate::config::AuthConfig;
use crate::error::AuthError;
use crate::identity::{Identity, Principal};
use crate::password::PasswordChecks;
use crate::revocations::{Forget, Revocations, SessionCache};
use crate::secret::{self, API_KEY_PREFIX, SESSION_PREFIX};
use crate::sessions::{self, PersonKind};
use crate::throttle::LoginThrottle;

/// A new session: the token is shown to the caller once and never stored.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub identity: Identity,
}

#[derive(Clone, Debug)]
pub(crate) struct Cached {
    /// Shared so that a hit copies it outside the lock.
    pub(crate) identity: Arc<Identity>,
    expires_at: DateTime<Utc>,
    checked: Instant,
}

#[derive(Debug)]
pub struct Authenticator {
    pub(crate) db: DatabaseConnection,
    pub(crate) config: AuthConfig,
    pub(crate) throttle: LoginThrottle,
    /// The process-wide bound on argon2 runs, and their count.
    pub(crate) passwords: PasswordChecks,
    /// Tells other replicas of revoked sessions, when they share a Redis.
    revocations: Option<Arc<Revocations>>,
    /// Every request reads it, from every worker thread: a read lock, so that readers
    /// never wait for each other.
    pub(crate) cache: RwLock<HashMap<(TenantId, String), Cached>>,
}

const CACHE_CAPACITY: usize = 100_000;

impl SessionCache for Authenticator {
    /// Drops cached sessions, as another replica's revocation asks.
    fn forget_cached(&self, what: Forget) {
        if let Ok(mut cache) = self.cache.write() {
            match what {
                Forget::Comune(tenant) => cache.retain(|(t, _), _| *t != tenant),
                Forget::Everything => cache.clear(),
            }
        }
    }
}

impl Authenticator {
    /// `throttle` counts failed logins (`LoginThrottle::with_redis` shares the counts
    /// between replicas); `revocations` tells the other replicas of revoked sessions, and
    /// is listened to for theirs from here on.
    pub fn new(
        db: DatabaseConnection,
        config: AuthConfig,
        throttle: LoginThrottle,
        revocations: Option<Revocations>,
    ) -> Arc<Self> {
        let revocations = revocations.map(Arc::new);
        let authenticator = Arc::new(Authenticator {
            db,
            throttle,
            passwords: PasswordChecks::new(config.password_checks),
            revocations: revocations.clone(),
            config,
            cache: RwLock::default(),
        });
        if let Some(revocations) = revocations {
            let weak: Weak<Authenticator> = Arc::downgrade(&authenticator);
            let listener: Weak<dyn SessionCache> = weak;
            tokio::spawn(async move { revocations.listen(listener).await });
        }
        authenticator
    }

    /// Tells the other replicas that sessions of `tenant` were revoked.
    pub(crate) async fn announce_revocation(&self, tenant: TenantId) {
        if let Some(revocations) = &self.revocations {
            revocations.announce(tenant).await;
        }
    }

    /// Who holds this token on this comune; `None` for an unknown, expired or revoked
    /// token and for any token of another comune.
    pub async fn authenticate(
        &self,
        tenant: TenantId,
        token: &str,
    ) -> Result<Option<Identity>, AuthError> {
        if !(token.starts_with(SESSION_PREFIX) || token.starts_with(API_KEY_PREFIX))
            || token.len() > 100
        {
            return Ok(None);
        }
        let token_hash = secret::digest(token);
        let key = (tenant, token_hash.clone());
        let now = Utc::now();
        if let Some(hit) = self.cached(&key, now) {
            return Ok(Some(hit));
        }
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let found = if token.starts_with(API_KEY_PREFIX) {
            api_keys::find_live(&txn, tenant, &token_hash)
                .await?
                .map(|key| {
                    (
                        Principal::Integrator {
                            key: key.id,
                            scopes: key.scopes,
                        },
                        DateTime::<Utc>::MAX_UTC,
                    )
                })
        } else {
            match sessions::find_live(&txn, tenant, &token_hash, now).await? {
                None => None,
                Some(row) => {
                    let principal = match row.kind {
                        PersonKind::Guardian => {
                            let guardian = GuardianId::new(row.person_id);
                            let account = account_of_guardian(&txn, tenant, guardian).await?;
                            account.map(|account| Principal::Guardian { guardian, account })
                        }
                        PersonKind::Operator => {
                            operator_principal(&txn, tenant, OperatorId::new(row.person_id)).await?
                        }
                    };
                    principal.map(|p| (p, row.expires_at))
                }
            }
        };
        txn.commit().await?;
        Ok(found.map(|(principal, expires_at)| {
            let identity = Identity {
                tenant,
                principal,
                credential: token_hash,
            };
            self.remember(key, identity.clone(), expires_at);
            identity
        }))
    }

    fn cached(&self, key: &(TenantId, String), now: DateTime<Utc>) -> Option<Identity> {
        let identity = {
            let cache = self.cache.read().ok()?;
            let hit = cache.get(key)?;
            (hit.checked.elapsed() < self.config.session_cache && hit.expires_at > now)
                .then(|| Arc::clone(&hit.identity))?
        };
        Some(Identity::clone(&identity))
    }

    fn remember(&self, key: (TenantId, String), identity: Identity, expires_at: DateTime<Utc>) {
        let identity = Arc::new(identity);
        if let Ok(mut cache) = self.cache.write() {
            if cache.len() >= CACHE_CAPACITY {
                let ttl = self.config.session_cache;
                cache.retain(|_, hit| hit.checked.elapsed() < ttl);
            }
            cache.insert(
                key,
                Cached {
                    identity,
                    expires_at,
                    checked: Instant::now(),
                },
            );
        }
    }

    pub(crate) fn forget(&self, tenant: TenantId, token_hash: &str) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(&(tenant, token_hash.to_owned()));
        }
    }
}

async fn operator_principal(
    db: &impl sea_orm::ConnectionTrait,
    tenant: TenantId,
    id: OperatorId,
) -> Result<Option<Principal>, AuthError> {
    match registry::operator(db, tenant, id).await {
        Ok(operator) => Ok(Some(Principal::Operator {
            operator: operator.id,
            can_read_health_data: operator.can_read_health_data,
        })),
        Err(registry::RegistryError::NotFound { .. }) => Ok(None),
        Err(error) => Err(AuthError::internal(error)),
    }
}
