use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_receipts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub receipt_id: String,
    pub notice_number: String,
    pub position_id: Option<i64>,
    pub account_id: Option<i64>,
    pub primitive: String,
    pub outcome: String,
    pub paid_cents: i64,
    pub credit_cents: i64,
    pub credit_date: Date,
    pub stand_in: bool,
    pub flags: String,
    pub psp_id: Option<String>,
    pub payment_date_time: Option<String>,
    pub document: String,
    pub received_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
