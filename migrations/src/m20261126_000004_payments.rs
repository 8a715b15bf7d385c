//! pagoPA payment positions: one per top-up.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{cents, created_at, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut positions = tenant_table("payment_positions");
        positions
            .col(big_integer("account_id"))
            .col(big_integer("guardian_id"))
            .col(cents("amount_cents"))
            .col(string_len("iuv", 17))
            .col(string_len("notice_number", 18))
            .col(string_len("status", 16))
            .col(date("due_date"))
            .col(string_len("description", 140))
            .col(string_len("taxonomy", 32))
            .col(string_len("iban", 34))
            .col(string_len_null("receipt_id", 64))
            .col(timestamp_with_time_zone_null("paid_at"))
            .col(created_at());
        references(
            &mut positions,
            "payment_positions",
            "account_id",
            "family_accounts",
        );
        references(
            &mut positions,
            "payment_positions",
            "guardian_id",
            "guardians",
        );
        manager.create_table(positions).await?;
        manager
            .create_index(
                tenant_index(
                    "payment_positions",
                    "payment_positions_notice",
                    &["notice_number"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(tenant_index(
                "payment_positions",
                "payment_positions_account",
                &["account_id", "created_at"],
            ))
            .await
    }
}
