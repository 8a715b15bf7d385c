//! The files behind the comune's documents: where they are kept, what may be uploaded,
//! and the download route (any logged-in person of the comune).

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use content::DocumentId;
use tenancy::TenantId;

use crate::auth::Authenticated;
use crate::{AppState, GatewayError};

pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = std::io::Result<T>> + Send + 'a>>;

/// Where documents' bytes live: the data directory here, an object store elsewhere.
pub trait DocumentStore: Send + Sync + std::fmt::Debug {
    fn put<'a>(&'a self, tenant: TenantId, key: &'a str, bytes: Vec<u8>) -> StoreFuture<'a, ()>;
    fn get<'a>(&'a self, tenant: TenantId, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>>;
}

/// Files under `<data dir>/documents/<tenant id>/<key>`.
#[derive(Debug)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: PathBuf) -> Self {
        FileStore { root }
    }

    fn path(&self, tenant: TenantId, key: &str) -> PathBuf {
        self.root.join(tenant.get().to_string()).join(key)
    }
}

impl DocumentStore for FileStore {
    fn put<'a>(&'a self, tenant: TenantId, key: &'a str, bytes: Vec<u8>) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(tenant, key);
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            // Written aside and renamed, so a reader never sees half a file; the aside name
            // is unique, so two writers never share it.
            let suffix = crate::auth::random_name().map_err(std::io::Error::other)?;
            let partial = path.with_extension(format!("{suffix}.partial"));
            tokio::fs::write(&partial, bytes).await?;
            tokio::fs::rename(&partial, &path).await
        })
    }

    fn get<'a>(&'a self, tenant: TenantId, key: &'a str) -> StoreFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match tokio::fs::read(self.path(tenant, key)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error),
            }
        })
    }
}

/// The kinds of file a comune may publish, recognised by their first bytes rather than
/// by the name or type the uploader claims.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A file name safe to echo in a header: no path, no quotes, no control characters.
pub fn clean_file_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    (!cleaned.is_empty() && cleaned != "." && cleaned != "..").then_some(cleaned)
}

pub fn download_path(id: DocumentId) -> String {
    format!("/documenti/{}/file", id.0)
}

pub fn router() -> Router<AppState> {
    Router::new().route("/documenti/{id}/file", get(download))
}

async fn download(
    State(state): State<AppState>,
    Authenticated(identity): Authenticated,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    let id = id.parse::<i64>().map_err(|_| GatewayError::NotFound)?;
    let txn = tenancy::scope::begin(&state.db, identity.tenant)
        .await
        .map_err(GatewayError::internal)?;
    let document = content::document(&txn, identity.tenant, DocumentId(id))
        .await
        .map_err(GatewayError::internal)?
        .ok_or(GatewayError::NotFound)?;
    txn.commit().await.map_err(GatewayError::internal)?;
    let bytes = state
        .documents
        .get(identity.tenant, &document.storage_key)
        .await
        .map_err(GatewayError::internal)?
        .ok_or(GatewayError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, document.content_type),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", document.file_name),
            ),
            (CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_only_allowed_kinds() {
        assert_eq!(sniff_content_type(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(
            sniff_content_type(b"\x89PNG\r\n\x1a\nrest"),
            Some("image/png")
        );
        assert_eq!(sniff_content_type(b"<html>"), None);
        assert_eq!(sniff_content_type(b"MZ\x90\x00"), None);
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        assert_eq!(
            clean_file_name("C:\\Users\\x\\menu \"autunno\".pdf").as_deref(),
            Some("menu autunno.pdf")
        );
        assert_eq!(
            clean_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(clean_file_name(".."), None);
        assert_eq!(clean_file_name("  "), None);
    }
}
