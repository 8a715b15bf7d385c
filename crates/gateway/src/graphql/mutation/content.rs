//! News and documents the comune publishes for its families (operators).

use app::Upload;
use async_graphql::{Context, Object, Upload as FileUpload};

use super::super::context;
use super::super::error::{app_error, bad_input};
use super::super::types::content::{Document, News};

#[derive(Default)]
pub struct ContentMutation;

#[Object]
impl ContentMutation {
    /// Publishes news for the comune's families (operators).
    async fn publish_news(
        &self,
        ctx: &Context<'_>,
        title: String,
        body: String,
    ) -> async_graphql::Result<News> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let news = app
            .publish_news(tenant, &title, &body)
            .await
            .map_err(app_error)?;
        Ok(news.into())
    }

    /// Uploads a document for the families (operators): PDF, PNG or JPEG, up to the
    /// deployment's size limit. Send it as a GraphQL multipart request.
    async fn upload_document(
        &self,
        ctx: &Context<'_>,
        title: String,
        file: FileUpload,
    ) -> async_graphql::Result<Document> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let upload = file.value(ctx).map_err(|e| bad_input(e.to_string()))?;
        let file_name = upload.filename.clone();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes)
            .map_err(|e| bad_input(format!("The file could not be read: {e}")))?;
        let upload = Upload {
            title,
            file_name,
            bytes,
        };
        let document = app
            .publish_document(tenant, upload)
            .await
            .map_err(app_error)?;
        Ok(document.into())
    }
}
