//! Column shapes shared by every table, so that ids, tenants, money and times are the
//! same type everywhere.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_pk_auto, timestamp_with_time_zone};

/// A table of one comune's data: a BIGINT id and the owning `tenant_id`.
pub fn tenant_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(big_pk_auto("id"))
        .col(big_integer("tenant_id"))
        .foreign_key(
            ForeignKey::create()
                .from(name, "tenant_id")
                .to("tenants", "id")
                .on_delete(ForeignKeyAction::Restrict),
        )
        .to_owned()
}

/// A reference to another table of the same comune.
pub fn references(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    to: &'static str,
) {
    table.foreign_key(
        ForeignKey::create()
            .from(from, column)
            .to(to, "id")
            .on_delete(ForeignKeyAction::Restrict),
    );
}

/// Money is whole cents: never a float, never a SQLite REAL.
pub fn cents(name: &'static str) -> ColumnDef {
    big_integer(name)
}

pub fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
        .default(Expr::current_timestamp())
        .to_owned()
}

/// Every lookup by tenant starts with `tenant_id`, so it leads each index.
pub fn tenant_index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).col("tenant_id");
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}
