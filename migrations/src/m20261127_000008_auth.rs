//! Who is logged in: sessions (bearer tokens and the portal's cookie) and integrators'
//! API keys. Only a SHA-256 of each secret is stored, so a copy of the database logs
//! nobody in.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{created_at, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut sessions = tenant_table("sessions");
        sessions
            .col(string_len("token_hash", 64))
            .col(string_len("principal_kind", 16))
            .col(big_integer("person_id"))
            .col(timestamp_with_time_zone("expires_at"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .col(created_at());
        manager.create_table(sessions).await?;
        manager
            .create_index(
                tenant_index("sessions", "sessions_token", &["token_hash"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut keys = tenant_table("api_keys");
        keys.col(string_len("name", 100))
            .col(string_len("prefix", 16))
            .col(string_len("key_hash", 64))
            .col(string_len("scopes", 200))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone_null("revoked_at"))
            .col(created_at());
        manager.create_table(keys).await?;
        manager
            .create_index(
                tenant_index("api_keys", "api_keys_hash", &["key_hash"])
                    .unique()
                    .to_owned(),
            )
            .await
    }
}
