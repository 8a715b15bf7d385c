//! News: what the comune tells its families (menus, closures, deadlines).

use chrono::{DateTime, FixedOffset};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tenancy::TenantId;

use crate::entity::news as row;
use crate::{ContentError, Page};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NewsId(pub i64);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct News {
    pub id: NewsId,
    pub title: String,
    pub body: String,
    pub published_at: DateTime<FixedOffset>,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 20_000;

pub async fn publish_news(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    title: &str,
    body: &str,
) -> Result<News, ContentError> {
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(ContentError::Invalid(format!(
            "the title must have 1 to {MAX_TITLE_CHARS} characters"
        )));
    }
    if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
        return Err(ContentError::Invalid(format!(
            "the body must have 1 to {MAX_BODY_CHARS} characters"
        )));
    }
    let saved = row::ActiveModel {
        tenant_id: Set(tenant.get()),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        published_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(from_row(saved))
}

/// The comune's news, newest first; `before` continues after the last id of a page.
pub async fn news(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    before: Option<NewsId>,
    limit: u64,
) -> Result<Page<News>, ContentError> {
    let mut query = row::Entity::find().filter(row::Column::TenantId.eq(tenant.get()));
    if let Some(before) = before {
        query = query.filter(row::Column::Id.lt(before.0));
    }
    let rows = query
        .order_by_desc(row::Column::Id)
        .limit(limit.saturating_add(1))
        .all(db)
        .await?;
    Ok(Page::from_overfetch(
        rows.into_iter().map(from_row).collect(),
        limit,
    ))
}

fn from_row(row: row::Model) -> News {
    News {
        id: NewsId(row.id),
        title: row.title,
        body: row.body,
        published_at: row.published_at,
    }
}
