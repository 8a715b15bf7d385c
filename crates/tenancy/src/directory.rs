//! Finding a comune by its subdomain or its pagoPA creditor code, and onboarding one.
//!
//! Every request needs its tenant, so lookups are cached in memory for a short while:
//! a branding change reaches every replica within `CACHE_TTL` without any coordination.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use money::Money;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set,
};

use crate::entity::tenant;
use crate::tenant::{BalancePolicy, Branding, Contacts, Creditor, OverLimit, Tenant, TopUpLimits};
use crate::{EntityFiscalCode, Iban, TenantId, TenantSlug};

const CACHE_TTL: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("tenant row {id} is invalid")]
    CorruptRow {
        id: i64,
        #[source]
        problem: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("invalid comune: {0}")]
    Invalid(String),
    #[error("a comune with slug '{0}' or the same creditor fiscal code already exists")]
    AlreadyExists(String),
}

#[derive(Debug)]
pub struct TenantDirectory {
    db: DatabaseConnection,
    by_slug: RwLock<HashMap<TenantSlug, (Arc<Tenant>, Instant)>>,
    /// The pagoPA Node names the comune in every call; its SLA is tight.
    by_creditor: RwLock<HashMap<String, (Arc<Tenant>, Instant)>>,
}

impl TenantDirectory {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            by_slug: RwLock::new(HashMap::new()),
            by_creditor: RwLock::new(HashMap::new()),
        }
    }

    pub async fn by_slug(&self, slug: &TenantSlug) -> Result<Option<Arc<Tenant>>, DirectoryError> {
        if let Some(tenant) = self.cached(slug) {
            return Ok(Some(tenant));
        }
        let row = tenant::Entity::find()
            .filter(tenant::Column::Slug.eq(slug.as_str()))
            .one(&self.db)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let tenant = Arc::new(from_row(row)?);
        if let Ok(mut cache) = self.by_slug.write() {
            cache.insert(slug.clone(), (Arc::clone(&tenant), Instant::now()));
        }
        Ok(Some(tenant))
    }

    /// The comune that pagoPA names by its creditor fiscal code (`idPA`).
    /// An unknown code is not remembered, so a comune onboarded a moment ago is found.
    pub async fn by_creditor(&self, fiscal_code: &str) -> Result<Option<Tenant>, DirectoryError> {
        if let Some(tenant) = fresh(&self.by_creditor, fiscal_code) {
            return Ok(Some(Tenant::clone(&tenant)));
        }
        let Some(row) = tenant::Entity::find()
            .filter(tenant::Column::CreditorFiscalCode.eq(fiscal_code))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let tenant = from_row(row)?;
        if let Ok(mut cache) = self.by_creditor.write() {
            cache.insert(
                fiscal_code.to_owned(),
                (Arc::new(tenant.clone()), Instant::now()),
            );
        }
        Ok(Some(tenant))
    }

    pub async fn all(&self) -> Result<Vec<Tenant>, DirectoryError> {
        tenant::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(from_row)
            .collect()
    }

    /// Onboards a comune; `db` may be a transaction that also creates its first data.
    pub async fn create(
        &self,
        db: &impl ConnectionTrait,
        new: NewTenant,
    ) -> Result<Tenant, DirectoryError> {
        if !is_hex_colour(&new.branding.primary_color) {
            return Err(DirectoryError::Invalid(format!(
                "primary colour '{}' is not of the form #rrggbb",
                new.branding.primary_color
            )));
        }
        let slug = new.slug.as_str().to_owned();
        let row = tenant::ActiveModel {
            slug: Set(slug.clone()),
            name: Set(new.name),
            creditor_fiscal_code: Set(new.creditor.fiscal_code.as_str().to_owned()),
            aux_digit: Set(i16::from(new.creditor.aux_digit)),
            segregation_code: Set(new.creditor.segregation_code),
            iban: Set(new.creditor.iban.as_str().to_owned()),
            postal_account: Set(new.creditor.postal_account),
            cbill_code: Set(new.creditor.cbill_code),
            primary_color: Set(new.branding.primary_color),
            logo_url: Set(new.branding.logo_url),
            contact_email: Set(new.contacts.email),
            contact_phone: Set(new.contacts.phone),
            address: Set(new.contacts.address),
            reminder_threshold_cents: Set(new.balance_policy.reminder_threshold.cents()),
            debt_limit_cents: Set(new.balance_policy.debt_limit.map(Money::cents)),
            debt_policy: Set(new.balance_policy.over_limit.as_str().to_owned()),
            min_top_up_cents: Set(new.top_up_limits.min.cents()),
            max_top_up_cents: Set(new.top_up_limits.max.cents()),
            created_at: Set(chrono::Utc::now().fixed_offset()),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(|error| match error.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                DirectoryError::AlreadyExists(slug)
            }
            _ => DirectoryError::Database(error),
        })?;
        from_row(row)
    }

    fn cached(&self, slug: &TenantSlug) -> Option<Arc<Tenant>> {
        fresh(&self.by_slug, slug)
    }
}

