//! The ledger as the database holds it, read by the schema's owner (no row-level
//! security), for checks after the gateways under test have stopped or gone quiet.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

pub struct Books {
    db: DatabaseConnection,
}

/// One family account: its running balance, its version and what its ledger rows add up to.
#[derive(Debug, PartialEq, Eq)]
pub struct AccountBooks {
    pub account: i64,
    pub guardian: i64,
    pub balance_cents: i64,
    pub version: i64,
    pub sum_cents: i64,
    pub rows: i64,
}

impl Books {
    pub async fn open(database_url: &str) -> Books {
        Books {
            db: sea_orm::Database::connect(database_url).await.unwrap(),
        }
    }

    /// The owner's connection, for what the test sets up behind the gateways' backs.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    async fn rows(&self, sql: &str, values: Vec<sea_orm::Value>) -> Vec<sea_orm::QueryResult> {
        self.db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await
            .unwrap()
    }

    pub async fn tenant_id(&self, slug: &str) -> i64 {
        let rows = self
            .rows("SELECT id FROM tenants WHERE slug = $1", vec![slug.into()])
            .await;
        rows[0].try_get_by_index(0).unwrap()
    }

    /// (student id, guardian id) of every student of the comune.
    pub async fn students(&self, tenant: i64) -> Vec<(i64, i64)> {
        self.rows(
            "SELECT id, guardian_id FROM students WHERE tenant_id = $1 ORDER BY id",
            vec![tenant.into()],
        )
        .await
        .iter()
        .map(|row| {
            (
                row.try_get_by_index(0).unwrap(),
                row.try_get_by_index(1).unwrap(),
            )
        })
        .collect()
    }

    pub async fn accounts(&self, tenant: i64) -> Vec<AccountBooks> {
        self.rows(
            "SELECT a.id, a.guardian_id, a.balance_cents, a.version, \
                    COALESCE(SUM(l.amount_cents), 0)::BIGINT, COUNT(l.id) \
             FROM family_accounts a LEFT JOIN ledger_entries l ON l.account_id = a.id \
             WHERE a.tenant_id = $1 GROUP BY a.id ORDER BY a.id",
            vec![tenant.into()],
        )
        .await
        .iter()
        .map(|row| AccountBooks {
            account: row.try_get_by_index(0).unwrap(),
            guardian: row.try_get_by_index(1).unwrap(),
            balance_cents: row.try_get_by_index(2).unwrap(),
            version: row.try_get_by_index(3).unwrap(),
            sum_cents: row.try_get_by_index(4).unwrap(),
            rows: row.try_get_by_index(5).unwrap(),
        })
        .collect()
    }

    /// Meals in the ledger by (student, date as YYYY-MM-DD), with how many rows each has.
    pub async fn meals(&self, tenant: i64) -> std::collections::HashMap<(i64, String), i64> {
        self.rows(
            "SELECT student_id, entry_date::TEXT, COUNT(*) FROM ledger_entries \
             WHERE tenant_id = $1 AND kind = 'meal' GROUP BY student_id, entry_date",
            vec![tenant.into()],
        )
        .await
        .iter()
        .map(|row| {
            (
                (
                    row.try_get_by_index(0).unwrap(),
                    row.try_get_by_index(1).unwrap(),
                ),
                row.try_get_by_index(2).unwrap(),
            )
        })
        .collect()
    }

    /// Each student's meal price, from the meals already in the ledger (one price each).
    pub async fn meal_prices(&self, tenant: i64) -> std::collections::HashMap<i64, i64> {
        self.rows(
            "SELECT student_id, MIN(-amount_cents), MAX(-amount_cents) FROM ledger_entries \
             WHERE tenant_id = $1 AND kind = 'meal' GROUP BY student_id",
            vec![tenant.into()],
        )
        .await
        .iter()
        .map(|row| {
            let (low, high): (i64, i64) = (
                row.try_get_by_index(1).unwrap(),
                row.try_get_by_index(2).unwrap(),
            );
            assert_eq!(low, high, "one price per student");
            (row.try_get_by_index(0).unwrap(), low)
        })
        .collect()
    }

    /// Ledger rows whose reference is `reference` (a receipt, a voucher reference).
    pub async fn rows_with_reference(&self, tenant: i64, reference: &str) -> i64 {
        let rows = self
            .rows(
                "SELECT COUNT(*) FROM ledger_entries WHERE tenant_id = $1 AND reference = $2",
                vec![tenant.into(), reference.into()],
            )
            .await;
        rows[0].try_get_by_index(0).unwrap()
    }
}
