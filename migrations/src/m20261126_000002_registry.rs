//! The people of a comune: guardians who pay, operators who run the service, students and
//! their enrolment in the meal service.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::columns::{created_at, references, tenant_index, tenant_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, extra) in [("guardians", true), ("operators", false)] {
            let mut people = tenant_table(table);
            people
                .col(string_len("username", 64))
                .col(string("password_hash"))
                .col(string("first_name"))
                .col(string("last_name"))
                .col(string_null("email"))
                .col(created_at());
            if extra {
                people
                    .col(string_len("fiscal_code", 16))
                    .col(string_null("phone"));
            } else {
                // Which operator may read health data (special diets): see the audit log.
                people.col(boolean("can_read_health_data").default(false));
            }
            manager.create_table(people).await?;
        }
        manager
            .create_index(
                tenant_index("guardians", "guardians_username", &["username"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                tenant_index("operators", "operators_username", &["username"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut students = tenant_table("students");
        students
            .col(big_integer("guardian_id"))
            .col(string("first_name"))
            .col(string("last_name"))
            .col(string_len("fiscal_code", 16))
            .col(date("birth_date"));
        references(&mut students, "students", "guardian_id", "guardians");
        manager.create_table(students).await?;
        manager
            .create_index(tenant_index(
                "students",
                "students_guardian",
                &["guardian_id"],
            ))
            .await?;
        manager
            .create_index(
                tenant_index("students", "students_fiscal_code", &["fiscal_code"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        let mut enrolments = tenant_table("enrolments");
        enrolments
            .col(big_integer("student_id"))
            .col(big_integer("class_id"))
            .col(string_len("tariff_band_code", 16))
            .col(string_len("diet_kind", 16))
            .col(string_null("diet_detail"))
            .col(date("valid_from"))
            .col(date_null("valid_to"));
        references(&mut enrolments, "enrolments", "student_id", "students");
        references(&mut enrolments, "enrolments", "class_id", "classes");
        manager.create_table(enrolments).await?;
        manager
            .create_index(tenant_index(
                "enrolments",
                "enrolments_student",
                &["student_id", "valid_from"],
            ))
            .await
    }
}
