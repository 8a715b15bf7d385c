//! Fixtures shared by the integration tests: one instance of every message, with every
//! optional field filled somewhere so that round trips and XSD validation cover them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

use std::str::FromStr;

use chrono::NaiveDate;
use pagopa::soap::*;
use pagopa::*;
use rust_decimal::Decimal;

pub fn t<T: FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

pub fn notice() -> NoticeNumber {
    NoticeNumber::generate(SegregationCode::new(1).unwrap(), 1_234_567_890_123).unwrap()
}

pub fn caller() -> Caller {
    Caller {
        id_pa: t("00123456789"),
        id_broker_pa: t("15376371009"),
        id_station: t("15376371009_01"),
    }
}

pub fn qr() -> QrCode {
    QrCode {
        fiscal_code: t("00123456789"),
        notice_number: notice(),
    }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn full_subject() -> Subject {
    Subject {
        entity_type: EntityType::Natural,
        entity_id: t("RSSMRA80A01H501U"),
        full_name: t("Mario Rossi & Figli <genitore>"),
        street_name: Some(t("Via Roma")),
        civic_number: Some(t("1/A")),
        postal_code: Some(t("00100")),
        city: Some(t("Roma")),
        state_province_region: Some(t("RM")),
        country: Some(t("IT")),
        email: Some(t("mario.rossi@example.it")),
    }
}

pub fn metadata() -> Vec<MapEntry> {
    vec![MapEntry {
        key: t("anno"),
        value: t("2024/2025"),
    }]
}

pub fn transfer() -> Transfer {
    Transfer {
        id_transfer: IdTransfer::new(1).unwrap(),
        transfer_amount: t("45.50"),
        fiscal_code_pa: t("00123456789"),
        iban: t("IT60X0542811101000000123456"),
        remittance_information: t("Refezione scolastica settembre 2024"),
        transfer_category: t("9/0101108TS/"),
        metadata: metadata(),
    }
}

pub fn transfer_v2() -> TransferV2 {
    TransferV2 {
        id_transfer: IdTransfer::new(1).unwrap(),
        transfer_amount: t("45.50"),
        fiscal_code_pa: t("00123456789"),
        company_name: Some(t("Comune di Esempio")),
        iban: t("IT60X0542811101000000123456"),
        remittance_information: t("Refezione scolastica settembre 2024"),
        transfer_category: t("9/0101108TS/"),
        metadata: Vec::new(),
    }
}

pub fn payment_data<T>(transfer: T) -> PaymentData<T> {
    PaymentData {
        creditor_reference_id: t("01123456789012316"),
        payment_amount: t("45.50"),
        due_date: date("2024-10-31"),
        retention_date: Some(XsdDateTime::parse("2024-11-30T23:59:59").unwrap()),
        last_payment: Some(false),
        description: Text140::truncated(&"Refezione scolastica, buoni pasto. ".repeat(10)).unwrap(),
        company_name: t("Comune di Esempio"),
        office_name: Some(t("Ufficio Servizi Scolastici")),
        debtor: full_subject(),
        transfers: vec![transfer],
        metadata: metadata(),
    }
}

pub fn receipt<T>(transfer: T) -> Receipt<T> {
    Receipt {
        receipt_id: "c110729d258c4ab1b765fe902aae41d6".to_owned(),
        notice_number: notice(),
        fiscal_code: t("00123456789"),
        outcome: Outcome::Ok,
        creditor_reference_id: t("01123456789012316"),
        payment_amount: t("45.50"),
        description: t("Refezione scolastica settembre 2024"),
        company_name: t("Comune di Esempio"),
        office_name: Some(t("Ufficio Servizi Scolastici")),
        debtor: full_subject(),
        transfers: vec![transfer],
        id_psp: t("BCITITMM"),
        psp_fiscal_code: Some(t("00799960158")),
        psp_partita_iva: Some(t("00799960158")),
        psp_company_name: t("Intesa Sanpaolo"),
        id_channel: t("00799960158_01"),
        channel_description: t("app"),
        payer: Some(Subject::new(
            EntityType::Natural,
            t("VRDLGU75B41F205X"),
            t("Luisa Verdi"),
        )),
        payment_method: Some(t("creditCard")),
        fee: Some(t("1.00")),
        payment_date_time: Some(XsdDateTime::parse("2024-09-30T12:34:56.789").unwrap()),
        application_date: Some(date("2024-09-30")),
        transfer_date: Some(date("2024-10-01")),
        metadata: metadata(),
        stand_in: Some(false),
    }
}

/// One of every request.
pub fn requests() -> Vec<Request> {
    let get = GetPaymentReq {
        caller: caller(),
        qr_code: qr(),
        amount: Some(t("45.50")),
        payment_note: Some(t("nota del pagatore")),
        transfer_type: Some(TransferType::Postal),
        due_date: Some(date("2024-10-31")),
    };
    let minimal_get = GetPaymentReq {
        amount: None,
        payment_note: None,
        transfer_type: None,
        due_date: None,
        ..get.clone()
    };
    vec![
        Request::VerifyPaymentNotice(VerifyPaymentNoticeReq {
            caller: caller(),
            qr_code: qr(),
        }),
        Request::GetPayment(get),
        Request::GetPaymentV2(minimal_get),
        Request::SendRt(SendRtReq {
            caller: caller(),
            receipt: receipt(transfer()),
        }),
        Request::SendRtV2(SendRtV2Req {
            caller: caller(),
            receipt: receipt(transfer_v2()),
            extras: ReceiptV2Extras {
                payment_note: Some(t("nota")),
                primary_ci_incurred_fee: Some(t("0.50")),
                id_bundle: Some(t("bundle-1")),
                id_ci_bundle: Some(t("ci-bundle-1")),
            },
        }),
        Request::DemandPaymentNotice(caller()),
    ]
}

/// One of every response, OK and KO.
pub fn responses() -> Vec<Response> {
    let verify_ok = VerifyPaymentNoticeOk {
        payment_option: PaymentOption {
            amount: PositiveAmount::new(Decimal::new(4550, 2)).unwrap(),
            options: AmountOption::Eq,
            due_date: Some(date("2024-10-31")),
            detail_description: Some(t("Refezione scolastica settembre 2024")),
            all_ccp: false,
        },
        payment_description: Some(t("Refezione scolastica settembre 2024")),
        fiscal_code_pa: Some(t("00123456789")),
        company_name: Some(t("Comune di Esempio")),
        office_name: Some(t("Ufficio Servizi Scolastici")),
    };
    let mut responses = vec![
        Response::VerifyPaymentNotice(Reply::Ok(verify_ok)),
        Response::GetPayment(Reply::Ok(payment_data(transfer()))),
        Response::GetPaymentV2(Reply::Ok(payment_data(transfer_v2()))),
        Response::SendRt(Reply::Ok(())),
        Response::SendRtV2(Reply::Ok(())),
        Response::DemandPaymentNotice(Fault::new(
            FaultCode::Semantica,
            "00123456789",
            "servizio non offerto",
        )),
    ];
    for (i, code) in FaultCode::all().iter().enumerate() {
        let op = [
            Operation::VerifyPaymentNotice,
            Operation::GetPayment,
            Operation::GetPaymentV2,
            Operation::SendRt,
            Operation::SendRtV2,
        ][i % 5];
        let mut fault = Fault::new(
            *code,
            "00123456789",
            format!("descrizione di {code} con <&>"),
        );
        if i % 2 == 0 {
            fault.description = None;
            fault.serial = Some(7);
        }
        responses.push(Response::fault(op, fault));
    }
    responses
}
