//! One transaction for many families: per comune, one version-checked `UPDATE … FROM
//! (VALUES …)` for all its accounts, then one multi-row `INSERT` of the movements of the
//! accounts whose check passed. Set-based statements, not a loop of round trips.

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};
use tenancy::Tenant;

use super::committer::Posting;
use crate::AccountId;

/// Rows per INSERT: 13 parameters each stays far below PostgreSQL's 65,535.
const INSERT_CHUNK: usize = 1_000;

pub(crate) struct AccountGroup {
    pub tenant: Arc<Tenant>,
    pub account: AccountId,
    pub expected_version: i64,
    pub postings: Vec<Posting>,
}

impl AccountGroup {
    pub fn delta_cents(&self) -> i64 {
        self.postings
            .iter()
            .map(|posting| posting.draft.amount.cents())
            .sum()
    }
}

/// What the database holds for an account after the batch.
#[derive(Debug)]
pub(crate) struct Written {
    pub balance_cents: i64,
    pub version: i64,
    /// The new rows' ids, in the order of the group's postings.
    pub entry_ids: Vec<i64>,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum BatchError {
    #[error("a movement of the batch already exists")]
    Duplicate,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Writes the batch; `None` for an account whose version had moved (nothing of it written).
pub(crate) async fn write(
    db: &DatabaseConnection,
    groups: &[AccountGroup],
) -> Result<Vec<Option<Written>>, BatchError> {
    let txn = db.begin().await?;
    let mut outcome: Vec<Option<Written>> = groups.iter().map(|_| None).collect();
    let mut by_tenant: HashMap<i64, Vec<usize>> = HashMap::new();
    for (index, group) in groups.iter().enumerate() {
        by_tenant
            .entry(group.tenant.id.get())
            .or_default()
            .push(index);
    }
    for (tenant, members) in by_tenant {
        tenancy::scope::enter(&txn, tenancy::TenantId::new(tenant)).await?;
        let updated = update_accounts(&txn, tenant, groups, &members).await?;
        let passed: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| updated.contains_key(i))
            .collect();
        let mut ids = insert_entries(&txn, tenant, groups, &passed).await?;
        for index in passed {
            let (balance_cents, version) = updated.get(&index).copied().unwrap_or_default();
            let group = groups.get(index).ok_or(BatchError::Duplicate)?;
            let entry_ids = group
                .postings
                .iter()
                .map(|posting| ids.remove(&posting.key).ok_or(BatchError::Duplicate))
                .collect::<Result<Vec<_>, _>>()?;
            if let Some(slot) = outcome.get_mut(index) {
                *slot = Some(Written {
                    balance_cents,
                    version,
                    entry_ids,
                });
            }
        }
    }
    txn.commit().await?;
    Ok(outcome)
}

/// Returns, by group index, the new balance and version of each account that passed.
async fn update_accounts(
    txn: &DatabaseTransaction,
    tenant: i64,
    groups: &[AccountGroup],
    members: &[usize],
) -> Result<HashMap<usize, (i64, i64)>, BatchError> {
    let backend = txn.get_database_backend();
    let mut values: Vec<Value> = Vec::with_capacity(members.len() * 4 + 1);
    let mut rows = Vec::with_capacity(members.len());
    let mut by_account = HashMap::new();
    for index in members {
        let Some(group) = groups.get(*index) else {
            continue;
        };
        let mut row = Vec::with_capacity(4);
        for value in [
            group.account.get(),
            group.delta_cents(),
            group.expected_version,
            group.expected_version + 1,
        ] {
            values.push(value.into());
            row.push(placeholder(backend, values.len(), "bigint"));
        }
        rows.push(format!("({})", row.join(", ")));
        by_account.insert(group.account.get(), *index);
    }
    values.push(tenant.into());
    let tenant_param = placeholder(backend, values.len(), "bigint");
    let sql = format!(
        "UPDATE family_accounts AS a SET balance_cents = a.balance_cents + v.column2, version = v.column4 \
         FROM (VALUES {}) AS v \
         WHERE a.id = v.column1 AND a.version = v.column3 AND a.tenant_id = {tenant_param} \
         RETURNING id, balance_cents, version",
        rows.join(", ")
    );
    let mut updated = HashMap::new();
    for row in txn
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
    {
        let id: i64 = row.try_get_by_index(0)?;
        if let Some(index) = by_account.get(&id) {
            updated.insert(*index, (row.try_get_by_index(1)?, row.try_get_by_index(2)?));
        }
    }
    Ok(updated)
}

/// Inserts the movements; returns the new ids by idempotency key. A key that already exists
/// (another replica won a race) makes the whole batch fall back to one-by-one.
async fn insert_entries(
    txn: &DatabaseTransaction,
    tenant: i64,
    groups: &[AccountGroup],
    members: &[usize],
) -> Result<HashMap<String, i64>, BatchError> {
    let backend = txn.get_database_backend();
    let postings: Vec<&Posting> = members
        .iter()
        .filter_map(|i| groups.get(*i))
        .flat_map(|group| group.postings.iter())
        .collect();
    let now = chrono::Utc::now().fixed_offset();
    let mut ids = HashMap::with_capacity(postings.len());
    for chunk in postings.chunks(INSERT_CHUNK) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 13);
        let mut rows = Vec::with_capacity(chunk.len());
        for posting in chunk {
            let draft = &posting.draft;
            let row_values: [Value; 13] = [
                tenant.into(),
                posting.account.get().into(),
                draft.kind.as_str().into(),
                draft.amount.cents().into(),
                draft.student.map(registry::StudentId::get).into(),
                draft.date.into(),
                draft.description.clone().into(),
                draft.reference.clone().into(),
                posting.key.clone().into(),
                posting.fingerprint.clone().into(),
                draft.reverses.into(),
                posting.actor.chars().take(128).collect::<String>().into(),
                now.into(),
            ];
            let mut row = Vec::with_capacity(13);
            for value in row_values {
                values.push(value);
                row.push(placeholder(backend, values.len(), ""));
            }
            rows.push(format!("({})", row.join(", ")));
        }
        let sql = format!(
            "INSERT INTO ledger_entries (tenant_id, account_id, kind, amount_cents, student_id, entry_date, \
             description, reference, idempotency_key, command_hash, reverses_entry_id, created_by, created_at) \
             VALUES {} ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id, idempotency_key",
            rows.join(", ")
        );
        let returned = txn
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(|error| match error.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => BatchError::Duplicate,
                _ => BatchError::Database(error),
            })?;
        if returned.len() != chunk.len() {
            return Err(BatchError::Duplicate);
        }
        for row in returned {
            ids.insert(
                row.try_get_by_index::<String>(1)?,
                row.try_get_by_index::<i64>(0)?,
            );
        }
    }
    Ok(ids)
}

