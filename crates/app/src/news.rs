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
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let page = content::news(&txn, tenant, before, limit).await?;
        txn.commit().await?;
        Ok(page)
    }

    /// Publishes news for the comune's families (the checks are `content`'s).
    pub async fn publish_news(
        &self,
        tenant: TenantId,
        title: &str,
        body: &str,
    ) -> Result<News, AppError> {
        let txn = tenancy::scope::begin(&self.db, tenant).await?;
        let news = content::publish_news(&txn, tenant, title, body).await?;
        txn.commit().await?;
        Ok(news)
    }
}
