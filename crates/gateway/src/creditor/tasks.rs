//! Background rounds of pagoPA work, one task per gateway: credits a crash interrupted
//! (first at start-up, then every minute), expiry of notices past due, and loading notices
//! into the central archive when one is configured.
//!
//! Every round is idempotent and safe with several replicas doing the same: credits are
//! keyed on the receipt id, expiry is a conditional update, an archive load is a create.

use std::time::Duration;

use crate::AppState;

const EVERY: Duration = Duration::from_secs(60);

pub fn spawn(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            round(&state).await;
            tokio::time::sleep(EVERY).await;
        }
    })
}

/// One round of everything; failures are logged and left for the next round.
pub async fn round(state: &AppState) {
    match payments::credit_pending_everywhere(
        &state.app.db,
        &state.app.accounts,
        &state.app.tenants,
    )
    .await
    {
        Ok(0) => {}
        Ok(credited) => tracing::warn!(
            receipts.credited = credited,
            "interrupted credits completed"
        ),
        Err(error) => tracing::error!(%error, "cannot complete interrupted credits"),
    }
    match payments::expire_due_everywhere(&state.app.db, &state.app.tenants, payments::today())
        .await
    {
        Ok(0) => {}
        Ok(expired) => tracing::info!(notices.expired = expired, "payment notices expired"),
        Err(error) => tracing::error!(%error, "cannot expire payment notices"),
    }
    if let Some(archive) = &state.pagopa.archive {
        match payments::archive::sync_pending_everywhere(
            &state.app.db,
            archive.as_ref(),
            &state.app.tenants,
        )
        .await
        {
            Ok(0) => {}
            Ok(loaded) => tracing::info!(
                notices.loaded = loaded,
                "notices loaded into the central archive"
            ),
            Err(error) => tracing::error!(%error, "cannot load notices into the central archive"),
        }
    }
    state.pagopa.metrics.round_done();
}
