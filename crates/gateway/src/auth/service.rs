//! Logging in and out, changing a password, and telling who a token belongs to.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use accounts::{account_of_guardian, open_account};
use chrono::{DateTime, Utc};
use registry::{GuardianId, OperatorId, PasswordHash, hash_password, verify_password};
use sea_orm::DatabaseConnection;
use tenancy::{Tenant, TenantId};

use super::api_keys::{self, ApiKey, NewApiKey};
use super::identity::{Identity, Principal};
use super::revocations::{Forget, Revocations};
use super::secret::{self, API_KEY_PREFIX, SESSION_PREFIX};
use super::sessions::{self, PersonKind};
use super::throttle::{LoginThrottle, ThrottleConfig, Verdict};

#[derive(Clone, Debug)]
pub struct AuthConfig {
    pub session_lifetime: Duration,
    /// How long a replica trusts a session it has already checked. A logout on another
    /// replica reaches this one at once through Redis, and at most this late without it.
    pub session_cache: Duration,
    pub throttle: ThrottleConfig,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            session_lifetime: Duration::from_secs(12 * 3600),
            session_cache: Duration::from_secs(30),
            throttle: ThrottleConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Unknown username or wrong password: deliberately the same answer.
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("too many failed attempts; retry in {} minutes", retry_after.as_secs().div_ceil(60))]
    RateLimited { retry_after: Duration },
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("{0}")]
    WeakPassword(&'static str),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AuthError {
    fn internal(error: impl std::fmt::Display) -> Self {
        AuthError::Internal(error.to_string())
    }
}

/// A new session: the token is shown to the caller once and never stored.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub identity: Identity,
}

#[derive(Clone, Debug)]
struct Cached {
    /// Shared so that a hit copies it outside the lock.
    identity: Arc<Identity>,
    expires_at: DateTime<Utc>,
    checked: Instant,
}

#[derive(Debug)]
pub struct Authenticator {
    db: DatabaseConnection,
    config: AuthConfig,
    throttle: LoginThrottle,
    /// Tells other replicas of revoked sessions, when they share a Redis.
    revocations: Option<Arc<Revocations>>,
    /// Every request reads it, from every worker thread: a read lock, so that readers
    /// never wait for each other.
    cache: RwLock<HashMap<(TenantId, String), Cached>>,
}

const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 128;
const CACHE_CAPACITY: usize = 100_000;

