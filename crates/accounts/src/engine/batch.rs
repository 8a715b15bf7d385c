//! One transaction for many families: per comune, one version-checked `UPDATE … FROM
//! (VALUES …)` for all its accounts, then one multi-row `INSERT` of the movements of the
//! accounts whose check passed. Set-based statements, not a loop of round trips.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, Statement,
    TransactionTrait, Value,
};
use tenancy::Tenant;

use super::posting::Posting;
use crate::AccountId;

/// Rows per statement: on SQLite, where each value is a parameter, 13 per row stays far
/// below its limit of 32,766.
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
    // Replicas' committers write the same families at once. Each batch takes its accounts'
    // row locks in one global order (comune, then account id) before touching them, so two
    // batches wait for each other instead of deadlocking (a deadlock fails a whole batch).
    let mut by_tenant: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (index, group) in groups.iter().enumerate() {
        by_tenant
            .entry(group.tenant.id.get())
            .or_default()
            .push(index);
    }
    for (tenant, members) in by_tenant {
        tenancy::scope::enter(&txn, tenancy::TenantId::new(tenant)).await?;
        lock_in_order(&txn, tenant, groups, &members).await?;
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
            // The version check passed, so the account moved by exactly this batch.
            debug_assert_eq!(version, group.expected_version + 1, "version moves by one");
            debug_assert_eq!(entry_ids.len(), group.postings.len(), "a row per posting");
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

/// Locks the accounts of `members` in id order (PostgreSQL; SQLite has one writer).
async fn lock_in_order(
    txn: &DatabaseTransaction,
    tenant: i64,
    groups: &[AccountGroup],
    members: &[usize],
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    if backend != DbBackend::Postgres {
        return Ok(());
    }
    let ids: Vec<i64> = members
        .iter()
        .filter_map(|i| groups.get(*i).map(|group| group.account.get()))
        .collect();
    let sql = "SELECT id FROM family_accounts WHERE tenant_id = $1 AND id = ANY($2::bigint[]) \
               ORDER BY id FOR UPDATE";
    txn.query_all_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [tenant.into(), ids.into()],
    ))
    .await?;
    Ok(())
}

/// Returns, by group index, the new balance and version of each account that passed.
async fn update_accounts(
    txn: &DatabaseTransaction,
    tenant: i64,
    groups: &[AccountGroup],
    members: &[usize],
) -> Result<HashMap<usize, (i64, i64)>, BatchError> {
    let backend = txn.get_database_backend();
    let accounts: Vec<(usize, &AccountGroup)> = members
        .iter()
        .filter_map(|i| groups.get(*i).map(|group| (*i, group)))
        .collect();
    let by_account: HashMap<i64, usize> = accounts
        .iter()
        .map(|(index, group)| (group.account.get(), *index))
        .collect();
    let mut updated = HashMap::new();
    // SQLite takes a parameter per value (at most 32,766): chunk there. PostgreSQL takes
    // four arrays, whatever their length, in one statement.
    let chunk_size = if backend == DbBackend::Postgres {
        accounts.len().max(1)
    } else {
        INSERT_CHUNK
    };
    for chunk in accounts.chunks(chunk_size) {
        let columns: [Vec<i64>; 4] = [
            chunk.iter().map(|(_, g)| g.account.get()).collect(),
            chunk.iter().map(|(_, g)| g.delta_cents()).collect(),
            chunk.iter().map(|(_, g)| g.expected_version).collect(),
            chunk.iter().map(|(_, g)| g.expected_version + 1).collect(),
        ];
        let (source, mut values) =
            rows_source(backend, columns.into_iter().map(Column::BigInt).collect());
        values.push(tenant.into());
        let tenant_param = placeholder(backend, values.len(), "bigint");
        let sql = format!(
            "UPDATE family_accounts AS a SET balance_cents = a.balance_cents + v.c2, version = v.c4 \
             FROM {source} \
             WHERE a.id = v.c1 AND a.version = v.c3 AND a.tenant_id = {tenant_param} \
             RETURNING id, balance_cents, version"
        );
        for row in txn
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
        {
            let id: i64 = row.try_get_by_index(0)?;
            if let Some(index) = by_account.get(&id) {
                updated.insert(*index, (row.try_get_by_index(1)?, row.try_get_by_index(2)?));
            }
        }
    }
    Ok(updated)
}

