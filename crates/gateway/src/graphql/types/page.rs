//! Relay-style pages: `first` at most 100, `after` the opaque cursor of the last edge.

use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge, EmptyFields};

use crate::graphql::error::bad_input;

pub const MAX_PAGE: i32 = 100;
pub const DEFAULT_PAGE: i32 = 20;

/// Checks `first` and reads `after` (the id of the last row seen).
pub fn args(first: Option<i32>, after: Option<&str>) -> async_graphql::Result<(u64, Option<i64>)> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&first) {
        return Err(bad_input(format!(
            "`first` must be between 1 and {MAX_PAGE}; ask for the next page with `after`."
        )));
    }
    let after = after
        .map(|cursor| {
            cursor.parse::<i64>().map_err(|_| {
                bad_input("`after` is not a cursor of this list; pass a `pageInfo.endCursor` back unchanged.")
            })
        })
        .transpose()?;
    Ok((u64::try_from(first).unwrap_or(20), after))
}

/// What a list field costs in the complexity limit: its page size times its nodes' cost.
pub fn cost(first: Option<i32>, child_complexity: usize) -> usize {
    let first = first.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    usize::try_from(first)
        .unwrap_or(1)
        .saturating_mul(child_complexity)
}

pub type Page<T> = Connection<String, T, EmptyFields, EmptyFields>;

pub fn page<T: OutputType>(
    items: impl IntoIterator<Item = (i64, T)>,
    has_more: bool,
    is_continuation: bool,
) -> Page<T> {
    let mut connection = Connection::new(is_continuation, has_more);
    connection.edges.extend(
        items
            .into_iter()
            .map(|(id, node)| Edge::new(id.to_string(), node)),
    );
    connection
}
