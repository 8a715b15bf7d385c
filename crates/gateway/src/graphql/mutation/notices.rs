//! Esegui ricarica: a guardian's top-up notice.

use async_graphql::{Context, Object};

use super::super::context;
use super::super::error::app_error;
use super::super::scalars::Decimal;
use super::super::types::payment::PaymentNotice;

#[derive(Default)]
pub struct NoticeMutation;

#[Object]
impl NoticeMutation {
    /// Esegui ricarica: a pagoPA payment notice for `amount` euro (within the comune's
    /// minimum and maximum top-up). Pay it online at `checkoutUrl`, which brings the
    /// parent back to `returnPath` on the comune's site, or download the PDF at `pdfUrl`
    /// and pay it at any PSP. Guardians only.
    async fn create_payment_notice(
        &self,
        ctx: &Context<'_>,
        amount: Decimal,
        #[graphql(default = "/")] return_path: String,
    ) -> async_graphql::Result<PaymentNotice> {
        let (guardian, _) = context::guardian(ctx)?;
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        app::notices::create_payment_notice(
            &state.app,
            tenant,
            guardian,
            amount.0.amount(),
            &return_path,
        )
        .await
        .map(PaymentNotice::from)
        .map_err(|error| app_error(error.into()))
    }
}
