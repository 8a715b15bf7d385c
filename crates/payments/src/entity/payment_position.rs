use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_positions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub account_id: i64,
    pub guardian_id: i64,
    pub amount_cents: i64,
    pub iuv: String,
    pub notice_number: String,
    pub status: String,
    pub due_date: Date,
    pub description: String,
    pub taxonomy: String,
    pub iban: String,
    pub receipt_id: Option<String>,
    pub paid_at: Option<DateTimeWithTimeZone>,
    pub created_at: DateTimeWithTimeZone,
    pub aca_synced_at: Option<DateTimeWithTimeZone>,
    pub issued_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
