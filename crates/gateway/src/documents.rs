//! The download of a comune's document (any logged-in person of the comune, and keys with
//! the `read` scope). Publishing and storage are use cases: `app::documents`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use content::DocumentId;

use crate::caller::Reader;
use crate::{AppState, GatewayError};

pub fn download_path(id: DocumentId) -> String {
    format!("/documenti/{}/file", id.0)
}

pub fn router() -> Router<AppState> {
    Router::new().route("/documenti/{id}/file", get(download))
}

async fn download(
    State(state): State<AppState>,
    Reader(identity): Reader,
    Path(id): Path<String>,
) -> Result<Response, GatewayError> {
    let id = id.parse::<i64>().map_err(|_| GatewayError::NotFound)?;
    let (document, bytes) = state
        .app
        .document_file(identity.tenant, DocumentId(id))
        .await?
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
