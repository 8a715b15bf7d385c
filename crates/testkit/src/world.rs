//! A comune and its families, built through the domain crates' own functions: a test makes
//! the people it needs (and names them) instead of leaning on the demo's.
//!
//! ```text
//! let db = backend.migrated().await;
//! let world = World::on(&db).comune("prova").build().await;
//! let family = world.family(&["A", "B"]).await; // a guardian, his account, two children
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use accounts::AccountId;
use chrono::NaiveDate;
use money::Money;
use registry::{
    ClassId, Diet, GuardianId, MealDays, NewClass, NewEnrolment, NewGuardian, NewStudent,
    StudentId, Weekday,
};
use sea_orm::{DatabaseConnection, TransactionTrait};
use tenancy::{
    BalancePolicy, Branding, Contacts, Creditor, EntityFiscalCode, Iban, NewTenant, OverLimit,
    PersonFiscalCode, Tenant, TenantDirectory, TenantSlug, TopUpLimits,
};

use crate::TestDatabase;

/// The day every price and enrolment starts: the school year 2026/27.
const YEAR_START: &str = "2026-09-01";

/// What a comune is built with; `build` creates it.
#[derive(Debug)]
pub struct WorldBuilder {
    db: DatabaseConnection,
    slug: String,
    policy: BalancePolicy,
    bands: Vec<(String, Money)>,
}

/// A comune with one school and one class eating Monday to Friday.
#[derive(Debug)]
pub struct World {
    pub tenant: Arc<Tenant>,
    pub class: ClassId,
    db: DatabaseConnection,
    families: AtomicU32,
}

/// A guardian with his family account and his children, in the order of their bands.
#[derive(Clone, Debug)]
pub struct Guardian {
    pub id: GuardianId,
    pub username: String,
    pub account: AccountId,
    pub students: Vec<StudentId>,
}

impl World {
    /// A comune `prova` (reminder below 10.00, no debt limit), bands A at 4.00 and B at
    /// 5.50, on the runtime connection of `db`; each can be changed before `build`.
    pub fn on(db: &TestDatabase) -> WorldBuilder {
        WorldBuilder {
            db: db.runtime.clone(),
            slug: "prova".to_owned(),
            policy: BalancePolicy {
                reminder_threshold: money("10.00"),
                debt_limit: None,
                over_limit: OverLimit::Flag,
            },
            bands: vec![
                ("A".to_owned(), money("4.00")),
                ("B".to_owned(), money("5.50")),
            ],
        }
    }

    /// A guardian (`genitore<n>`) with an account and a child on each of `bands`, all in
    /// the comune's class.
    pub async fn family(&self, bands: &[&str]) -> Guardian {
        let n = self.families.fetch_add(1, Ordering::Relaxed);
        let tenant = self.tenant.id;
        let txn = tenancy::scope::begin(&self.db, tenant)
            .await
            .expect("a transaction");
        let username = format!("genitore{n}");
        let new_guardian = NewGuardian {
            username: username.clone(),
            password_hash: registry::PasswordHash::from_stored("x".into()),
            first_name: "Anna".into(),
            last_name: "Rossi".into(),
            fiscal_code: fiscal_code(n * 8),
            email: None,
            phone: None,
        };
        let guardian = registry::create_guardian(&txn, tenant, new_guardian)
            .await
            .expect("the guardian is created");
        let account = accounts::open_account(&txn, tenant, guardian.id)
            .await
            .expect("the account opens");
        let mut students = Vec::new();
        for (index, band) in (1..).zip(bands) {
            let child = NewStudent {
                guardian: guardian.id,
                first_name: format!("Figlio{index}"),
                last_name: "Rossi".into(),
                fiscal_code: fiscal_code(n * 8 + index),
                birth_date: date("2018-05-05"),
            };
            let student = registry::create_student(&txn, tenant, child)
                .await
                .expect("the child is created");
            let enrolment = NewEnrolment {
                class: self.class,
                tariff_band_code: (*band).into(),
                diet: Diet::Normal,
                valid_from: date(YEAR_START),
            };
            registry::enrol(&txn, tenant, student.id, enrolment)
                .await
                .expect("the child is enrolled");
            students.push(student.id);
        }
        txn.commit().await.expect("the family is saved");
        Guardian {
            id: guardian.id,
            username,
            account,
            students,
        }
    }
}

