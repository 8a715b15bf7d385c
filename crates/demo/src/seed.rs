//! Creating the demo comuni through the same domain code as real operations.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use accounts::{Command, IdempotencyKey, LedgerError};
use chrono::{Datelike, NaiveDate};
use money::Money;
use registry::{
    Diet, MealDays, NewClass, NewEnrolment, NewGuardian, NewOperator, NewStudent, RegistryError,
    StudentId,
};
use sea_orm::{DbErr, TransactionTrait};
use tenancy::{
    BalancePolicy, Branding, Contacts, Creditor, DirectoryError, EntityFiscalCode, Iban, NewTenant,
    OverLimit, Tenant, TenantSlug, TopUpLimits,
};

use crate::PASSWORD;
use crate::data::{Comune, Family, GREVE, MEALS_MONTH, SAN_CASCIANO};
use app::App;

/// Who the demo's movements are recorded as.
const ACTOR: &str = "demo-seed";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("demo data is invalid (a bug in the demo itself)")]
    Data(#[source] app::Cause),
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Tariff(#[from] tenancy::TariffError),
    #[error(transparent)]
    Content(#[from] content::ContentError),
}

/// What a run of the seed did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeedOutcome {
    pub comuni_created: usize,
    pub movements_posted: usize,
    pub movements_already_there: usize,
}

impl SeedOutcome {
    fn count(&mut self, posted: usize, already_there: usize) {
        self.movements_posted += posted;
        self.movements_already_there += already_there;
    }
}

impl fmt::Display for SeedOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} comuni created, {} movements posted, {} already present",
            self.comuni_created, self.movements_posted, self.movements_already_there
        )
    }
}

/// Creates whatever part of the demo is missing; running it again changes nothing.
///
/// Each comune's registry is created in one transaction, so a comune exists whole or not
/// at all; its movements then go through the ledger, whose idempotency keys make a
/// repeated run (or one resumed after a crash) post nothing twice.
pub async fn seed(app: &App) -> Result<SeedOutcome, DemoError> {
    let mut outcome = SeedOutcome::default();
    for comune in [&SAN_CASCIANO, &GREVE] {
        let slug = TenantSlug::parse(comune.slug).map_err(data_error)?;
        let tenant = match app.tenants.by_slug(&slug).await? {
            Some(tenant) => tenant,
            None => {
                outcome.comuni_created += 1;
                Arc::new(create_comune(app, comune).await?)
            }
        };
        for family in comune.families {
            post_movements(app, &tenant, family, &mut outcome).await?;
        }
    }
    Ok(outcome)
}

