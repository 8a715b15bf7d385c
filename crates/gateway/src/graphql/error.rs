//! API errors: every one carries `extensions.code` and a message a person can act on, in
//! English; causes inside Mensa are logged, never shown.

use async_graphql::ErrorExtensions;

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
            tracing::warn!(error.cause = %error, "ledger command not written");
            api_error(
                Code::Internal,
                "The account is busy; nothing was written. Try again.",
            )
        }
        other => internal(other),
    }
}
