//! The comune's operators manage integrators' keys through the `Authenticator`, so that a
//! revoked key leaves every replica's session cache at once.

use content::AuditEntry;
use tenancy::TenantId;

use crate::api_keys::{self, ApiKey, ApiKeyId, NewApiKey};
use crate::audit;
use crate::authenticator::Authenticator;
use crate::error::AuthError;
use crate::identity::Principal;
use crate::secret::{self, API_KEY_PREFIX};

impl Authenticator {
    /// Creates an integrator key; the key itself is in the answer and nowhere else.
    pub async fn create_api_key(
        &self,
        tenant: TenantId,
        new: NewApiKey,
    ) -> Result<(ApiKey, String), AuthError> {
        let key = secret::new_secret(API_KEY_PREFIX).map_err(AuthError::internal)?;
        let saved = tenancy::scope::run(&self.db, tenant, async |txn| {
            let actor = format!("operator:{}", new.created_by);
            let saved = api_keys::insert(txn, tenant, new, &key).await?;
            let scopes: Vec<&str> = saved.scopes.iter().map(|s| s.as_str()).collect();
            // The key's id, name and scopes; never the key, nor its prefix.
            let detail = format!("name {:?}, scopes {}", saved.name, scopes.join(","));
            audit::record_with(
                txn,
                tenant,
                AuditEntry {
                    actor: &actor,
                    action: "api_key_created",
                    subject: &format!("api_key:{}", saved.id.0),
                    detail: Some(&detail),
                },
            )
            .await?;
            Ok::<_, AuthError>(saved)
        })
        .await?;
        Ok((saved, key))
    }

    pub async fn api_keys(&self, tenant: TenantId) -> Result<Vec<ApiKey>, AuthError> {
        let keys = tenancy::scope::run(&self.db, tenant, async |txn| {
            api_keys::list(txn, tenant).await
        })
        .await?;
        Ok(keys)
    }

    /// Revokes a live key of this comune on behalf of the operator `by`; false when there
    /// is no such live key.
    pub async fn revoke_api_key(
        &self,
        tenant: TenantId,
        id: ApiKeyId,
        by: i64,
    ) -> Result<bool, AuthError> {
        let revoked = tenancy::scope::run(&self.db, tenant, async |txn| {
            let revoked = api_keys::revoke(txn, tenant, id).await?;
            if revoked {
                audit::record_with(
                    txn,
                    tenant,
                    AuditEntry {
                        actor: &format!("operator:{by}"),
                        action: "api_key_revoked",
                        subject: &format!("api_key:{}", id.0),
                        detail: None,
                    },
                )
                .await?;
            }
            Ok::<_, AuthError>(revoked)
        })
        .await?;
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
