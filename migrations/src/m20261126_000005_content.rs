//! What a comune publishes (news, documents) and what it must be able to account for
//! (the audit log).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut news = tenant_table("news");
        news.col(string("title"))
            .col(text("body"))
            .col(timestamp_with_time_zone("published_at"));
        manager.create_table(news).await?;
        manager
            .create_index(tenant_index("news", "news_published", &["published_at"]))
            .await?;

        let mut documents = tenant_table("documents");
        documents
            .col(string("title"))
            .col(string("file_name"))
            .col(string_len("content_type", 100))
            .col(big_integer("size_bytes"))
            .col(string("storage_key"))
            .col(timestamp_with_time_zone("uploaded_at"));
        manager.create_table(documents).await?;

        let mut audit = tenant_table("audit_log");
        audit
            .col(string_len("actor", 128))
            .col(string_len("action", 64))
            .col(string_len("subject", 128))
            .col(text_null("detail"))
            .col(timestamp_with_time_zone("at"));
        manager.create_table(audit).await?;
        manager
            .create_index(tenant_index("audit_log", "audit_log_at", &["at"]))
            .await
    }
}
