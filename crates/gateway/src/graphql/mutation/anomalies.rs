//! An operator's decision on a payment anomaly: credit a family, or mark it for refund.
//! The rules, the exactly-once credit and the audit entry are `app::anomalies`'.

use async_graphql::{Context, ID, Object};
use payments::AnomalyId;
use registry::GuardianId;

use super::super::context;
use super::super::error::{app_error, parse_id};
use super::super::types::anomaly::PaymentAnomalyObject;

#[derive(Default)]
pub struct AnomalyMutation;

#[Object]
impl AnomalyMutation {
    /// Credits a payment anomaly's payment (the part transferred to the comune) to the
    /// family whose notice it was; for a notice the comune never issued, name the family
    /// with `guardianId`. Once: asked again, it answers the credited anomaly and credits
    /// nothing more. The note says why, for the audit log (operators).
    async fn credit_payment_anomaly(
        &self,
        ctx: &Context<'_>,
        id: ID,
        guardian_id: Option<ID>,
        note: String,
    ) -> async_graphql::Result<PaymentAnomalyObject> {
        context::operator(ctx)?;
        let id = AnomalyId::new(parse_id(&id, "payment anomaly")?);
        let guardian = guardian_id
            .map(|g| parse_id(&g, "guardian").map(GuardianId::new))
            .transpose()?;
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        app::anomalies::credit_payment_anomaly(
            &state.app,
            tenant,
            id,
            guardian,
            &note,
            &context::actor(ctx)?,
        )
        .await
        .map(PaymentAnomalyObject::from)
        .map_err(app_error)
    }

    /// Marks a payment anomaly for refund to the payer (made by the comune's treasury,
    /// outside Mensa); nothing is credited. The note says why (operators).
    async fn mark_payment_anomaly_for_refund(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: String,
    ) -> async_graphql::Result<PaymentAnomalyObject> {
        context::operator(ctx)?;
        let id = AnomalyId::new(parse_id(&id, "payment anomaly")?);
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        app::anomalies::refund_payment_anomaly(&state.app, tenant, id, &note, &context::actor(ctx)?)
            .await
            .map(PaymentAnomalyObject::from)
            .map_err(app_error)
    }
}
