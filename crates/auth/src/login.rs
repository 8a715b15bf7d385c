//! Logging in and out, and changing a password: the paths that check a password and open
//! or end sessions.

use std::net::IpAddr;

use accounts::open_account;
use chrono::Utc;
use registry::{GuardianId, OperatorId, PasswordHash};
use tenancy::{Tenant, TenantId};

use crate::authenticator::{Authenticator, Session};
use crate::error::AuthError;
use crate::identity::{Identity, Principal};
use crate::password::{MAX_PASSWORD_CHARS, check_strength, dummy_hash, hash, verify};
use crate::secret::{self, SESSION_PREFIX};
use crate::sessions::{self, PersonKind};
use crate::throttle::Verdict;

enum Person {
    Guardian(GuardianId),
    Operator(OperatorId, bool),
}

impl Authenticator {
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
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let guardian = registry::guardian_by_username(&txn, tenant, username).await?;
        let operator = registry::operator_by_username(&txn, tenant, username).await?;
        txn.commit().await?;
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
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let (kind, id, principal) = match person {
            Person::Guardian(guardian) => {
                let account = open_account(&txn, tenant, guardian).await?;
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
        sessions::insert(&txn, tenant, &token_hash, kind, id, expires_at).await?;
        txn.commit().await?;
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

    /// Ends the session of this identity (a no-op for API keys: operators revoke those).
    pub async fn logout(&self, identity: &Identity) -> Result<(), AuthError> {
        if matches!(identity.principal, Principal::Integrator { .. }) {
            return Ok(());
        }
        tenancy::scope::run(&self.db, identity.tenant, async |txn| {
            sessions::revoke(txn, identity.tenant, &identity.credential).await
        })
        .await?;
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
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let stored = match kind {
            PersonKind::Guardian => {
                registry::guardian(&txn, tenant, GuardianId::new(person_id))
                    .await?
                    .password_hash
            }
            PersonKind::Operator => {
                registry::operator(&txn, tenant, OperatorId::new(person_id))
                    .await?
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
        sessions::revoke_all_of(&txn, tenant, kind, person_id, &identity.credential).await?;
        txn.commit().await?;
        if let Ok(mut cache) = self.cache.write() {
            cache.retain(|(t, hash), _| *t != tenant || *hash == identity.credential);
        }
        self.announce_revocation(tenant).await;
        Ok(())
    }
}
