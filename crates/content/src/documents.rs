//! Documents: files the comune offers for download (regulations, forms, menus). The file
//! itself lives in a store chosen by the gateway; the row keeps its key and description.

use chrono::{DateTime, FixedOffset};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use tenancy::TenantId;

use crate::entity::document as row;
use crate::{ContentError, Page};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(pub i64);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub id: DocumentId,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: DateTime<FixedOffset>,
}

#[derive(Clone, Debug)]
pub struct NewDocument {
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
}

pub async fn add_document(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    new: NewDocument,
) -> Result<Document, ContentError> {
    let saved = row::ActiveModel {
        tenant_id: Set(tenant.get()),
        title: Set(new.title),
        file_name: Set(new.file_name),
        content_type: Set(new.content_type),
        size_bytes: Set(new.size_bytes),
        storage_key: Set(new.storage_key),
        uploaded_at: Set(chrono::Utc::now().fixed_offset()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(from_row(saved))
}

pub async fn documents(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    before: Option<DocumentId>,
    limit: u64,
) -> Result<Page<Document>, ContentError> {
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

pub async fn document(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    id: DocumentId,
) -> Result<Option<Document>, ContentError> {
    Ok(row::Entity::find_by_id(id.0)
        .filter(row::Column::TenantId.eq(tenant.get()))
        .one(db)
        .await?
        .map(from_row))
}

fn from_row(row: row::Model) -> Document {
    Document {
        id: DocumentId(row.id),
        title: row.title,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        storage_key: row.storage_key,
        uploaded_at: row.uploaded_at,
    }
}
