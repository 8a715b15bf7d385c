//! Everything that reads. Each resolver checks the caller's role first; ids are looked up
//! inside the caller's comune only, so another comune's id reads as unknown.

use accounts::AccountId;
use async_graphql::{Context, ID, Object};
use registry::{GuardianId, StudentId};

use super::context::{self, staff_or_key};
use super::error::{app_error, internal, not_found, parse_id};
use super::scalars::Date;
use super::types::account::AccountObject;
use super::types::anomaly::{self, PaymentAnomalyObject};
use super::types::api_key::ApiKeyObject;
use super::types::content::{Document, News};
use super::types::family::{GuardianObject, StudentObject};
use super::types::kitchen::KitchenReportLine;
use super::types::page::{self, Page};
use super::types::payment::PaymentNotice;
use super::types::tenant::TenantInfo;
use app::{family, kitchen};
use auth::Scope;

pub struct Query;

#[Object]
impl Query {
    /// The comune of this host: name, branding, pagoPA creditor id. Needs no login.
    #[allow(clippy::unused_async, reason = "async-graphql resolvers must be async")]
    async fn tenant(&self, ctx: &Context<'_>) -> async_graphql::Result<TenantInfo> {
        Ok(TenantInfo(context::caller(ctx)?.tenant.clone()))
    }

