use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_anomalies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub receipt_id: String,
    pub notice_number: String,
    pub position_id: Option<i64>,
    pub account_id: Option<i64>,
    pub paid_cents: i64,
    pub expected_cents: Option<i64>,
    pub credit_cents: i64,
    pub credit_date: Date,
    pub reason: String,
    pub received_at: DateTimeWithTimeZone,
    pub status: String,
    pub credited_account_id: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeWithTimeZone>,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
