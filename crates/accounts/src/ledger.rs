//! Executing a command on a family account: idempotency, policy, and a commit guarded by
//! the account's version so that concurrent writers (other replicas) never lose an update.

use money::Money;
use registry::StudentId;
use sea_orm::ExprTrait;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use tenancy::Tenant;

use crate::entity::{family_account, ledger_entry};
use crate::evaluate::{Draft, cents, evaluate};
use crate::{AccountId, Command, EntryId, LedgerError, Movement, MovementKind};

/// How often a command is retried when another writer changed the account in between.
const MAX_ATTEMPTS: usize = 8;

/// The answer to a command: the movement it posted (or posted the first time) and the
/// balance right after this call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    pub movement: Movement,
    pub balance: Money,
    /// True when the command had already been executed: nothing changed this time.
    pub repeated: bool,
}

#[derive(Clone, Debug)]
pub struct Ledger {
    db: DatabaseConnection,
}

impl Ledger {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub async fn execute(
        &self,
        tenant: &Tenant,
        account: AccountId,
        command: &Command,
        actor: &str,
    ) -> Result<Posted, LedgerError> {
        for _ in 0..MAX_ATTEMPTS {
            match self.attempt(tenant, account, command, actor).await {
                Err(Retry::Again) => continue,
                Err(Retry::Fail(error)) => return Err(error),
                Ok(posted) => return Ok(posted),
            }
        }
        Err(LedgerError::Contention)
    }

    async fn attempt(
        &self,
        tenant: &Tenant,
        account: AccountId,
        command: &Command,
        actor: &str,
    ) -> Result<Posted, Retry> {
        tenancy::scope::run(&self.db, tenant.id, async |txn| {
            let row = crate::account::load_for_update(txn, tenant.id, account).await?;
            let key = command.idempotency_key();
            let fingerprint = command.fingerprint(account.get());
            if let Some(first) = find_by_key(txn, tenant, key.as_str()).await? {
                if first.command_hash != fingerprint {
                    return Err(LedgerError::KeyConflict(key.as_str().to_owned()).into());
                }
                let balance = cents(row.id, row.balance_cents)?;
                return Ok(Posted {
                    movement: to_movement(first)?,
                    balance,
                    repeated: true,
                });
            }
            let draft = evaluate(txn, tenant, &row, command).await?;
            let balance = cents(row.id, row.balance_cents)?
                .checked_add(draft.amount)
                .ok_or(LedgerError::Overflow)?;
            let inserted =
                insert(txn, tenant, &row, draft, key.as_str(), &fingerprint, actor).await;
            let inserted = match inserted {
                Ok(inserted) => inserted,
                // Another writer posted the same key between our check and our insert.
                Err(error) if is_unique_violation(&error) => return Err(Retry::Again),
                Err(error) => return Err(LedgerError::from(error).into()),
            };
            let updated = family_account::Entity::update_many()
                .col_expr(
                    family_account::Column::BalanceCents,
                    Expr::value(balance.cents()),
                )
                .col_expr(
                    family_account::Column::Version,
                    Expr::col(family_account::Column::Version).add(1),
                )
                .filter(family_account::Column::Id.eq(row.id))
                .filter(family_account::Column::TenantId.eq(tenant.id.get()))
                .filter(family_account::Column::Version.eq(row.version))
                .exec(txn)
                .await?;
            if updated.rows_affected != 1 {
                // Someone else committed first: drop everything and start from fresh state.
                return Err(Retry::Again);
            }
            Ok(Posted {
                movement: to_movement(inserted)?,
                balance,
                repeated: false,
            })
        })
        .await
    }
}

enum Retry {
    Again,
    Fail(LedgerError),
}

impl From<LedgerError> for Retry {
    fn from(error: LedgerError) -> Self {
        Retry::Fail(error)
    }
}

impl From<sea_orm::DbErr> for Retry {
    fn from(error: sea_orm::DbErr) -> Self {
        Retry::Fail(error.into())
    }
}

pub(crate) async fn find_by_key(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    key: &str,
) -> Result<Option<ledger_entry::Model>, LedgerError> {
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::TenantId.eq(tenant.id.get()))
        .filter(ledger_entry::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

async fn insert(
    db: &impl ConnectionTrait,
    tenant: &Tenant,
    account: &family_account::Model,
    draft: Draft,
    key: &str,
    fingerprint: &str,
    actor: &str,
) -> Result<ledger_entry::Model, sea_orm::DbErr> {
    ledger_entry::ActiveModel {
        tenant_id: Set(tenant.id.get()),
        account_id: Set(account.id),
        kind: Set(draft.kind.as_str().to_owned()),
        amount_cents: Set(draft.amount.cents()),
        student_id: Set(draft.student.map(StudentId::get)),
        entry_date: Set(draft.date),
        description: Set(draft.description),
        reference: Set(draft.reference),
        idempotency_key: Set(key.to_owned()),
        command_hash: Set(fingerprint.to_owned()),
        reverses_entry_id: Set(draft.reverses),
        created_by: Set(actor.chars().take(128).collect()),
        created_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await
}

fn is_unique_violation(error: &sea_orm::DbErr) -> bool {
    matches!(
        error.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

pub(crate) fn to_movement(row: ledger_entry::Model) -> Result<Movement, LedgerError> {
    let kind = MovementKind::parse(&row.kind).ok_or_else(|| LedgerError::CorruptRow {
        id: row.id,
        problem: format!("unknown movement kind '{}'", row.kind).into(),
    })?;
    Ok(Movement {
        id: EntryId::new(row.id),
        account: AccountId::new(row.account_id),
        kind,
        amount: cents(row.id, row.amount_cents)?,
        student: row.student_id.map(StudentId::new),
        date: row.entry_date,
        description: row.description,
        reference: row.reference,
        reverses: row.reverses_entry_id.map(EntryId::new),
    })
}
