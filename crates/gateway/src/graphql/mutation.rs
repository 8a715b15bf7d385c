//! Everything that changes something. A refused mutation changes nothing: each runs in
//! one transaction or through the account engine, which commits a command whole or not.

use accounts::{Command, EntryId, IdempotencyKey};
use async_graphql::{Context, Enum, ID, Object, SimpleObject, Upload};
use registry::{GuardianId, StudentId};

use super::context::{self, staff_or_key};
use super::error::{Code, api_error, bad_input, internal, ledger};
use super::query::{family_account_of, parse_id};
use super::scalars::{Date, DateTime, Decimal};
use super::types::account::MovementObject;
use super::types::api_key::{ApiKeyObject, ApiScope};
use super::types::content::{Document, News};
use super::types::payment::PaymentNotice;
use crate::auth::{AuthError, NewApiKey, Principal, Scope};

#[derive(Default)]
pub struct Mutation;

/// The most students one `postMeals` call may name: a large comune's whole school day.
pub const MAX_MEALS_PER_CALL: usize = 10_000;
const MAX_TEXT: usize = 500;

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Guardian,
    Operator,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send it as `Authorization: Bearer <token>` on this comune's host.
    token: String,
    expires_at: DateTime,
    role: Role,
}

#[derive(SimpleObject)]
pub struct RefusedMeal {
    student_id: ID,
    reason: String,
}

#[derive(SimpleObject)]
pub struct PostMealsPayload {
    posted: u64,
    /// Meals of that date already in the ledger: re-posting changes nothing.
    already_posted: u64,
    refused: Vec<RefusedMeal>,
}

#[derive(SimpleObject)]
pub struct CreatedApiKey {
    /// The key itself: shown this once, stored only as a digest.
    key: String,
    api_key: ApiKeyObject,
}

fn auth_error(error: AuthError) -> async_graphql::Error {
    match error {
        AuthError::InvalidCredentials => api_error(
            Code::Unauthenticated,
            "Wrong username or password. Check them and try again; after several failures logins are slowed down.",
        ),
        AuthError::RateLimited { .. } => api_error(Code::RateLimited, error.to_string()),
        AuthError::WrongPassword | AuthError::WeakPassword(_) => bad_input(error.to_string()),
        AuthError::Internal(cause) => internal(cause),
    }
}

fn notice_error(error: payments::NoticeError) -> async_graphql::Error {
    use payments::NoticeError as E;
    let (_, message) = crate::payments::notice_error_message(&error, crate::payments::Lang::En);
    match error {
        E::NotPositive | E::TooPrecise | E::BelowMinimum { .. } | E::AboveMaximum { .. } => {
            bad_input(message)
        }
        E::NoAccount => super::error::not_found("family account"),
        E::CreditorNotConfigured(_) | E::SequenceExhausted => {
            tracing::error!(%error, "the comune cannot issue payment notices");
            api_error(Code::Internal, message)
        }
        E::Failed(cause) => internal(cause),
    }
}

fn text(value: &str, field: &str) -> async_graphql::Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_TEXT {
        return Err(bad_input(format!(
            "`{field}` must have 1 to {MAX_TEXT} characters."
        )));
    }
    Ok(value.to_owned())
}

fn client_key(key: &str) -> async_graphql::Result<IdempotencyKey> {
    IdempotencyKey::client(key).ok_or_else(|| {
        bad_input("`idempotencyKey` must be 1 to 100 printable ASCII characters, unique per command; reuse it only to retry the same command.")
    })
}

