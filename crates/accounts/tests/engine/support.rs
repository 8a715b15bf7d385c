//! A comune with a school, two tariff bands (A costs 4.00 and B 5.50 from 2026-09-01) and
//! families to post on, built by `testkit::World`; the engines that post.

use std::sync::Arc;

use accounts::cache::BalanceCache;
use accounts::{AccountEngine, AccountId, EngineConfig};
use chrono::NaiveDate;
use money::Money;
use registry::StudentId;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tenancy::{BalancePolicy, OverLimit, Tenant};
use testkit::{Backend, TestDatabase};

pub struct World {
    pub db: TestDatabase,
    pub tenant: Arc<Tenant>,
    comune: testkit::World,
    cache_prefix: String,
}

pub struct Family {
    pub account: AccountId,
    pub students: [StudentId; 2],
}

pub fn money(value: &str) -> Money {
    value.parse().unwrap()
}

pub fn date(value: &str) -> NaiveDate {
    value.parse().unwrap()
}

impl World {
    pub async fn new(backend: Backend) -> World {
        Self::with_policy(
            backend,
            BalancePolicy {
                reminder_threshold: money("10.00"),
                debt_limit: None,
                over_limit: OverLimit::Flag,
            },
        )
        .await
    }

    pub async fn with_policy(backend: Backend, policy: BalancePolicy) -> World {
        let db = backend.migrated().await;
        let comune = testkit::World::on(&db).policy(policy).build().await;
        World {
            tenant: Arc::clone(&comune.tenant),
            db,
            comune,
            cache_prefix: testkit::unique_name("cache"),
        }
    }

    /// A new engine on the same database: what another gateway replica would run.
    pub fn engine(&self) -> AccountEngine {
        self.engine_with_redis(self.db.backend.redis_url().as_deref())
    }

    pub fn engine_with_redis(&self, redis_url: Option<&str>) -> AccountEngine {
        let cache = BalanceCache::new(redis_url, &self.cache_prefix).unwrap();
        AccountEngine::start(self.db.runtime.clone(), cache, EngineConfig::default())
    }

    /// A guardian with two children in the class: the first on band A, the second on B.
    pub async fn family(&self) -> Family {
        let guardian = self.comune.family(&["A", "B"]).await;
        Family {
            account: guardian.account,
            students: [guardian.students[0], guardian.students[1]],
        }
    }

    /// The stored balance, the sum of the ledger rows, and how many rows there are.
    pub async fn books(&self, account: AccountId) -> (Money, Money, u64) {
        let txn = tenancy::scope::begin(&self.db.runtime, self.tenant.id)
            .await
            .unwrap();
        let balance = accounts::balance(&txn, self.tenant.id, account)
            .await
            .unwrap();
        let sum = accounts::ledger_sum(&txn, self.tenant.id, account)
            .await
            .unwrap();
        let rows = accounts::entity::ledger_entry::Entity::find()
            .filter(accounts::entity::ledger_entry::Column::AccountId.eq(account.get()))
            .count(&txn)
            .await
            .unwrap();
        txn.commit().await.unwrap();
        (balance, sum, rows)
    }
}
