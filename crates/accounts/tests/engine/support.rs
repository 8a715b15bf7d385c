//! A comune with a school, two tariff bands and families to post on.

use std::sync::Arc;

use accounts::cache::BalanceCache;
use accounts::{AccountEngine, AccountId, EngineConfig};
use chrono::NaiveDate;
use money::Money;
use registry::{
    Diet, MealDays, NewClass, NewEnrolment, NewGuardian, NewStudent, StudentId, Weekday,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use tenancy::{
    BalancePolicy, Branding, Contacts, Creditor, EntityFiscalCode, Iban, NewTenant, OverLimit,
    PersonFiscalCode, Tenant, TenantDirectory, TenantSlug, TopUpLimits,
};
use testkit::{Backend, TestDatabase};

pub struct World {
    pub db: TestDatabase,
    pub tenant: Arc<Tenant>,
    pub class: registry::ClassId,
    cache_prefix: String,
    families: std::sync::atomic::AtomicU32,
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

/// Bands: A costs 4.00 and B 5.50 from 2026-09-01.
pub const BANDS: [(&str, &str); 2] = [("A", "4.00"), ("B", "5.50")];

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
        let directory = TenantDirectory::new(db.runtime.clone());
        let txn = db.runtime.begin().await.unwrap();
        let tenant = directory
            .create(
                &txn,
                NewTenant {
                    slug: TenantSlug::parse("prova").unwrap(),
                    name: "Comune di Prova".into(),
                    branding: Branding {
                        primary_color: "#123456".into(),
                        logo_url: None,
                    },
                    contacts: Contacts::default(),
                    creditor: Creditor {
                        fiscal_code: EntityFiscalCode::parse("80001234568").unwrap(),
                        aux_digit: 3,
                        segregation_code: "01".into(),
                        iban: Iban::parse("IT60X0542811101000000123456").unwrap(),
                        postal_account: None,
                        cbill_code: None,
                    },
                    balance_policy: policy,
                    top_up_limits: TopUpLimits {
                        min: money("1.00"),
                        max: money("500.00"),
                    },
                },
            )
            .await
            .unwrap();
        tenancy::scope::enter(&txn, tenant.id).await.unwrap();
        for (code, price) in BANDS {
            let band = tenancy::TariffBand {
                code: code.into(),
                name: format!("Fascia {code}"),
                meal_price: money(price),
                valid_from: date("2026-09-01"),
            };
            tenancy::add_price(&txn, tenant.id, &band).await.unwrap();
        }
        let school = registry::create_school(&txn, tenant.id, "Scuola", "Via Roma 1")
            .await
            .unwrap();
        let weekdays = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ];
        let class = registry::create_class(
            &txn,
            tenant.id,
            NewClass {
                school: school.id,
                name: "1A".into(),
                meal_days: MealDays::from_days(&weekdays),
            },
        )
        .await
        .unwrap();
        txn.commit().await.unwrap();
        World {
            db,
            tenant: Arc::new(tenant),
            class,
            cache_prefix: testkit::unique_name("cache"),
            families: Default::default(),
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
        let n = self
            .families
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let txn = tenancy::scope::begin(&self.db.runtime, self.tenant.id)
            .await
            .unwrap();
        let guardian = registry::create_guardian(
            &txn,
            self.tenant.id,
            NewGuardian {
                username: format!("genitore{n}"),
                password_hash: registry::PasswordHash::from_stored("x".into()),
                first_name: "Anna".into(),
                last_name: "Rossi".into(),
                fiscal_code: fiscal_code(n * 3),
                email: None,
                phone: None,
            },
        )
        .await
        .unwrap();
        let account = accounts::open_account(&txn, self.tenant.id, guardian.id)
            .await
            .unwrap();
        let mut students = Vec::new();
        for (index, (band, _)) in BANDS.iter().enumerate() {
            let student = registry::create_student(
                &txn,
                self.tenant.id,
                NewStudent {
                    guardian: guardian.id,
                    first_name: format!("Figlio{index}"),
                    last_name: "Rossi".into(),
                    fiscal_code: fiscal_code(n * 3 + 1 + u32::try_from(index).unwrap()),
                    birth_date: date("2018-05-05"),
                },
            )
            .await
            .unwrap();
            let enrolment = NewEnrolment {
                class: self.class,
                tariff_band_code: (*band).into(),
                diet: Diet::Normal,
                valid_from: date("2026-09-01"),
            };
            registry::enrol(&txn, self.tenant.id, student.id, enrolment)
                .await
                .unwrap();
            students.push(student.id);
        }
        txn.commit().await.unwrap();
        Family {
            account,
            students: [students[0], students[1]],
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

/// A valid, distinct personal fiscal code for every `n` below 33,600.
pub fn fiscal_code(n: u32) -> PersonFiscalCode {
    let months = "ABCDEHLMPRST";
    let year = n % 100;
    let month = months
        .chars()
        .nth(usize::try_from((n / 100) % 12).unwrap())
        .unwrap();
    let day = (n / 1200) % 28 + 1;
    let stem = format!("RSSNNA{year:02}{month}{day:02}H501");
    ('A'..='Z')
        .find_map(|check| PersonFiscalCode::parse(&format!("{stem}{check}")).ok())
        .unwrap()
}
