//! The database identity of a tenant.

use std::fmt;

/// Primary key of a comune in the tenants table. A newtype so a tenant id
/// can never be passed where another table's id is expected; the slug may
/// change (a comune merges or renames), the id does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(i64);

impl TenantId {
    pub const fn new(id: i64) -> Self {
        Self(id)
    }

    pub const fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<TenantId> for i64 {
    fn from(id: TenantId) -> Self {
        id.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;

    #[test]
    fn wraps_and_unwraps() {
        let id = TenantId::new(42);
        assert_eq!(id.get(), 42);
        assert_eq!(i64::from(id), 42);
        assert_eq!(id.to_string(), "42");
        assert_eq!(format!("{id:>4}"), "  42");
        assert!(TenantId::new(1) < TenantId::new(2));
        let set: std::collections::HashSet<_> = [id, id, TenantId::new(7)].into();
        assert_eq!(set.len(), 2);
    }
}
