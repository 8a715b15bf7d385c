//! pagoPA receipts, the per-comune notice number sequence, and what the central archive
//! (ACA) has been told about each position.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{cents, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One row per comune: the last 13-digit base handed out for its notice numbers.
        // A row (not a database sequence) so that SQLite and PostgreSQL behave alike and
        // the row lock orders concurrent creations inside their transaction.
        let mut sequences = tenant_table("notice_sequences");
        sequences.col(big_integer("last_value"));
        manager.create_table(sequences).await?;
        manager
            .create_index(
                tenant_index("notice_sequences", "notice_sequences_tenant", &[])
                    .unique()
                    .to_owned(),
            )
            .await?;

        // When the position was last loaded into pagoPA's central archive; NULL means it
        // still has to be (when an archive is configured).
        manager
            .alter_table(
                Table::alter()
                    .table("payment_positions")
                    .add_column(timestamp_with_time_zone_null("aca_synced_at"))
                    .to_owned(),
            )
            .await?;
        // The day the notice was issued, as a DATE: reconciliation groups by day, and a
        // timestamp's text form differs between SQLite and PostgreSQL.
        manager
            .alter_table(
                Table::alter()
                    .table("payment_positions")
                    .add_column(date_null("issued_on"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "payment_positions",
                "payment_positions_status_due",
                &["status", "due_date"],
            ))
            .await?;

        // Every receipt (RT) exactly as the Node sent it, and what was decided about it.
        // Append-only: whether it has been credited is answered by the ledger (the top-up's
        // idempotency key is the receipt id), never by updating this row.
        let mut receipts = tenant_table("payment_receipts");
        receipts
            .col(string_len("receipt_id", 64))
            .col(string_len("notice_number", 18))
            .col(big_integer_null("position_id"))
            .col(big_integer_null("account_id"))
            // paSendRT or paSendRTV2.
            .col(string_len("primitive", 16))
            .col(string_len("outcome", 2))
            .col(cents("paid_cents"))
            // The part of the payment whose transfers go to this comune: what the family gets.
            .col(cents("credit_cents"))
            .col(date("credit_date"))
            .col(boolean("stand_in"))
            // Comma-separated reasons for an operator to look at; empty when all is well.
            .col(string_len("flags", 128))
            .col(string_len_null("psp_id", 35))
            .col(string_len_null("payment_date_time", 35))
            .col(text("document"))
            .col(
                timestamp_with_time_zone("received_at")
                    .default(Expr::current_timestamp())
                    .to_owned(),
            );
        references(
            &mut receipts,
            "payment_receipts",
            "position_id",
            "payment_positions",
        );
        references(
            &mut receipts,
            "payment_receipts",
            "account_id",
            "family_accounts",
        );
        manager.create_table(receipts).await?;
        manager
            .create_index(
                tenant_index("payment_receipts", "payment_receipts_id", &["receipt_id"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "payment_receipts",
                "payment_receipts_day",
                &["credit_date"],
            ))
            .await
    }
}