impl WorldBuilder {
    pub fn comune(mut self, slug: &str) -> Self {
        slug.clone_into(&mut self.slug);
        self
    }

    pub fn policy(mut self, policy: BalancePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Tariff bands as (code, meal price), valid from the start of the school year.
    pub fn bands(mut self, bands: &[(&str, &str)]) -> Self {
        self.bands = bands
            .iter()
            .map(|(code, price)| ((*code).to_owned(), money(price)))
            .collect();
        self
    }

    pub async fn build(self) -> World {
        let directory = TenantDirectory::new(self.db.clone());
        let txn = self.db.begin().await.expect("a transaction");
        let tenant = directory
            .create(&txn, new_tenant(&self.slug, self.policy))
            .await
            .expect("the comune is created");
        tenancy::scope::enter(&txn, tenant.id)
            .await
            .expect("the comune's scope");
        for (code, price) in self.bands {
            let band = tenancy::TariffBand {
                name: format!("Fascia {code}"),
                code,
                meal_price: price,
                valid_from: date(YEAR_START),
            };
            tenancy::add_price(&txn, tenant.id, &band)
                .await
                .expect("the band is priced");
        }
        let school = registry::create_school(&txn, tenant.id, "Scuola", "Via Roma 1")
            .await
            .expect("the school is created");
        let weekdays = [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ];
        let class = NewClass {
            school: school.id,
            name: "1A".into(),
            meal_days: MealDays::from_days(&weekdays),
        };
        let class = registry::create_class(&txn, tenant.id, class)
            .await
            .expect("the class is created");
        txn.commit().await.expect("the comune is saved");
        World {
            tenant: Arc::new(tenant),
            class,
            db: self.db,
            families: AtomicU32::new(0),
        }
    }
}

fn new_tenant(slug: &str, balance_policy: BalancePolicy) -> NewTenant {
    NewTenant {
        slug: TenantSlug::parse(slug).expect("a valid slug"),
        name: format!("Comune di {slug}"),
        branding: Branding {
            primary_color: "#123456".into(),
            logo_url: None,
        },
        contacts: Contacts::default(),
        creditor: Creditor {
            fiscal_code: EntityFiscalCode::parse("80001234568").expect("a valid fiscal code"),
            aux_digit: 3,
            segregation_code: "01".into(),
            iban: Iban::parse("IT60X0542811101000000123456").expect("a valid IBAN"),
            postal_account: None,
            cbill_code: None,
        },
        balance_policy,
        top_up_limits: TopUpLimits {
            min: money("1.00"),
            max: money("500.00"),
        },
    }
}

fn money(value: &str) -> Money {
    value.parse().expect("a valid amount")
}

fn date(value: &str) -> NaiveDate {
    value.parse().expect("a valid date")
}

/// A valid, distinct personal fiscal code for every `n` below 33,600.
pub fn fiscal_code(n: u32) -> PersonFiscalCode {
    let months = "ABCDEHLMPRST";
    let year = n % 100;
    let month = months
        .chars()
        .nth(usize::try_from((n / 100) % 12).unwrap_or_default())
        .unwrap_or('A');
    let day = (n / 1200) % 28 + 1;
    let stem = format!("RSSNNA{year:02}{month}{day:02}H501");
    ('A'..='Z')
        .find_map(|check| PersonFiscalCode::parse(&format!("{stem}{check}")).ok())
        .expect("some check letter fits")
}
