//! What a comune publishes for its families (news and downloadable documents) and what it
//! must be able to account for (the audit log of sensitive reads and changes).
//!
//! Its own crate because neither the registry nor the accounts own these: they are the
//! comune speaking to families, and the comune answering for what its staff did.

mod audit;
mod documents;
pub mod entity;
mod news;
mod page;

pub use audit::{AuditEntry, record};
pub use documents::{Document, DocumentId, NewDocument, add_document, document, documents};
pub use news::{News, NewsId, news, publish_news};
pub use page::Page;

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error("{0}")]
    Invalid(String),
}
