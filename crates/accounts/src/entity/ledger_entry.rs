use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub account_id: i64,
    pub kind: String,
    pub amount_cents: i64,
    pub student_id: Option<i64>,
    pub entry_date: Date,
    pub description: String,
    pub reference: Option<String>,
    pub idempotency_key: String,
    pub command_hash: String,
    pub reverses_entry_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
