//! The comune's operators manage integrators' keys through the `Authenticator`, so that a
//! revoked key leaves every replica's session cache at once.

use tenancy::TenantId;

use crate::api_keys::{self, ApiKey, ApiKeyId, NewApiKey};
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
            api_keys::insert(txn, tenant, new, &key).await
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

    pub async fn revoke_api_key(&self, tenant: TenantId, id: ApiKeyId) -> Result<bool, AuthError> {
        let revoked = tenancy::scope::run(&self.db, tenant, async |txn| {
            api_keys::revoke(txn, tenant, id).await
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
