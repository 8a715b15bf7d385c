/// One page of a list, newest first, with whether another page follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
}

impl<T> Page<T> {
    /// Cuts rows fetched with `limit + 1` down to `limit`; the extra row only says that a
    /// next page exists.
    pub(crate) fn from_overfetch(mut rows: Vec<T>, limit: u64) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        Page {
            items: rows,
            has_more,
        }
    }
}