async fn create_comune(app: &App, comune: &Comune) -> Result<Tenant, DemoError> {
    let password_hash = tokio::task::spawn_blocking(|| registry::hash_password(PASSWORD))
        .await
        .map_err(data_error)?
        .map_err(data_error)?;
    let txn = app.db.begin().await?;
    let tenant = app.tenants.create(&txn, new_tenant(comune)?).await?;
    tenancy::scope::enter(&txn, tenant.id).await?;
    let id = tenant.id;
    let valid_from = NaiveDate::from_ymd_opt(2026, 9, 1).ok_or_else(|| data_error("date"))?;
    for (code, name, cents) in comune.bands {
        let band = tenancy::TariffBand {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            meal_price: money(*cents)?,
            valid_from,
        };
        tenancy::add_price(&txn, id, &band).await?;
    }
    let mut classes = Vec::new();
    for school in comune.schools {
        let created = registry::create_school(&txn, id, school.name, school.address).await?;
        let mut ids = Vec::new();
        for (name, days) in school.classes {
            let class = NewClass {
                school: created.id,
                name: (*name).to_owned(),
                meal_days: MealDays::from_days(days),
            };
            ids.push(registry::create_class(&txn, id, class).await?);
        }
        classes.push(ids);
    }
    registry::create_operator(
        &txn,
        id,
        NewOperator {
            username: "operatore".to_owned(),
            password_hash: password_hash.clone(),
            first_name: "Ufficio".to_owned(),
            last_name: "Scuola".to_owned(),
            email: Some(comune.email.to_owned()),
            can_read_health_data: true,
        },
    )
    .await?;
    for family in comune.families {
        let guardian = registry::create_guardian(
            &txn,
            id,
            NewGuardian {
                username: family.username.to_owned(),
                password_hash: password_hash.clone(),
                first_name: family.first_name.to_owned(),
                last_name: family.last_name.to_owned(),
                fiscal_code: tenancy::PersonFiscalCode::parse(family.fiscal_code)
                    .map_err(data_error)?,
                email: Some(family.email.to_owned()),
                phone: Some(family.phone.to_owned()),
            },
        )
        .await?;
        accounts::open_account(&txn, id, guardian.id).await?;
        for child in family.children {
            let (year, month, day) = child.birth_date;
            let student = registry::create_student(
                &txn,
                id,
                NewStudent {
                    guardian: guardian.id,
                    first_name: child.first_name.to_owned(),
                    last_name: family.last_name.to_owned(),
                    fiscal_code: tenancy::PersonFiscalCode::parse(child.fiscal_code)
                        .map_err(data_error)?,
                    birth_date: NaiveDate::from_ymd_opt(year, month, day)
                        .ok_or_else(|| data_error("birth date"))?,
                },
            )
            .await?;
            let class = classes
                .get(child.class.0)
                .and_then(|school| school.get(child.class.1))
                .ok_or_else(|| data_error("class index"))?;
            let diet = match child.special_diet {
                None => Diet::Normal,
                Some(detail) => Diet::Special {
                    detail: detail.to_owned(),
                },
            };
            let enrolment = NewEnrolment {
                class: *class,
                tariff_band_code: child.band.to_owned(),
                diet,
                valid_from,
            };
            registry::enrol(&txn, id, student.id, enrolment).await?;
        }
    }
    for (title, body) in comune.news {
        content::publish_news(&txn, id, title, body).await?;
    }
    for (title, file_name) in comune.documents {
        let storage_key = format!("demo-{file_name}");
        app.documents
            .put(id, &storage_key, crate::data::SAMPLE_PDF.to_vec())
            .await
            .map_err(data_error)?;
        content::add_document(
            &txn,
            id,
            content::NewDocument {
                title: (*title).to_owned(),
                file_name: (*file_name).to_owned(),
                content_type: "application/pdf".to_owned(),
                size_bytes: i64::try_from(crate::data::SAMPLE_PDF.len()).map_err(data_error)?,
                storage_key,
            },
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(tenant.slug = comune.slug, "demo comune created");
    Ok(tenant)
}

async fn post_movements(
    app: &App,
    tenant: &Arc<Tenant>,
    family: &Family,
    outcome: &mut SeedOutcome,
) -> Result<(), DemoError> {
    let txn = tenancy::scope::begin(&app.db, tenant.id).await?;
    let guardian = registry::guardian_by_username(&txn, tenant.id, family.username)
        .await?
        .ok_or_else(|| data_error("demo guardian missing"))?;
    let account = accounts::account_of_guardian(&txn, tenant.id, guardian.id)
        .await?
        .ok_or_else(|| data_error("demo account missing"))?;
    let students = registry::students_of(&txn, tenant.id, guardian.id).await?;
    let mut meals_by_day: BTreeMap<NaiveDate, Vec<StudentId>> = BTreeMap::new();
    for student in &students {
        for date in month_days(MEALS_MONTH) {
            let Some(enrolment) = registry::enrolment_on(&txn, tenant.id, student.id, date).await?
            else {
                continue;
            };
            let class = registry::class(&txn, tenant.id, enrolment.class).await?;
            if class.meal_days.includes_date(date) {
                meals_by_day.entry(date).or_default().push(student.id);
            }
        }
    }
    // Reads only: release the connection before the ledger opens its own transactions.
    txn.commit().await?;

    let top_up_date = NaiveDate::from_ymd_opt(2026, 9, 28).ok_or_else(|| data_error("date"))?;
    let mut credits = Vec::new();
    for (reference, cents) in family.voucher_recoveries {
        let key = IdempotencyKey::client(&format!("demo-voucher-{}", guardian.id))
            .ok_or_else(|| data_error("key"))?;
        credits.push(Command::VoucherRecovery {
            amount: money(*cents)?,
            reference: (*reference).to_owned(),
            date: top_up_date,
            key,
        });
    }
    for (receipt_id, cents) in family.top_ups {
        credits.push(Command::TopUp {
            amount: money(*cents)?,
            receipt_id: (*receipt_id).to_owned(),
            date: top_up_date,
        });
    }
    for command in credits {
        let posted = app
            .accounts
            .execute(tenant, account, command, ACTOR)
            .await?;
        outcome.count(usize::from(!posted.repeated), usize::from(posted.repeated));
    }
    for (date, students) in meals_by_day {
        let day = app
            .accounts
            .post_meals(tenant, date, &students, false, ACTOR)
            .await?;
        if let Some(refused) = day.refused.first() {
            return Err(data_error(format!("demo meal refused: {}", refused.reason)));
        }
        outcome.count(day.posted, day.already_posted);
    }
    Ok(())
}

fn new_tenant(comune: &Comune) -> Result<NewTenant, DemoError> {
    Ok(NewTenant {
        slug: TenantSlug::parse(comune.slug).map_err(data_error)?,
        name: comune.name.to_owned(),
        branding: Branding {
            primary_color: comune.primary_color.to_owned(),
            logo_url: None,
        },
        contacts: Contacts {
            email: Some(comune.email.to_owned()),
            phone: Some(comune.phone.to_owned()),
            address: Some(comune.address.to_owned()),
        },
        creditor: Creditor {
            fiscal_code: EntityFiscalCode::parse(comune.fiscal_code).map_err(data_error)?,
            aux_digit: 3,
            segregation_code: comune.segregation_code.to_owned(),
            iban: Iban::parse(comune.iban).map_err(data_error)?,
            postal_account: comune.postal_account.map(str::to_owned),
            cbill_code: None,
        },
        balance_policy: BalancePolicy {
            reminder_threshold: money(3_000)?,
            debt_limit: Some(money(50_000)?),
            over_limit: OverLimit::Flag,
        },
        top_up_limits: TopUpLimits {
            min: money(500)?,
            max: money(50_000)?,
        },
    })
}

fn month_days((year, month): (i32, u32)) -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    first
        .into_iter()
        .flat_map(|first| first.iter_days())
        .take_while(move |day| day.month() == month)
}

fn money(cents: i64) -> Result<Money, DemoError> {
    Money::from_cents(cents).map_err(data_error)
}

fn data_error(error: impl Into<app::Cause>) -> DemoError {
    DemoError::Data(error.into())
}
