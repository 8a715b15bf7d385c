//! Payment anomalies: receipts that matched no open position of the comune (another amount,
//! a notice already paid, expired or cancelled, unknown, money sent to another creditor).
//! They credit nothing until an operator decides: credit a family, or refund the payer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{cents, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut anomalies = tenant_table("payment_anomalies");
        anomalies
            // One anomaly per receipt: a repeat of the receipt finds this row's receipt.
            .col(string_len("receipt_id", 64))
            .col(string_len("notice_number", 18))
            // The position and family of the notice, when the comune issued it.
            .col(big_integer_null("position_id"))
            .col(big_integer_null("account_id"))
            .col(cents("paid_cents"))
            // What the position asked, when there is one.
            .col(big_integer_null("expected_cents"))
            // The comune's own share of the transfers: what a credit would give the family.
            .col(cents("credit_cents"))
            // The day of payment: the date of the top-up if an operator credits it.
            .col(date("credit_date"))
            // Comma-separated reasons, the receipt flags' words.
            .col(string_len("reason", 128))
            .col(
                timestamp_with_time_zone("received_at")
                    .default(Expr::current_timestamp())
                    .to_owned(),
            )
            // OPEN, CREDITED or TO_REFUND; only OPEN ever changes.
            .col(string_len("status", 16))
            // The family an operator credited (the notice's, or one he named).
            .col(big_integer_null("credited_account_id"))
            .col(string_len_null("decided_by", 128))
            .col(timestamp_with_time_zone_null("decided_at"))
            .col(text_null("note"));
        references(
            &mut anomalies,
            "payment_anomalies",
            "position_id",
            "payment_positions",
        );
        references(
            &mut anomalies,
            "payment_anomalies",
            "account_id",
            "family_accounts",
        );
        references(
            &mut anomalies,
            "payment_anomalies",
            "credited_account_id",
            "family_accounts",
        );
        manager.create_table(anomalies).await?;
        manager
            .create_index(
                tenant_index(
                    "payment_anomalies",
                    "payment_anomalies_receipt",
                    &["receipt_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        // The operators' queue: by status, newest first.
        manager
            .create_index(tenant_index(
                "payment_anomalies",
                "payment_anomalies_status",
                &["status", "id"],
            ))
            .await
    }
}
