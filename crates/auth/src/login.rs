//! Logging in and out, and changing a password: the paths that check a password and open
//! or end sessions.

use std::net::IpAddr;

use accounts::open_account;
use chrono::Utc;
use content::AuditEntry;
use registry::{GuardianId, OperatorId, PasswordHash};
use tenancy::{Tenant, TenantId};

use crate::audit;
use crate::authenticator::{Authenticator, Session};
use crate::error::AuthError;
use crate::identity::{Identity, Principal};
use crate::password::{MAX_PASSWORD_CHARS, check_strength, dummy_hash};
use crate::secret::{self, SESSION_PREFIX};
use crate::sessions::{self, PersonKind};
use crate::throttle::Verdict;

enum Person {
    Guardian(GuardianId),
    Operator(OperatorId, bool),
}

impl Authenticator {
    /// Checks a guardian's or operator's password and opens a session on this comune.
    ///
    /// The attempt is counted before the password is checked, and the check waits for a
    /// turn among the process's password checks: a burst of guesses gets no more checks
    /// than the lockout threshold, and never more argon2 runs at once than the limit.
    pub async fn login(
        &self,
        tenant: &Tenant,
        username: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<Session, AuthError> {
        let username = username.trim();
        let locks = self.admit(tenant.id, username, address).await?;
        if username.is_empty()
            || username.chars().count() > 100
            || password.chars().count() > MAX_PASSWORD_CHARS
        {
            self.login_failed(tenant.id, username, address, locks).await;
            return Err(AuthError::InvalidCredentials);
        }
        let Some(person) = self.check_password(tenant.id, username, password).await? else {
            self.login_failed(tenant.id, username, address, locks).await;
            return Err(AuthError::InvalidCredentials);
        };
        self.throttle.succeeded(tenant.id, username, address).await;
        self.open_session(tenant.id, person).await
    }

    /// Counts an attempt of `username` and waits out its delay; `RateLimited` when the
    /// account or the address is locked. Answers whether a failure of this attempt locks.
    ///
    /// Refusals are not written to the audit log: they cost an attacker nothing and would
    /// let anyone flood it. The failure that locks is written, saying so.
    async fn admit(
        &self,
        tenant: TenantId,
        username: &str,
        address: IpAddr,
    ) -> Result<bool, AuthError> {
        match self.throttle.attempt(tenant, username, address).await {
            Verdict::Refuse { retry_after } => Err(AuthError::RateLimited { retry_after }),
            Verdict::Proceed { delay, locks } => {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                Ok(locks)
            }
        }
    }

    /// Records a wrong password (the attempt is already counted) and, when it was the
    /// last one allowed, the lock it causes.
    async fn login_failed(&self, tenant: TenantId, username: &str, address: IpAddr, locks: bool) {
        self.failed(
            tenant,
            &audit::address_actor(address),
            "login_failed",
            &audit::username_subject(username),
            locks,
        )
        .await;
    }

    /// A failed password check on record: `action`, then `login_locked` when it locks.
    async fn failed(
        &self,
        tenant: TenantId,
        actor: &str,
        action: &str,
        subject: &str,
        locks: bool,
    ) {
        audit::record_alone(
            &self.db,
            tenant,
            AuditEntry {
                actor,
                action,
                subject,
                detail: None,
            },
        )
        .await;
        if locks {
            let detail = format!(
                "too many failed attempts: refused {}",
                audit::minutes(self.config.throttle.window)
            );
            audit::record_alone(
                &self.db,
                tenant,
                AuditEntry {
                    actor,
                    action: "login_locked",
                    subject,
                    detail: Some(&detail),
                },
            )
            .await;
        }
    }

    /// How many password checks this process has run (logins and password changes).
    pub fn password_checks(&self) -> u64 {
        self.passwords.verified()
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
            self.passwords.verify(password, dummy).await?;
            return Ok(None);
        }
        for (hash, person) in candidates {
            if self.passwords.verify(password, hash).await? {
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
    ///
    /// A wrong current password counts as a failed login of that person's username from
    /// `address` (a stolen session cannot guess the password faster than a login could).
    /// The checks and the new hash run outside any transaction; the write is a short one
    /// that only replaces the hash that was checked, so a concurrent change is not lost.
    pub async fn change_password(
        &self,
        identity: &Identity,
        current: &str,
        new: &str,
        address: IpAddr,
    ) -> Result<(), AuthError> {
        check_strength(new)?;
        let tenant = identity.tenant;
        let (kind, person_id) = match identity.principal {
            Principal::Guardian { guardian, .. } => (PersonKind::Guardian, guardian.get()),
            Principal::Operator { operator, .. } => (PersonKind::Operator, operator.get()),
            Principal::Integrator { .. } => return Err(AuthError::WrongPassword),
        };
        let person = format!("{}:{person_id}", kind.as_str());
        let (username, stored) = tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok::<_, AuthError>(match kind {
                PersonKind::Guardian => {
                    let g = registry::guardian(txn, tenant, GuardianId::new(person_id)).await?;
                    (g.username, g.password_hash)
                }
                PersonKind::Operator => {
                    let o = registry::operator(txn, tenant, OperatorId::new(person_id)).await?;
                    (o.username, o.password_hash)
                }
            })
        })
        .await?;
        let locks = self.admit(tenant, &username, address).await?;
        if current.chars().count() > MAX_PASSWORD_CHARS
            || !self.passwords.verify(current, stored.clone()).await?
        {
            self.failed(tenant, &person, "password_change_failed", &person, locks)
                .await;
            return Err(AuthError::WrongPassword);
        }
        self.throttle.succeeded(tenant, &username, address).await;
        let new_hash = self.passwords.hash(new).await?;
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let replaced = match kind {
            PersonKind::Guardian => {
                let id = GuardianId::new(person_id);
                registry::replace_guardian_password(&txn, tenant, id, &stored, &new_hash).await
            }
            PersonKind::Operator => {
                let id = OperatorId::new(person_id);
                registry::replace_operator_password(&txn, tenant, id, &stored, &new_hash).await
            }
        }
        .map_err(AuthError::internal)?;
        if !replaced {
            // Changed by a concurrent request since it was checked: this one is stale.
            txn.rollback().await?;
            return Err(AuthError::WrongPassword);
        }
        sessions::revoke_all_of(&txn, tenant, kind, person_id, &identity.credential).await?;
        audit::record_with(
            &txn,
            tenant,
            AuditEntry {
                actor: &person,
                action: "password_changed",
                subject: &person,
                detail: Some("the other sessions ended"),
            },
        )
        .await?;
        txn.commit().await?;
        if let Ok(mut cache) = self.cache.write() {
            cache.retain(|(t, hash), _| *t != tenant || *hash == identity.credential);
        }
        self.announce_revocation(tenant).await;
        Ok(())
    }
}
