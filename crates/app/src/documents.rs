//! Documenti: the files a comune publishes for its families, what may be uploaded (size
//! and kind, recognised by content), and where the bytes live.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use content::{Document, DocumentId, NewDocument, Page};
use tenancy::TenantId;

use crate::{App, AppError};

/// What an operator sends: a title, the file's name as his computer called it, its bytes.
#[derive(Debug)]
pub struct Upload {
    pub title: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl App {
    /// Publishes a document: checked (title, name, size, kind by its first bytes), stored,
    /// then listed. The file goes first: a row without its file would be a broken link, a
    /// file without its row is only an orphan.
    pub async fn publish_document(
        &self,
        tenant: TenantId,
        upload: Upload,
    ) -> Result<Document, AppError> {
        let title = crate::input::text(&upload.title, "title")?;
        let file_name = clean_file_name(&upload.file_name)
            .ok_or_else(|| AppError::invalid("The file needs a name."))?;
        let max = self.limits.document_max_bytes;
        if upload.bytes.len() > max {
            return Err(AppError::Invalid(format!(
                "The file is larger than {max} bytes; make it smaller and try again."
            )));
        }
        let content_type = sniff_content_type(&upload.bytes)
            .ok_or_else(|| AppError::invalid("Only PDF, PNG and JPEG files can be published."))?;
        let size_bytes = i64::try_from(upload.bytes.len()).map_err(AppError::internal)?;
        let storage_key = auth::random_name().map_err(AppError::internal)?;
        self.documents
            .put(tenant, &storage_key, upload.bytes)
            .await
            .map_err(AppError::internal)?;
        let new = NewDocument {
            title,
            file_name,
            content_type: content_type.to_owned(),
            size_bytes,
            storage_key,
        };
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(content::add_document(txn, tenant, new).await?)
        })
        .await
    }

    /// A page of the comune's documents, newest first; `before` is the last id of the
    /// previous page.
    pub async fn documents(
        &self,
        tenant: TenantId,
        before: Option<DocumentId>,
        limit: u64,
    ) -> Result<Page<Document>, AppError> {
        tenancy::scope::run(&self.db, tenant, async |txn| {
            Ok(content::documents(txn, tenant, before, limit).await?)
        })
        .await
    }

    /// A document of the comune and its bytes; `None` when either is missing.
    pub async fn document_file(
        &self,
        tenant: TenantId,
        id: DocumentId,
    ) -> Result<Option<(Document, Vec<u8>)>, AppError> {
        let document = tenancy::scope::run(&self.db, tenant, async |txn| {
            content::document(txn, tenant, id).await
        })
        .await?;
        let Some(document) = document else {
            return Ok(None);
        };
        let bytes = self
            .documents
            .get(tenant, &document.storage_key)
            .await
            .map_err(AppError::internal)?;
        Ok(bytes.map(|bytes| (document, bytes)))
    }
}

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
            let suffix = auth::random_name().map_err(std::io::Error::other)?;
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
