//! Family accounts and their append-only ledger.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{cents, created_at, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut accounts = tenant_table("family_accounts");
        accounts
            .col(big_integer("guardian_id"))
            // The running balance is a cache of the sum of the ledger rows, kept in the same
            // transaction; `version` lets replicas detect a concurrent writer.
            .col(cents("balance_cents"))
            .col(big_integer("version"))
            .col(created_at());
        references(&mut accounts, "family_accounts", "guardian_id", "guardians");
        manager.create_table(accounts).await?;
        manager
            .create_index(
                tenant_index(
                    "family_accounts",
                    "family_accounts_guardian",
                    &["guardian_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        let mut entries = tenant_table("ledger_entries");
        entries
            .col(big_integer("account_id"))
            .col(string_len("kind", 24))
            // Signed: credits positive, debits negative.
            .col(cents("amount_cents"))
            .col(big_integer_null("student_id"))
            .col(date("entry_date"))
            .col(string("description"))
            .col(string_null("reference"))
            .col(string_len("idempotency_key", 128))
            // Hash of the command that created the row: the same key with another command
            // is a conflict, not a repeat.
            .col(string_len("command_hash", 64))
            .col(big_integer_null("reverses_entry_id"))
            .col(string_len("created_by", 128))
            .col(created_at());
        references(
            &mut entries,
            "ledger_entries",
            "account_id",
            "family_accounts",
        );
        references(&mut entries, "ledger_entries", "student_id", "students");
        references(
            &mut entries,
            "ledger_entries",
            "reverses_entry_id",
            "ledger_entries",
        );
        manager.create_table(entries).await?;
        manager
            .create_index(
                tenant_index(
                    "ledger_entries",
                    "ledger_entries_idempotency",
                    &["idempotency_key"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "ledger_entries",
                "ledger_entries_account",
                &["account_id", "entry_date"],
            ))
            .await?;
        manager
            .create_index(tenant_index(
                "ledger_entries",
                "ledger_entries_student",
                &["student_id", "entry_date"],
            ))
            .await?;
        // A movement can be reversed once only.
        manager
            .create_index(
                tenant_index(
                    "ledger_entries",
                    "ledger_entries_reversal",
                    &["reverses_entry_id"],
                )
                .unique()
                .to_owned(),
            )
            .await
    }
}