enum Person {
    Guardian(GuardianId),
    Operator(OperatorId, bool),
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
            revocations: revocations.clone(),
            config,
            cache: RwLock::default(),
        });
        if let Some(revocations) = revocations {
            let listener = Arc::downgrade(&authenticator);
            tokio::spawn(async move { revocations.listen(listener).await });
        }
        authenticator
    }

    /// Drops cached sessions, as another replica's revocation asks.
    pub fn forget_cached(&self, what: Forget) {
        if let Ok(mut cache) = self.cache.write() {
            match what {
                Forget::Comune(tenant) => cache.retain(|(t, _), _| *t != tenant),
                Forget::Everything => cache.clear(),
            }
        }
    }

    /// Tells the other replicas that sessions of `tenant` were revoked.
    async fn announce_revocation(&self, tenant: TenantId) {
        if let Some(revocations) = &self.revocations {
            revocations.announce(tenant).await;
        }
    }

    /// Checks a guardian's or operator's password and opens a session on this comune.
    pub async fn login(
        &self,
        tenant: &Tenant,
        username: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Session, AuthError> {
        let username = username.trim();
        match self.throttle.check(tenant.id, username, address).await {
            Verdict::Refuse { retry_after } => return Err(AuthError::RateLimited { retry_after }),
            Verdict::Proceed { delay } if !delay.is_zero() => tokio::time::sleep(delay).await,
            Verdict::Proceed { .. } => {}
        }
        if username.is_empty()
            || username.chars().count() > 100
            || password.chars().count() > MAX_PASSWORD_CHARS
        {
            self.throttle.failed(tenant.id, username, address).await;
            return Err(AuthError::InvalidCredentials);
        }
        let Some(person) = self.check_password(tenant.id, username, password).await? else {
            self.throttle.failed(tenant.id, username, address).await;
            return Err(AuthError::InvalidCredentials);
        };
        self.throttle.succeeded(tenant.id, username).await;
        self.open_session(tenant.id, person).await
    }

    async fn check_password(
        &self,
        tenant: TenantId,
        username: &str,
        password: &str,
    ) -> Result<Option<Person>, AuthError> {
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let guardian = registry::guardian_by_username(&txn, tenant, username)
            .await
            .map_err(AuthError::internal)?;
        let operator = registry::operator_by_username(&txn, tenant, username)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        let mut candidates: Vec<(PasswordHash, Person)> = Vec::new();
        if let Some(g) = guardian {
            candidates.push((g.password_hash, Person::Guardian(g.id)));
        }
        if let Some(o) = operator {
            candidates.push((
                o.password_hash,
                Person::Operator(o.id, o.can_read_health_data),
            ));
        }
        if candidates.is_empty() {
            // Spend the same time as a real check, so timing does not tell whether the
            // username exists.
            let dummy = dummy_hash()?.clone();
            verify(password, dummy).await?;
            return Ok(None);
        }
        for (hash, person) in candidates {
            if verify(password, hash).await? {
                return Ok(Some(person));
            }
        }
        Ok(None)
    }

    async fn open_session(&self, tenant: TenantId, person: Person) -> Result<Session, AuthError> {
        let token = secret::new_secret(SESSION_PREFIX).map_err(AuthError::internal)?;
        let token_hash = secret::digest(&token);
        let lifetime = chrono::Duration::from_std(self.config.session_lifetime)
            .map_err(AuthError::internal)?;
        let expires_at = Utc::now() + lifetime;
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let (kind, id, principal) = match person {
            Person::Guardian(guardian) => {
                let account = open_account(&txn, tenant, guardian)
                    .await
                    .map_err(AuthError::internal)?;
                (
                    PersonKind::Guardian,
                    guardian.get(),
                    Principal::Guardian { guardian, account },
                )
            }
            Person::Operator(operator, can_read_health_data) => (
                PersonKind::Operator,
                operator.get(),
                Principal::Operator {
                    operator,
                    can_read_health_data,
                },
            ),
        };
        sessions::insert(&txn, tenant, &token_hash, kind, id, expires_at)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        Ok(Session {
            token,
            expires_at,
            identity: Identity {
                tenant,
                principal,
                credential: token_hash,
            },
        })
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
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let found = if token.starts_with(API_KEY_PREFIX) {
            api_keys::find_live(&txn, tenant, &token_hash)
                .await
                .map_err(AuthError::internal)?
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
            match sessions::find_live(&txn, tenant, &token_hash, now)
                .await
                .map_err(AuthError::internal)?
            {
                None => None,
                Some(row) => {
                    let principal = match row.kind {
                        PersonKind::Guardian => {
                            let guardian = GuardianId::new(row.person_id);
                            let account = account_of_guardian(&txn, tenant, guardian)
                                .await
                                .map_err(AuthError::internal)?;
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
        txn.commit().await.map_err(AuthError::internal)?;
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

    fn forget(&self, tenant: TenantId, token_hash: &str) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(&(tenant, token_hash.to_owned()));
        }
    }

    /// Ends the session of this identity (a no-op for API keys: operators revoke those).
    pub async fn logout(&self, identity: &Identity) -> Result<(), AuthError> {
        if matches!(identity.principal, Principal::Integrator { .. }) {
            return Ok(());
        }
        let txn = tenancy::scope::begin(&self.db, identity.tenant)
            .await
            .map_err(AuthError::internal)?;
        sessions::revoke(&txn, identity.tenant, &identity.credential)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        self.forget(identity.tenant, &identity.credential);
        self.announce_revocation(identity.tenant).await;
        Ok(())
    }

    /// Changes the password of the logged-in guardian or operator; every other session
    /// of that person ends.
    pub async fn change_password(
        &self,
        identity: &Identity,
        current: &str,
        new: &str,
    ) -> Result<(), AuthError> {
        check_strength(new)?;
        let tenant = identity.tenant;
        let (kind, person_id) = match identity.principal {
            Principal::Guardian { guardian, .. } => (PersonKind::Guardian, guardian.get()),
            Principal::Operator { operator, .. } => (PersonKind::Operator, operator.get()),
            Principal::Integrator { .. } => return Err(AuthError::WrongPassword),
        };
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let stored = match kind {
            PersonKind::Guardian => {
                registry::guardian(&txn, tenant, GuardianId::new(person_id))
                    .await
                    .map_err(AuthError::internal)?
                    .password_hash
            }
            PersonKind::Operator => {
                registry::operator(&txn, tenant, OperatorId::new(person_id))
                    .await
                    .map_err(AuthError::internal)?
                    .password_hash
            }
        };
        if !verify(current, stored).await? {
            return Err(AuthError::WrongPassword);
        }
        let new_hash = hash(new).await?;
        match kind {
            PersonKind::Guardian => {
                registry::set_guardian_password(&txn, tenant, GuardianId::new(person_id), &new_hash)
                    .await
            }
            PersonKind::Operator => {
                registry::set_operator_password(&txn, tenant, OperatorId::new(person_id), &new_hash)
                    .await
            }
        }
        .map_err(AuthError::internal)?;
        sessions::revoke_all_of(&txn, tenant, kind, person_id, &identity.credential)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        if let Ok(mut cache) = self.cache.write() {
            cache.retain(|(t, hash), _| *t != tenant || *hash == identity.credential);
        }
        self.announce_revocation(tenant).await;
        Ok(())
    }

    /// Creates an integrator key; the key itself is in the answer and nowhere else.
    pub async fn create_api_key(
        &self,
        tenant: TenantId,
        new: NewApiKey,
    ) -> Result<(ApiKey, String), AuthError> {
        let key = secret::new_secret(API_KEY_PREFIX).map_err(AuthError::internal)?;
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let saved = api_keys::insert(&txn, tenant, new, &key)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        Ok((saved, key))
    }

    pub async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKey>, AuthError> {
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let keys = api_keys::list(&txn, tenant)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        Ok(keys)
    }

    pub async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: super::ApiKeyId,
    ) -> Result<bool, AuthError> {
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .map_err(AuthError::internal)?;
        let revoked = api_keys::revoke(&txn, tenant, id)
            .await
            .map_err(AuthError::internal)?;
        txn.commit().await.map_err(AuthError::internal)?;
        if let Ok(mut cache) = self.cache.write() {
            cache.retain(|(t, _), hit| {
                *t != tenant
                    || !matches!(hit.identity.principal, Principal::Integrator { key, .. } if key == id)
            });
        }
        self.announce_revocation(tenant).await;
        Ok(revoked)
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

/// The password policy for new passwords, chosen by a person or by an operator.
pub fn check_strength(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(
            "the new password must have at least 8 characters",
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(
            "the new password must have at most 128 characters",
        ));
    }
    let kinds = [
        password.chars().any(char::is_lowercase),
        password.chars().any(char::is_uppercase),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 3 {
        return Err(AuthError::WeakPassword(
            "the new password must mix at least three of: lower case, upper case, digits, symbols",
        ));
    }
    Ok(())
}

/// argon2 takes tens of milliseconds of CPU: off the async workers.
async fn verify(password: &str, hash: PasswordHash) -> Result<bool, AuthError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(AuthError::internal)
}

async fn hash(password: &str) -> Result<PasswordHash, AuthError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AuthError::internal)?
        .map_err(AuthError::internal)
}

fn dummy_hash() -> Result<&'static PasswordHash, AuthError> {
    static DUMMY: OnceLock<PasswordHash> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let hash = hash_password("not a password of anybody").map_err(AuthError::internal)?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_strength() {
        assert!(check_strength("Mensa-2026").is_ok());
        assert!(check_strength("short1A").is_err());
        assert!(check_strength("alllowercaseletters").is_err());
        assert!(check_strength("lower-and-symbols").is_err());
        assert!(check_strength("lower-and-digits-1").is_ok());
    }
}
