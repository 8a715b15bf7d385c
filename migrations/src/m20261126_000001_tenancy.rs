//! Comuni, their tariff bands, schools and classes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{cents, created_at, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tenants")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("slug", 63))
                    .col(string("name"))
                    .col(string_len_uniq("creditor_fiscal_code", 11))
                    .col(small_integer("aux_digit"))
                    .col(string_len("segregation_code", 2))
                    .col(string_len("iban", 34))
                    .col(string_len_null("postal_account", 12))
                    .col(string_len_null("cbill_code", 5))
                    .col(string_len("primary_color", 7))
                    .col(string_null("logo_url"))
                    .col(string_null("contact_email"))
                    .col(string_null("contact_phone"))
                    .col(string_null("address"))
                    .col(cents("reminder_threshold_cents"))
                    .col(big_integer_null("debt_limit_cents"))
                    .col(string_len("debt_policy", 16))
                    .col(cents("min_top_up_cents"))
                    .col(cents("max_top_up_cents"))
                    .col(created_at())
                    .to_owned(),
            )
            .await?;

        let mut bands = tenant_table("tariff_bands");
        bands
            .col(string_len("code", 16))
            .col(string("name"))
            .col(cents("meal_price_cents"))
            .col(date("valid_from"))
            .col(date_null("valid_to"));
        manager.create_table(bands).await?;
        manager
            .create_index(
                tenant_index(
                    "tariff_bands",
                    "tariff_bands_code_from",
                    &["code", "valid_from"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        let mut schools = tenant_table("schools");
        schools.col(string("name")).col(string("address"));
        manager.create_table(schools).await?;

        let mut classes = tenant_table("classes");
        classes
            .col(big_integer("school_id"))
            .col(string("name"))
            // Weekdays on which the class eats at school: bit 0 = Monday ... bit 6 = Sunday.
            .col(small_integer("meal_days"));
        references(&mut classes, "classes", "school_id", "schools");
        manager.create_table(classes).await?;
        manager
            .create_index(tenant_index("classes", "classes_school", &["school_id"]))
            .await
    }
}