/// Inserts the movements; returns the new ids by idempotency key. A key that already exists
/// (another replica won a race) makes the caller sort out the repeats.
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
        let text =
            |f: &dyn Fn(&Posting) -> String| Column::Text(chunk.iter().map(|p| f(p)).collect());
        let number =
            |f: &dyn Fn(&Posting) -> i64| Column::BigInt(chunk.iter().map(|p| f(p)).collect());
        let columns = vec![
            number(&|_| tenant),
            number(&|p| p.account.get()),
            text(&|p| p.draft.kind.as_str().to_owned()),
            number(&|p| p.draft.amount.cents()),
            // NULL travels as 0 or '' and comes back with NULLIF: ids start at 1, and an
            // empty reference means none.
            number(&|p| p.draft.student.map_or(0, registry::StudentId::get)),
            Column::Date(chunk.iter().map(|p| p.draft.date).collect()),
            text(&|p| p.draft.description.clone()),
            text(&|p| p.draft.reference.clone().unwrap_or_default()),
            text(&|p| p.key.clone()),
            text(&|p| p.fingerprint.clone()),
            number(&|p| p.draft.reverses.unwrap_or(0)),
            text(&|p| p.actor.chars().take(128).collect()),
            Column::Timestamp(vec![now; chunk.len()]),
        ];
        let (source, values) = rows_source(backend, columns);
        let sql = format!(
            "INSERT INTO ledger_entries (tenant_id, account_id, kind, amount_cents, student_id, entry_date, \
             description, reference, idempotency_key, command_hash, reverses_entry_id, created_by, created_at) \
             SELECT c1, c2, c3, c4, NULLIF(c5, 0), c6, c7, NULLIF(c8, ''), c9, c10, NULLIF(c11, 0), c12, c13 \
             FROM {source} WHERE true \
             ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id, idempotency_key"
        );
        // `WHERE true`: SQLite needs it to read `ON CONFLICT` after a SELECT as an upsert.
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

/// One column of a batch's rows.
enum Column {
    BigInt(Vec<i64>),
    Text(Vec<String>),
    Date(Vec<chrono::NaiveDate>),
    Timestamp(Vec<chrono::DateTime<chrono::FixedOffset>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::BigInt(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Date(v) => v.len(),
            Column::Timestamp(v) => v.len(),
        }
    }

    fn pg_array_type(&self) -> &'static str {
        match self {
            Column::BigInt(_) => "bigint[]",
            Column::Text(_) => "text[]",
            Column::Date(_) => "date[]",
            Column::Timestamp(_) => "timestamptz[]",
        }
    }

    fn value(&self, row: usize) -> Value {
        match self {
            Column::BigInt(v) => v.get(row).copied().into(),
            Column::Text(v) => v.get(row).cloned().into(),
            Column::Date(v) => v.get(row).copied().into(),
            Column::Timestamp(v) => v.get(row).copied().into(),
        }
    }

    fn array(self) -> Value {
        match self {
            Column::BigInt(v) => v.into(),
            Column::Text(v) => v.into(),
            Column::Date(v) => v.into(),
            Column::Timestamp(v) => v.into(),
        }
    }
}

/// The rows as a table `v` with columns `c1`, `c2`, …: on PostgreSQL one array parameter
/// per column, unnested (a handful of parameters parse far faster than one per value); on
/// SQLite a `VALUES` list.
fn rows_source(backend: DbBackend, columns: Vec<Column>) -> (String, Vec<Value>) {
    let names: Vec<String> = (1..=columns.len()).map(|i| format!("c{i}")).collect();
    if backend == DbBackend::Postgres {
        let arrays: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, column)| format!("${}::{}", i + 1, column.pg_array_type()))
            .collect();
        let values = columns.into_iter().map(Column::array).collect();
        return (
            format!("unnest({}) AS v({})", arrays.join(", "), names.join(", ")),
            values,
        );
    }
    let rows = columns.first().map_or(0, Column::len);
    let mut values = Vec::with_capacity(rows * columns.len());
    let mut tuples = Vec::with_capacity(rows);
    for row in 0..rows {
        values.extend(columns.iter().map(|column| column.value(row)));
        tuples.push(format!("({})", vec!["?"; columns.len()].join(", ")));
    }
    let renamed: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("column{} AS {name}", i + 1))
        .collect();
    (
        format!(
            "(SELECT {} FROM (VALUES {})) AS v",
            renamed.join(", "),
            tuples.join(", ")
        ),
        values,
    )
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
