//! Row-level security on PostgreSQL: a second wall behind the query filters.
//!
//! Every query of the gateway already filters by tenant. If one ever forgets, the database
//! itself still shows only the rows of the comune set for the transaction
//! (`SELECT set_config('mensa.tenant_id', …, true)`). This only holds for a role that
//! neither owns the tables nor bypasses RLS, so the gateway works as `mensa_app`.

/// The role the gateway works as at run time (a `NOLOGIN` group role that the login user
/// switches to: see the gateway's database settings).
pub const RUNTIME_ROLE: &str = "mensa_app";

/// The same PostgreSQL login, switched at connection start to `RUNTIME_ROLE`: the URL the
/// gateway works with after migrating as the owner.
pub fn runtime_url(owner_url: &str) -> String {
    let separator = if owner_url.contains('?') { '&' } else { '?' };
    format!("{owner_url}{separator}options%5Brole%5D={RUNTIME_ROLE}")
}

/// The setting that carries the current transaction's tenant id. The running code sets it
/// through `tenancy::scope`, which owns the name; this copy is what the policies were
/// created with, kept here so that no crate needs the migrations at run time, and tested
/// equal to tenancy's.
const TENANT_SETTING: &str = "mensa.tenant_id";

/// Every table that holds a comune's data.
pub const TENANT_TABLES: &[&str] = &[
    "tariff_bands",
    "schools",
    "classes",
    "guardians",
    "operators",
    "students",
    "enrolments",
    "family_accounts",
    "ledger_entries",
    "payment_positions",
    "payment_receipts",
    "payment_anomalies",
    "notice_sequences",
    "news",
    "documents",
    "audit_log",
    "sessions",
    "api_keys",
];

/// Tables whose rows are never changed once written: the runtime role may only add to them.
const APPEND_ONLY: &[&str] = &["ledger_entries", "audit_log", "payment_receipts"];

/// Creates `RUNTIME_ROLE` unless it exists. Roles are shared by the whole cluster: two
/// schemas migrating at once may both try, and a test connects as the role before its
/// database is migrated.
pub fn create_runtime_role() -> String {
    format!(
        "DO $$ BEGIN CREATE ROLE {RUNTIME_ROLE} NOLOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    )
}

/// The statements that (re)apply the policies and grants; each is idempotent, so they run
/// after every migration and cover tables added later.
pub fn statements() -> Vec<String> {
    let mut sql = vec![
        create_runtime_role(),
        format!(
            "DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO {RUNTIME_ROLE}', current_schema()); END $$"
        ),
        format!("GRANT SELECT, INSERT, UPDATE ON tenants TO {RUNTIME_ROLE}"),
        format!(
            "DO $$ BEGIN EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO {RUNTIME_ROLE}', current_schema()); END $$"
        ),
    ];
    let current_tenant = format!("NULLIF(current_setting('{TENANT_SETTING}', true), '')::bigint");
    for table in TENANT_TABLES {
        let privileges = if APPEND_ONLY.contains(table) {
            "SELECT, INSERT"
        } else {
            "SELECT, INSERT, UPDATE, DELETE"
        };
        sql.push(format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"));
        sql.push(format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"));
        sql.push(format!("DROP POLICY IF EXISTS tenant_isolation ON {table}"));
        sql.push(format!(
            "CREATE POLICY tenant_isolation ON {table} \
             USING (tenant_id = {current_tenant}) WITH CHECK (tenant_id = {current_tenant})"
        ));
        sql.push(format!("GRANT {privileges} ON {table} TO {RUNTIME_ROLE}"));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_url_adds_the_role_option() {
        assert_eq!(
            runtime_url("postgres://u@h/db"),
            "postgres://u@h/db?options%5Brole%5D=mensa_app"
        );
        assert_eq!(
            runtime_url("postgres://u@h/db?sslmode=disable"),
            "postgres://u@h/db?sslmode=disable&options%5Brole%5D=mensa_app"
        );
    }

    #[test]
    fn the_policies_read_the_setting_the_code_sets() {
        assert_eq!(TENANT_SETTING, tenancy::scope::TENANT_SETTING);
    }
}
