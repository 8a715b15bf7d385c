//! The decision table of `decide`, row by row: what is credited, what is flagged and what
//! waits as a payment anomaly for each outcome, position state and split of the transfers.
//! Only a receipt that pays an open position exactly credits by itself.

use chrono::NaiveDate;
use money::Money;
use pagopa::NoticeNumber;
use pagopa::soap::{Operation, Outcome};
use sea_orm::ActiveValue;
use tenancy::{
    BalancePolicy, Branding, Contacts, Creditor, EntityFiscalCode, Iban, OverLimit, Tenant,
    TenantId, TenantSlug, TopUpLimits,
};

use super::{Incoming, decide, flags};
use crate::{PaymentPosition, PositionId, PositionStatus};

const OWN: &str = "80001234568";
const OTHER: &str = "00000000000";
const RECEIPT: &str = "a1b2c3";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn tenant() -> Tenant {
    Tenant {
        id: TenantId::new(1),
        slug: TenantSlug::parse("prova").unwrap(),
        name: "Comune di Prova".into(),
        branding: Branding {
            primary_color: "#0066cc".into(),
            logo_url: None,
        },
        contacts: Contacts::default(),
        creditor: Creditor {
            fiscal_code: EntityFiscalCode::parse(OWN).unwrap(),
            aux_digit: 3,
            segregation_code: "01".into(),
            iban: Iban::parse("IT60X0542811101000000123456").unwrap(),
            postal_account: None,
            cbill_code: None,
        },
        balance_policy: BalancePolicy {
            reminder_threshold: Money::ZERO,
            debt_limit: None,
            over_limit: OverLimit::Flag,
        },
        top_up_limits: TopUpLimits {
            min: Money::from_cents(100).unwrap(),
            max: Money::from_cents(50_000).unwrap(),
        },
    }
}

fn notice() -> NoticeNumber {
    NoticeNumber::parse("301123456789012316").unwrap()
}

/// An open position of 20 euro, due on 20 December.
fn position(status: PositionStatus, receipt_id: Option<&str>) -> PaymentPosition {
    PaymentPosition {
        id: PositionId::new(7),
        account: accounts::AccountId::new(11),
        guardian: registry::GuardianId::new(5),
        amount: Money::from_cents(2_000).unwrap(),
        notice_number: notice(),
        status,
        due_date: day(20),
        description: "Ricarica".into(),
        taxonomy: crate::TAXONOMY.into(),
        iban: "IT60X0542811101000000123456".into(),
        receipt_id: receipt_id.map(str::to_owned),
        paid_at: None,
        created_at: chrono::Utc::now().fixed_offset(),
    }
}

/// A receipt of `paid` cents made of `transfers`, paid on `paid_on`.
fn incoming(
    outcome: Outcome,
    paid: u64,
    transfers: Vec<(&'static str, u64)>,
    paid_on: NaiveDate,
) -> Incoming<'static> {
    Incoming {
        primitive: Operation::SendRtV2,
        receipt_id: RECEIPT,
        notice: notice(),
        outcome,
        paid_cents: paid,
        transfers,
        stand_in: false,
        psp_id: "PSP",
        payment_date_time: None,
        application_date: Some(paid_on),
        raw: "<receipt/>",
    }
}

/// What `decide` stores: the credit, the flags, to whom, and whether an anomaly waits.
fn decided(
    position: Option<&PaymentPosition>,
    incoming: &Incoming<'_>,
) -> (i64, Vec<String>, Option<i64>, bool) {
    let decided = decide(&tenant(), position, incoming, day(15)).unwrap();
    let row = decided.receipt;
    let ActiveValue::Set(credit) = row.credit_cents else {
        panic!("credit not set")
    };
    let ActiveValue::Set(flags) = row.flags else {
        panic!("flags not set")
    };
    let ActiveValue::Set(account) = row.account_id else {
        panic!("account not set")
    };
    let flags = flags
        .split(',')
        .filter(|flag| !flag.is_empty())
        .map(str::to_owned)
        .collect();
    (credit, flags, account, decided.anomaly.is_some())
}

#[test]
fn a_ko_outcome_credits_nothing_and_leaves_nothing_to_decide() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ko, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(Some(&open), &receipt),
        (0, vec![flags::OUTCOME_KO.to_owned()], Some(11), false)
    );
}