#[Object]
impl Mutation {
    /// Logs a guardian or an operator in on this comune.
    async fn login(
        &self,
        ctx: &Context<'_>,
        username: String,
        password: String,
    ) -> async_graphql::Result<LoginPayload> {
        let state = context::state(ctx)?;
        let caller = context::caller(ctx)?;
        let session = state
            .auth
            .login(&caller.tenant, &username, &password, caller.address)
            .await
            .map_err(auth_error)?;
        let role = match session.identity.principal {
            Principal::Guardian { .. } => Role::Guardian,
            _ => Role::Operator,
        };
        Ok(LoginPayload {
            token: session.token,
            expires_at: DateTime(session.expires_at.fixed_offset()),
            role,
        })
    }

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
        crate::payments::create_payment_notice(
            state,
            tenant,
            guardian,
            amount.0.amount(),
            &return_path,
        )
        .await
        .map(PaymentNotice::from)
        .map_err(notice_error)
    }

    /// Ends the session of the token this request carries.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let identity = context::identity(ctx)?;
        let state = context::state(ctx)?;
        state.auth.logout(identity).await.map_err(auth_error)?;
        Ok(true)
    }

    /// Changes the caller's password; his other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let identity = context::identity(ctx)?;
        let state = context::state(ctx)?;
        state
            .auth
            .change_password(identity, &current_password, &new_password)
            .await
            .map_err(auth_error)?;
        Ok(true)
    }

    /// Posts the meals eaten on `date`. Re-posting a student and date changes nothing.
    /// `force` posts on a day that is not one of the class's meal days (a trip, a make-up
    /// day). Operators and keys with the `post_meals` scope.
    async fn post_meals(
        &self,
        ctx: &Context<'_>,
        date: Date,
        student_ids: Vec<ID>,
        #[graphql(default = false)] force: bool,
    ) -> async_graphql::Result<PostMealsPayload> {
        staff_or_key(ctx, Scope::PostMeals)?;
        if student_ids.len() > MAX_MEALS_PER_CALL {
            return Err(bad_input(format!(
                "Post at most {MAX_MEALS_PER_CALL} students per call; split the day in parts."
            )));
        }
        let mut refused = Vec::new();
        let mut students = Vec::with_capacity(student_ids.len());
        for id in &student_ids {
            match id.parse::<i64>() {
                Ok(n) => students.push(StudentId::new(n)),
                Err(_) => refused.push(RefusedMeal {
                    student_id: id.clone(),
                    reason: "no student with this id in this comune".to_owned(),
                }),
            }
        }
        let state = context::state(ctx)?;
        let caller = context::caller(ctx)?;
        let summary = state
            .accounts
            .post_meals(
                &caller.tenant,
                date.0,
                &students,
                force,
                &context::actor(ctx)?,
            )
            .await
            .map_err(ledger)?;
        refused.extend(summary.refused.into_iter().map(|r| RefusedMeal {
            student_id: ID(r.student.get().to_string()),
            reason: r.reason,
        }));
        Ok(PostMealsPayload {
            posted: u64::try_from(summary.posted).unwrap_or(u64::MAX),
            already_posted: u64::try_from(summary.already_posted).unwrap_or(u64::MAX),
            refused,
        })
    }

    /// Publishes news for the comune's families (operators).
    async fn publish_news(
        &self,
        ctx: &Context<'_>,
        title: String,
        body: String,
    ) -> async_graphql::Result<News> {
        context::operator(ctx)?;
        let news = context::in_comune(ctx, async |txn, tenant| {
            match content::publish_news(txn, tenant, &title, &body).await {
                Ok(news) => Ok(news),
                Err(content::ContentError::Invalid(problem)) => Err(bad_input(problem)),
                Err(error) => Err(internal(error)),
            }
        })
        .await?;
        Ok(news.into())
    }

    /// Uploads a document for the families (operators): PDF, PNG or JPEG, up to the
    /// deployment's size limit. Send it as a GraphQL multipart request.
    async fn upload_document(
        &self,
        ctx: &Context<'_>,
        title: String,
        file: Upload,
    ) -> async_graphql::Result<Document> {
        context::operator(ctx)?;
        let title = text(&title, "title")?;
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let upload = file.value(ctx).map_err(|e| bad_input(e.to_string()))?;
        let file_name = crate::documents::clean_file_name(&upload.filename)
            .ok_or_else(|| bad_input("The file needs a name."))?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut upload.into_read(), &mut bytes)
            .map_err(|e| bad_input(format!("The file could not be read: {e}")))?;
        if bytes.len() > state.graphql_limits.max_upload_bytes {
            return Err(bad_input(format!(
                "The file is larger than {} bytes; make it smaller and try again.",
                state.graphql_limits.max_upload_bytes
            )));
        }
        let content_type = crate::documents::sniff_content_type(&bytes)
            .ok_or_else(|| bad_input("Only PDF, PNG and JPEG files can be published."))?;
        let size_bytes = i64::try_from(bytes.len()).map_err(internal)?;
        let storage_key = crate::auth::random_name().map_err(internal)?;
        // The file first: a row without its file would be a broken link, a file without
        // its row is only an orphan.
        state
            .documents
            .put(tenant, &storage_key, bytes)
            .await
            .map_err(internal)?;
        let new = content::NewDocument {
            title,
            file_name,
            content_type: content_type.to_owned(),
            size_bytes,
            storage_key,
        };
        let document = context::in_comune(ctx, async |txn, tenant| {
            content::add_document(txn, tenant, new)
                .await
                .map_err(internal)
        })
        .await?;
        Ok(document.into())
    }

    /// Credits a family with old paper vouchers converted to balance (operators).
    async fn record_voucher_recovery(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reference: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::VoucherRecovery {
            amount: amount.0,
            reference: text(&reference, "reference")?,
            date: date.0,
            key: client_key(&idempotency_key)?,
        };
        execute(ctx, &guardian_id, command).await
    }

    /// Pays money back to a family: a debit of the balance (operators).
    async fn record_refund(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Refund {
            amount: amount.0,
            reason: text(&reason, "reason")?,
            date: date.0,
            key: client_key(&idempotency_key)?,
        };
        execute(ctx, &guardian_id, command).await
    }

    /// Corrects a balance: positive credits, negative debits (operators).
    async fn record_adjustment(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        amount: Decimal,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Adjustment {
            amount: amount.0,
            reason: text(&reason, "reason")?,
            date: date.0,
            key: client_key(&idempotency_key)?,
        };
        execute(ctx, &guardian_id, command).await
    }

    /// Cancels a movement with its opposite (a meal posted by mistake, say) (operators).
    async fn reverse_movement(
        &self,
        ctx: &Context<'_>,
        guardian_id: ID,
        movement_id: ID,
        reason: String,
        date: Date,
        idempotency_key: String,
    ) -> async_graphql::Result<MovementObject> {
        let command = Command::Reversal {
            entry: EntryId::new(parse_id(&movement_id, "movement")?),
            reason: text(&reason, "reason")?,
            date: date.0,
            key: client_key(&idempotency_key)?,
        };
        execute(ctx, &guardian_id, command).await
    }

    /// Creates an integrator key for this comune (operators). The answer holds the key
    /// once; only a digest is kept.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        name: String,
        scopes: Vec<ApiScope>,
    ) -> async_graphql::Result<CreatedApiKey> {
        let operator = context::operator(ctx)?;
        let name = text(&name, "name")?;
        if scopes.is_empty() {
            return Err(bad_input("Give the key at least one scope."));
        }
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        let mut scopes: Vec<Scope> = scopes.into_iter().map(Scope::from).collect();
        scopes.dedup();
        let (api_key, key) = state
            .auth
            .create_api_key(
                tenant,
                NewApiKey {
                    name,
                    scopes,
                    created_by: operator.get(),
                },
            )
            .await
            .map_err(internal)?;
        Ok(CreatedApiKey {
            key,
            api_key: api_key.into(),
        })
    }

    /// Revokes an integrator key of this comune (operators); it stops working at once on
    /// this replica and within half a minute on the others.
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        context::operator(ctx)?;
        let id = crate::auth::ApiKeyId(parse_id(&id, "API key")?);
        let state = context::state(ctx)?;
        let tenant = context::caller(ctx)?.tenant.id;
        if state
            .auth
            .revoke_api_key(tenant, id)
            .await
            .map_err(internal)?
        {
            Ok(true)
        } else {
            Err(super::error::not_found("API key"))
        }
    }
}

/// An operator's command on a family account, through the account engine.
async fn execute(
    ctx: &Context<'_>,
    guardian_id: &ID,
    command: Command,
) -> async_graphql::Result<MovementObject> {
    context::operator(ctx)?;
    let guardian = GuardianId::new(parse_id(guardian_id, "guardian")?);
    let state = context::state(ctx)?;
    let tenant = &context::caller(ctx)?.tenant;
    let account = family_account_of(ctx, guardian).await?;
    let posted = state
        .accounts
        .execute(tenant, account, command, &context::actor(ctx)?)
        .await
        .map_err(ledger)?;
    Ok(posted.movement.into())
}
