//! News and documents the comune publishes for its families.

use async_graphql::{ID, SimpleObject};

use crate::graphql::scalars::DateTime;

#[derive(SimpleObject)]
pub struct News {
    id: ID,
    title: String,
    body: String,
    published_at: DateTime,
}

impl From<content::News> for News {
    fn from(n: content::News) -> Self {
        News {
            id: ID(n.id.0.to_string()),
            title: n.title,
            body: n.body,
            published_at: DateTime(n.published_at),
        }
    }
}

#[derive(SimpleObject)]
pub struct Document {
    id: ID,
    title: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_at: DateTime,
    /// Where to download it, on the comune's host, with the same credential.
    url: String,
}

impl From<content::Document> for Document {
    fn from(d: content::Document) -> Self {
        Document {
            id: ID(d.id.0.to_string()),
            url: crate::documents::download_path(d.id),
            title: d.title,
            file_name: d.file_name,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            uploaded_at: DateTime(d.uploaded_at),
        }
    }
}
