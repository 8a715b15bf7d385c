use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tenants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub creditor_fiscal_code: String,
    pub aux_digit: i16,
    pub segregation_code: String,
    pub iban: String,
    pub postal_account: Option<String>,
    pub cbill_code: Option<String>,
    pub primary_color: String,
    pub logo_url: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub address: Option<String>,
    pub reminder_threshold_cents: i64,
    pub debt_limit_cents: Option<i64>,
    pub debt_policy: String,
    pub min_top_up_cents: i64,
    pub max_top_up_cents: i64,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
