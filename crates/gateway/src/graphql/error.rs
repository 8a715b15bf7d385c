//! API errors: every one carries `extensions.code` and a message a person can act on, in
//! English; causes inside Mensa are logged, never shown.

use app::AppError;
use async_graphql::{ErrorExtensions, ID};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RateLimited,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::RateLimited => "RATE_LIMITED",
            Code::Internal => "INTERNAL",
        }
    }
}

pub fn api_error(code: Code, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code.as_str()))
}

pub fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    api_error(Code::BadUserInput, message)
}

/// The same answer for an id that does not exist and an id of another comune or family.
pub fn not_found(what: &str) -> async_graphql::Error {
    api_error(
        Code::NotFound,
        format!("No {what} with this id; check the id and that you are on the right comune."),
    )
}

/// Ids are numbers; anything else names nothing, exactly like an unknown number.
pub fn parse_id(id: &ID, what: &str) -> async_graphql::Result<i64> {
    id.parse::<i64>().map_err(|_| not_found(what))
}

pub fn internal(cause: impl std::fmt::Display) -> async_graphql::Error {
    tracing::error!(error.cause = %cause, "graphql resolver failed");
    api_error(
        Code::Internal,
        "Something went wrong on our side; nothing was changed. Try again in a minute.",
    )
}

/// The ledger's refusals are the caller's to fix; its failures are ours.
pub fn ledger(error: accounts::LedgerError) -> async_graphql::Error {
    use accounts::LedgerError as E;
    match error {
        E::AccountNotFound(_) => not_found("account"),
        E::EntryNotFound(_) => not_found("movement"),
        E::StudentNotInFamily(_) | E::NotEnrolled { .. } => not_found("student"),
        E::NotAMealDay { .. }
        | E::DebtLimitReached { .. }
        | E::AmountNotPositive
        | E::ZeroAdjustment
        | E::ReasonRequired
        | E::AlreadyReversed(_)
        | E::ReversalOfReversal
        | E::KeyConflict(_)
        | E::Overflow => bad_input(error.to_string()),
        E::Contention | E::CommitFailed(_) | E::Unavailable(_) => {
            // The client is told to retry; the operator of the platform needs to see why.
            tracing::warn!(error.cause = %crate::error::chain(&error), "ledger command not written");
            api_error(
                Code::Internal,
                "The account is busy; nothing was written. Try again.",
            )
        }
        other => internal(other),
    }
}

/// A use case's answer as the API tells it: the one place where `AppError` becomes a code.
pub fn app_error(error: AppError) -> async_graphql::Error {
    match error {
        AppError::NotFound(what) => not_found(what),
        AppError::Invalid(message) => bad_input(message),
        AppError::Ledger(error) => ledger(error),
        AppError::Notice(error) => notice(error),
        AppError::Internal(_) => internal(crate::error::chain(&error)),
    }
}

fn notice(error: payments::NoticeError) -> async_graphql::Error {
    use payments::NoticeError as E;
    let (_, message) = crate::notices::notice_error_message(&error, crate::notices::Lang::En);
    match error {
        E::NotPositive | E::TooPrecise | E::BelowMinimum { .. } | E::AboveMaximum { .. } => {
            bad_input(message)
        }
        E::NoAccount => not_found("family account"),
        E::CreditorNotConfigured(_) | E::SequenceExhausted => {
            tracing::error!(error.cause = %crate::error::chain(&error), "the comune cannot issue payment notices");
            api_error(Code::Internal, message)
        }
        E::Failed(cause) => internal(crate::error::chain(&cause)),
    }
}
