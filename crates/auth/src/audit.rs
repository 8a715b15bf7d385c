//! Security events in the comune's audit log: failed and refused logins, password
//! changes (done or refused), API keys created and revoked.
//!
//! Never a password, a token or a key: people appear by id or by the username typed, keys
//! by id and name. Events of a request that fails are written in a transaction of their own
//! (the failure must stay on record); a change and its event commit together.

use std::net::IpAddr;
use std::time::Duration;

use content::AuditEntry;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use tenancy::TenantId;

use crate::error::AuthError;

/// Longest username kept in the log: what a login form accepts.
const MAX_USERNAME_CHARS: usize = 100;

pub(crate) fn address_actor(address: IpAddr) -> String {
    format!("address:{address}")
}

pub(crate) fn username_subject(username: &str) -> String {
    let username: String = username.trim().chars().take(MAX_USERNAME_CHARS).collect();
    format!("username:{username}")
}

/// Writes `entry` in a transaction of its own. A failure is logged, not returned: the
/// caller's answer (a refused login) must not change because the log could not be written.
pub(crate) async fn record_alone(db: &DatabaseConnection, tenant: TenantId, entry: AuditEntry<'_>) {
    let action = entry.action;
    let written = tenancy::scope::run(db, tenant, async |txn| {
        content::record(txn, tenant, entry).await
    })
    .await;
    if let Err(error) = written {
        tracing::error!(
            tenant.id = tenant.get(),
            audit.action = action,
            error = %error,
            "a security event could not be written to the audit log"
        );
    }
}

/// Writes `entry` in the caller's transaction, with the change it records.
pub(crate) async fn record_with(
    txn: &impl ConnectionTrait,
    tenant: TenantId,
    entry: AuditEntry<'_>,
) -> Result<(), AuthError> {
    content::record(txn, tenant, entry)
        .await
        .map_err(AuthError::internal)
}

/// "in 15 minutes", for the detail of a refusal.
pub(crate) fn minutes(duration: Duration) -> String {
    format!("for {} minutes", duration.as_secs().div_ceil(60))
}