fn fresh<K, Q>(cache: &RwLock<HashMap<K, (Arc<Tenant>, Instant)>>, key: &Q) -> Option<Arc<Tenant>>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    let cache = cache.read().ok()?;
    let (tenant, loaded) = cache.get(key)?;
    (loaded.elapsed() < CACHE_TTL).then(|| Arc::clone(tenant))
}

/// What onboarding a comune needs: everything of a `Tenant` but its id.
#[derive(Clone, Debug)]
pub struct NewTenant {
    pub slug: TenantSlug,
    pub name: String,
    pub branding: Branding,
    pub contacts: Contacts,
    pub creditor: Creditor,
    pub balance_policy: BalancePolicy,
    pub top_up_limits: TopUpLimits,
}

fn from_row(row: tenant::Model) -> Result<Tenant, DirectoryError> {
    let id = row.id;
    let corrupt = |problem: Box<dyn std::error::Error + Send + Sync>| DirectoryError::CorruptRow {
        id,
        problem,
    };
    let money = |cents: i64| Money::from_cents(cents).map_err(|e| corrupt(e.into()));
    Ok(Tenant {
        id: TenantId::new(row.id),
        slug: TenantSlug::parse(&row.slug).map_err(|e| corrupt(e.into()))?,
        name: row.name,
        branding: Branding {
            primary_color: row.primary_color,
            logo_url: row.logo_url,
        },
        contacts: Contacts {
            email: row.contact_email,
            phone: row.contact_phone,
            address: row.address,
        },
        creditor: Creditor {
            fiscal_code: EntityFiscalCode::parse(&row.creditor_fiscal_code)
                .map_err(|e| corrupt(e.into()))?,
            aux_digit: u8::try_from(row.aux_digit).map_err(|e| corrupt(e.into()))?,
            segregation_code: row.segregation_code,
            iban: Iban::parse(&row.iban).map_err(|e| corrupt(e.into()))?,
            postal_account: row.postal_account,
            cbill_code: row.cbill_code,
        },
        balance_policy: BalancePolicy {
            reminder_threshold: money(row.reminder_threshold_cents)?,
            debt_limit: row.debt_limit_cents.map(money).transpose()?,
            over_limit: OverLimit::parse(&row.debt_policy).ok_or_else(|| {
                corrupt(format!("unknown debt policy '{}'", row.debt_policy).into())
            })?,
        },
        top_up_limits: TopUpLimits {
            min: money(row.min_top_up_cents)?,
            max: money(row.max_top_up_cents)?,
        },
    })
}

/// Colours end up inside the page's CSS: only `#rrggbb` may get there.
fn is_hex_colour(value: &str) -> bool {
    value.len() == 7
        && value.starts_with('#')
        && value.chars().skip(1).all(|c| c.is_ascii_hexdigit())
}
