//! Everything that changes something, one object per domain, merged into the schema's one
//! `Mutation` type. A refused mutation changes nothing: each use case runs in one
//! transaction or through the account engine, which commits a command whole or not.

mod access;
mod anomalies;
mod content;
mod ledger;
mod notices;
mod registry;

use async_graphql::MergedObject;

/// Every mutation: the account and session ones, and the registry's.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    access::AccessMutation,
    notices::NoticeMutation,
    ledger::LedgerMutation,
    content::ContentMutation,
    registry::RegistryMutation,
    anomalies::AnomalyMutation,
);