fn placeholder(backend: DbBackend, position: usize, pg_type: &str) -> String {
    match backend {
        DbBackend::Postgres if pg_type.is_empty() => format!("${position}"),
        DbBackend::Postgres => format!("${position}::{pg_type}"),
        _ => "?".to_owned(),
    }
}

/// Which of the batch's idempotency keys are already in the ledger.
pub(crate) async fn existing_keys(
    db: &DatabaseConnection,
    groups: &[AccountGroup],
) -> Result<std::collections::HashSet<(tenancy::TenantId, String)>, DbErr> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    let mut by_tenant: HashMap<tenancy::TenantId, Vec<String>> = HashMap::new();
    for group in groups {
        let keys = by_tenant.entry(group.tenant.id).or_default();
        keys.extend(group.postings.iter().map(|posting| posting.key.clone()));
    }
    let mut existing = std::collections::HashSet::new();
    for (tenant, keys) in by_tenant {
        tenancy::scope::enter(&txn, tenant).await?;
        for chunk in keys.chunks(INSERT_CHUNK) {
            let mut values: Vec<Value> = vec![tenant.get().into()];
            let mut marks = Vec::with_capacity(chunk.len());
            for key in chunk {
                values.push(key.clone().into());
                marks.push(placeholder(backend, values.len(), ""));
            }
            let sql = format!(
                "SELECT idempotency_key FROM ledger_entries WHERE tenant_id = {} AND idempotency_key IN ({})",
                placeholder(backend, 1, "bigint"),
                marks.join(", ")
            );
            for row in txn
                .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
                .await?
            {
                existing.insert((tenant, row.try_get_by_index::<String>(0)?));
            }
        }
    }
    txn.commit().await?;
    Ok(existing)
}
