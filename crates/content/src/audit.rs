//! The audit log: append-only (the runtime role cannot change or delete its rows).

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use tenancy::TenantId;

use crate::ContentError;
use crate::entity::audit_entry as row;

#[derive(Clone, Debug)]
pub struct AuditEntry<'a> {
    /// Who: e.g. `operator:12`.
    pub actor: &'a str,
    /// What, as a stable verb: e.g. `read_diet`.
    pub action: &'a str,
    /// On what: e.g. `student:7`.
    pub subject: &'a str,
    pub detail: Option<&'a str>,
}

/// Writes one entry in the caller's transaction, so that the audited read or change and
/// its record commit together or not at all.
pub async fn record(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    entry: AuditEntry<'_>,
) -> Result<(), ContentError> {
    row::ActiveModel {
        tenant_id: Set(tenant.get()),
        actor: Set(entry.actor.to_owned()),
        action: Set(entry.action.to_owned()),
        subject: Set(entry.subject.to_owned()),
        detail: Set(entry.detail.map(str::to_owned)),
        at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
