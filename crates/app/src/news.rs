//! News: what the comune tells its families, newest first.

use content::{News, NewsId, Page};
use tenancy::TenantId;

use crate::{App, AppError};

impl App {
    /// A page of the comune's news, newest first; `before` is the last id of the previous
    /// page.
    pub async fn news(
        &self,
        tenant: TenantId,
        before: Option<NewsId>,
        limit: u64,
    ) -> Result<Page<News>, AppError> {
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(content::news(txn, tenant, before, limit).await?)
        })
        .await
    }

    /// Publishes news for the comune's families (the checks are `content`'s).
    pub async fn publish_news(
        &self,
        tenant: TenantId,
        title: &str,
        body: &str,
    ) -> Result<News, AppError> {
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(content::publish_news(txn, tenant, title, body).await?)
        })
        .await
    }
}
