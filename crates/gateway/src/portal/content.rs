//! News and Documenti: what the comune publishes for every family of the service.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use content::{DocumentId, NewsId};
use serde::Deserialize;

use super::error::PortalError;
use super::format::{date, file_size};
use super::layout::{Layout, household};
use super::session::Family;
use crate::AppState;

const NEWS_PER_PAGE: u64 = 10;
const DOCUMENTS_PER_PAGE: u64 = 20;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    prima: Option<i64>,
}

struct NewsItem {
    title: String,
    published: String,
    published_iso: String,
    /// The body split at blank lines, each a paragraph.
    paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "portal/news.html")]
struct NewsPage {
    layout: Layout,
    items: Vec<NewsItem>,
    older: Option<String>,
    first_page: bool,
}

pub async fn news(
    State(state): State<AppState>,
    family: Family,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let tenant = family.tenant.id;
    let page = state
        .app
        .news(tenant, query.prima.map(NewsId), NEWS_PER_PAGE)
        .await?;
    let older = page
        .has_more
        .then(|| page.items.last().map(|n| format!("/news?prima={}", n.id.0)))
        .flatten();
    let items = page
        .items
        .into_iter()
        .map(|n| NewsItem {
            title: n.title,
            published: date(n.published_at.date_naive()),
            published_iso: n.published_at.date_naive().to_string(),
            paragraphs: n
                .body
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    let html = NewsPage {
        layout: Layout::for_family(&family, &household, "News", "news"),
        items,
        older,
        first_page: query.prima.is_none(),
    }
    .render()
    .map_err(PortalError::internal)?;
    Ok(Html(html))
}

struct DocumentItem {
    title: String,
    file_name: String,
    kind: &'static str,
    size: String,
    uploaded: String,
    href: String,
}

#[derive(Template)]
#[template(path = "portal/documents.html")]
struct DocumentsPage {
    layout: Layout,
    items: Vec<DocumentItem>,
    older: Option<String>,
    first_page: bool,
}

fn kind_of(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "image/png" => "immagine PNG",
        "image/jpeg" => "immagine JPEG",
        _ => "file",
    }
}

pub async fn documents(
    State(state): State<AppState>,
    family: Family,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, PortalError> {
    let household = household(&state, &family).await?;
    let tenant = family.tenant.id;
    let page = state
        .app
        .documents(tenant, query.prima.map(DocumentId), DOCUMENTS_PER_PAGE)
        .await?;
    let older = page
        .has_more
        .then(|| {
            page.items
                .last()
                .map(|d| format!("/documenti?prima={}", d.id.0))
        })
        .flatten();
    let items = page
        .items
        .into_iter()
        .map(|d| DocumentItem {
            kind: kind_of(&d.content_type),
            size: file_size(d.size_bytes),
            uploaded: date(d.uploaded_at.date_naive()),
            href: crate::documents::download_path(d.id),
            title: d.title,
            file_name: d.file_name,
        })
        .collect();
    let html = DocumentsPage {
        layout: Layout::for_family(&family, &household, "Documenti", "documenti"),
        items,
        older,
        first_page: query.prima.is_none(),
    }
    .render()
    .map_err(PortalError::internal)?;
    Ok(Html(html))
}
