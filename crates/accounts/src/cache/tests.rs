#![allow(clippy::unwrap_used)]
use super::*;

#[tokio::test]
async fn an_older_version_never_replaces_a_newer_one() {
    let cache = BalanceCache::new(None, "t").unwrap();
    let (tenant, account) = (TenantId::new(1), AccountId::new(2));
    let entry = |version, cents| CachedBalance {
        version,
        balance: Money::from_cents(cents).unwrap(),
    };
    assert_eq!(cache.get(tenant, account).await, None);
    cache.set_if_newer(tenant, account, entry(5, 500)).await;
    cache.set_if_newer(tenant, account, entry(4, 400)).await;
    assert_eq!(cache.get(tenant, account).await, Some(entry(5, 500)));
    cache.set_if_newer(tenant, account, entry(6, 600)).await;
    assert_eq!(cache.get(tenant, account).await, Some(entry(6, 600)));
    assert_eq!(
        cache.stats(),
        CacheStats {
            hits: 2,
            misses: 1,
            fallbacks: 0,
            near_hits: 0,
        }
    );
}

#[test]
fn entries_parse_back() {
    assert_eq!(parse_entry("7:-250").unwrap().balance.cents(), -250);
    assert!(parse_entry("garbage").is_none());
}
