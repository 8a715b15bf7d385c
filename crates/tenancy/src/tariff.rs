//! Tariff bands (fasce ISEE): the price of one meal, which changes over time.
//!
//! A band is identified by its code; each row is that code's price from `valid_from`
//! until the day before the next row starts. A price change adds a row and never
//! rewrites the meals already posted at the old price.

use chrono::NaiveDate;
use money::Money;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::TenantId;
use crate::entity::tariff_band;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffBand {
    pub code: String,
    pub name: String,
    pub meal_price: Money,
    pub valid_from: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum TariffError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("tariff band '{code}' has no price in force on {date}")]
    NoPriceOn { code: String, date: NaiveDate },
    #[error("tariff band '{code}' holds an invalid price")]
    CorruptPrice {
        code: String,
        #[source]
        problem: money::MoneyError,
    },
}

/// The band `code` as in force on `date`.
pub async fn band_on(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    code: &str,
    date: NaiveDate,
) -> Result<TariffBand, TariffError> {
    let row = tariff_band::Entity::find()
        .filter(tariff_band::Column::TenantId.eq(tenant.get()))
        .filter(tariff_band::Column::Code.eq(code))
        .filter(tariff_band::Column::ValidFrom.lte(date))
        .order_by_desc(tariff_band::Column::ValidFrom)
        .one(db)
        .await?;
    let row = row
        .filter(|row| row.valid_to.is_none_or(|to| date <= to))
        .ok_or_else(|| TariffError::NoPriceOn {
            code: code.to_owned(),
            date,
        })?;
    into_band(row)
}

/// Every band of the comune as in force on `date`.
pub async fn bands_on(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    date: NaiveDate,
) -> Result<Vec<TariffBand>, TariffError> {
    let rows = tariff_band::Entity::find()
        .filter(tariff_band::Column::TenantId.eq(tenant.get()))
        .filter(tariff_band::Column::ValidFrom.lte(date))
        .order_by_asc(tariff_band::Column::Code)
        .order_by_desc(tariff_band::Column::ValidFrom)
        .all(db)
        .await?;
    let mut bands: Vec<TariffBand> = Vec::new();
    for row in rows {
        let in_force = row.valid_to.is_none_or(|to| date <= to);
        let newest_of_code = bands.last().is_none_or(|last| last.code != row.code);
        if in_force && newest_of_code {
            bands.push(into_band(row)?);
        }
    }
    Ok(bands)
}

/// Adds a price for `code` from `valid_from` on.
pub async fn add_price(
    db: &impl ConnectionTrait,
    tenant: TenantId,
    band: &TariffBand,
) -> Result<(), TariffError> {
    tariff_band::ActiveModel {
        tenant_id: Set(tenant.get()),
        code: Set(band.code.clone()),
        name: Set(band.name.clone()),
        meal_price_cents: Set(band.meal_price.cents()),
        valid_from: Set(band.valid_from),
        valid_to: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn into_band(row: tariff_band::Model) -> Result<TariffBand, TariffError> {
    let meal_price =
        Money::from_cents(row.meal_price_cents).map_err(|e| TariffError::CorruptPrice {
            code: row.code.clone(),
            problem: e,
        })?;
    Ok(TariffBand {
        code: row.code,
        name: row.name,
        meal_price,
        valid_from: row.valid_from,
    })
}