    /// The logged-in guardian (anagrafica tutore/genitore) and his children.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<GuardianObject> {
        let (guardian, _) = context::guardian(ctx)?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let guardian = family::guardian(&state.app.db, tenant, guardian)
            .await
            .map_err(internal)?;
        Ok(GuardianObject { guardian })
    }

    /// The logged-in guardian's family account (stato contabile).
    #[allow(clippy::unused_async, reason = "async-graphql resolvers must be async")]
    async fn account(&self, ctx: &Context<'_>) -> async_graphql::Result<AccountObject> {
        let (guardian, account) = context::guardian(ctx)?;
        Ok(AccountObject { account, guardian })
    }

    /// The logged-in guardian's payment notices (storico pagamenti), newest first.
    #[graphql(complexity = "page::cost(first, child_complexity)")]
    async fn payment_notices(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Page<PaymentNotice>> {
        let (_, account) = context::guardian(ctx)?;
        let (limit, after) = page::args(first, after.as_deref())?;
        let state = context::state(ctx)?;
        let tenant = &context::caller(ctx)?.tenant;
        let (notices, has_more) = app::notices::payment_notices(
            &state.app,
            tenant,
            account,
            after.map(payments::PositionId::new),
            limit,
        )
        .await
        .map_err(internal)?;
        Ok(page::page(
            notices
                .into_iter()
                .map(|n| (n.id.get(), PaymentNotice::from(n))),
            has_more,
            after.is_some(),
        ))
    }

    /// The comune's news, newest first. Any logged-in person, or a key with the `read`
    /// scope.
    #[graphql(complexity = "page::cost(first, child_complexity)")]
    async fn news(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Page<News>> {
        context::reader(ctx)?;
        let (limit, after) = page::args(first, after.as_deref())?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let found = state
            .app
            .news(tenant, after.map(content::NewsId), limit)
            .await
            .map_err(app_error)?;
        Ok(page::page(
            found.items.into_iter().map(|n| (n.id.0, News::from(n))),
            found.has_more,
            after.is_some(),
        ))
    }

    /// The comune's documents (regulations, forms, menus), newest first.
    #[graphql(complexity = "page::cost(first, child_complexity)")]
    async fn documents(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Page<Document>> {
        context::reader(ctx)?;
        let (limit, after) = page::args(first, after.as_deref())?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let found = state
            .app
            .documents(tenant, after.map(content::DocumentId), limit)
            .await
            .map_err(app_error)?;
        Ok(page::page(
            found.items.into_iter().map(|d| (d.id.0, Document::from(d))),
            found.has_more,
            after.is_some(),
        ))
    }

    /// What each school's kitchen must cook on `date`: children expected, by diet.
    /// Operators and keys with the `read` scope; diet details need the health-data right.
    async fn kitchen_report(
        &self,
        ctx: &Context<'_>,
        date: Date,
    ) -> async_graphql::Result<Vec<KitchenReportLine>> {
        staff_or_key(ctx, Scope::Read)?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let lines = kitchen::report(&state.app.db, tenant, date.0)
            .await
            .map_err(internal)?;
        let with_details = context::reads_health_data(ctx);
        if with_details && lines.iter().any(|l| !l.special.is_empty()) {
            context::audit(ctx, "read_diet", &format!("kitchen_report:{}", date.0)).await?;
        }
        Ok(lines
            .into_iter()
            .map(|line| KitchenReportLine::new(line, with_details))
            .collect())
    }

    /// The comune's guardians (operators and keys with `read`).
    #[graphql(complexity = "page::cost(first, child_complexity)")]
    async fn guardians(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Page<GuardianObject>> {
        staff_or_key(ctx, Scope::Read)?;
        let (limit, after) = page::args(first, after.as_deref())?;
        let mut rows = context::in_comune(ctx, async |txn, tenant| {
            registry::guardians(
                txn,
                tenant,
                after.map(GuardianId::new),
                limit.saturating_add(1),
            )
            .await
            .map_err(internal)
        })
        .await?;
        let has_more = u64::try_from(rows.len()).unwrap_or(u64::MAX) > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(page::page(
            rows.into_iter()
                .map(|guardian| (guardian.id.get(), GuardianObject { guardian })),
            has_more,
            after.is_some(),
        ))
    }

    /// One guardian of the comune (operators and keys with `read`).
    async fn guardian(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<GuardianObject> {
        staff_or_key(ctx, Scope::Read)?;
        let id = GuardianId::new(parse_id(&id, "guardian")?);
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        match family::guardian(&state.app.db, tenant, id).await {
            Ok(guardian) => Ok(GuardianObject { guardian }),
            Err(error) if error.is_not_found() => Err(not_found("guardian")),
            Err(error) => Err(internal(error)),
        }
    }

    /// One student of the comune (operators and keys with `read`).
    async fn student(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<StudentObject> {
        staff_or_key(ctx, Scope::Read)?;
        let id = StudentId::new(parse_id(&id, "student")?);
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        family::student(&state.app.db, tenant, id, tenancy::today_in_italy())
            .await
            .map_err(internal)?
            .map(StudentObject::from)
            .ok_or_else(|| not_found("student"))
    }

    /// A family's account by its guardian (operators and keys with `read`).
    async fn family_account(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
    ) -> async_graphql::Result<AccountObject> {
        staff_or_key(ctx, Scope::Read)?;
        let guardian = GuardianId::new(parse_id(&guardian_id, "guardian")?);
        let account = family_account_of(ctx, guardian).await?;
        Ok(AccountObject { account, guardian })
    }

    /// The comune's classes with their schools and meal days (operators and `read` keys).
    async fn classes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::types::family::Class>> {
        staff_or_key(ctx, Scope::Read)?;
        let classes = context::in_comune(ctx, async |txn, tenant| {
            registry::classes(txn, tenant).await.map_err(internal)
        })
        .await?;
        Ok(classes.into_iter().map(Into::into).collect())
    }

    /// The tariff bands with the price in force on `date` (today when omitted). Anyone
    /// logged in (families see what each band costs), and keys with the `read` scope.
    async fn tariff_bands(
        &self,
        ctx: &Context<'_>,
        date: Option<Date>,
    ) -> async_graphql::Result<Vec<super::types::family::TariffBand>> {
        context::reader(ctx)?;
        let date = date.map_or_else(tenancy::today_in_italy, |d| d.0);
        let bands = context::in_comune(ctx, async |txn, tenant| {
            tenancy::bands_on(txn, tenant, date).await.map_err(internal)
        })
        .await?;
        Ok(bands.into_iter().map(Into::into).collect())
    }

    /// The comune's payment anomalies (anomalie di pagamento), newest first: receipts that
    /// matched no open notice and credited nothing. `status` keeps one kind (OPEN: waiting
    /// for a decision). Operators only.
    #[graphql(complexity = "page::cost(first, child_complexity)")]
    async fn payment_anomalies(
        &self,
        ctx: &Context<'_>,
        status: Option<anomaly::Status>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Page<PaymentAnomalyObject>> {
        let (app, tenant) = context::operator_in_comune(ctx)?;
        let (limit, after) = page::args(first, after.as_deref())?;
        let (found, has_more) = app::anomalies::payment_anomalies(
            app,
            tenant,
            status.map(Into::into),
            after.map(payments::AnomalyId::new),
            limit,
        )
        .await
        .map_err(app_error)?;
        Ok(page::page(
            found
                .into_iter()
                .map(|a| (a.id.get(), PaymentAnomalyObject::from(a))),
            has_more,
            after.is_some(),
        ))
    }

    /// The comune's integrator keys (operators only); the keys themselves are never shown.
    async fn api_keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKeyObject>> {
        context::operator(ctx)?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let keys = state.auth.api_keys(tenant).await.map_err(internal)?;
        Ok(keys.into_iter().map(ApiKeyObject::from).collect())
    }
}

pub async fn family_account_of(
    ctx: &Context<'_>,
    guardian: GuardianId,
) -> async_graphql::Result<AccountId> {
    let state = context::state(ctx)?;
    let tenant = &context::caller(ctx)?.tenant;
    state
        .app
        .account_of(tenant, guardian)
        .await
        .map_err(super::error::app_error)
}