#[test]
fn an_unknown_notice_credits_nothing_names_no_family_and_waits() {
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(None, &receipt),
        (0, vec![flags::UNKNOWN_NOTICE.to_owned()], None, true)
    );
}

#[test]
fn a_matching_payment_credits_in_full_without_flags() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(Some(&open), &receipt),
        (2_000, vec![], Some(11), false)
    );
}

#[test]
fn a_different_amount_credits_nothing_and_waits() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ok, 500_000, vec![(OWN, 500_000)], day(10));
    assert_eq!(
        decided(Some(&open), &receipt),
        (0, vec![flags::AMOUNT_MISMATCH.to_owned()], Some(11), true)
    );
}

#[test]
fn a_transfer_to_another_creditor_credits_nothing_and_waits() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(
        Outcome::Ok,
        2_000,
        vec![(OWN, 1_500), (OTHER, 500)],
        day(10),
    );
    assert_eq!(
        decided(Some(&open), &receipt),
        (
            0,
            vec![
                flags::FOREIGN_TRANSFERS.to_owned(),
                flags::AMOUNT_MISMATCH.to_owned()
            ],
            Some(11),
            true
        )
    );
    // What an operator's credit would give: the comune's own share only.
    let anomaly = decide(&tenant(), Some(&open), &receipt, day(15))
        .unwrap()
        .anomaly
        .unwrap();
    assert_eq!(anomaly.credit_cents, ActiveValue::Set(1_500));
    assert_eq!(anomaly.paid_cents, ActiveValue::Set(2_000));
    assert_eq!(anomaly.expected_cents, ActiveValue::Set(Some(2_000)));
}

#[test]
fn an_exact_amount_to_another_creditor_credits_nothing_and_waits() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OTHER, 2_000)], day(10));
    assert_eq!(
        decided(Some(&open), &receipt),
        (
            0,
            vec![
                flags::NO_OWN_TRANSFER.to_owned(),
                flags::FOREIGN_TRANSFERS.to_owned(),
                flags::AMOUNT_MISMATCH.to_owned()
            ],
            Some(11),
            true
        )
    );
}

#[test]
fn a_payment_after_the_due_date_credits_nothing_and_waits() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(21));
    assert_eq!(
        decided(Some(&open), &receipt),
        (0, vec![flags::EXPIRED.to_owned()], Some(11), true)
    );
}

#[test]
fn a_payment_in_time_credits_though_the_sweep_wrote_the_notice_expired() {
    let swept = position(PositionStatus::Expired, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(20));
    assert_eq!(
        decided(Some(&swept), &receipt),
        (2_000, vec![], Some(11), false)
    );
}

#[test]
fn a_cancelled_notice_paid_anyway_credits_nothing_and_waits() {
    let cancelled = position(PositionStatus::Cancelled, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(Some(&cancelled), &receipt),
        (0, vec![flags::CANCELLED.to_owned()], Some(11), true)
    );
}

#[test]
fn a_second_payment_of_a_paid_notice_credits_nothing_and_waits() {
    let paid = position(PositionStatus::Paid, Some("another"));
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(Some(&paid), &receipt),
        (0, vec![flags::ALREADY_PAID.to_owned()], Some(11), true)
    );
}

#[test]
fn the_receipt_that_paid_the_notice_is_not_a_second_payment() {
    let paid = position(PositionStatus::Paid, Some(RECEIPT));
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(10));
    assert_eq!(
        decided(Some(&paid), &receipt),
        (2_000, vec![], Some(11), false)
    );
}

#[test]
fn the_family_is_credited_on_the_day_of_payment() {
    let open = position(PositionStatus::Open, None);
    let receipt = incoming(Outcome::Ok, 2_000, vec![(OWN, 2_000)], day(3));
    let row = decide(&tenant(), Some(&open), &receipt, day(15))
        .unwrap()
        .receipt;
    assert_eq!(row.credit_date, ActiveValue::Set(day(3)));
    let undated = Incoming {
        application_date: None,
        ..receipt
    };
    let row = decide(&tenant(), Some(&open), &undated, day(15))
        .unwrap()
        .receipt;
    assert_eq!(
        row.credit_date,
        ActiveValue::Set(day(15)),
        "today, failing a date"
    );
}
