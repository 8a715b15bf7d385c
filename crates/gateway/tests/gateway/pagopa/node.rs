//! The pagoPA Node (and a PSP) as the tests play them, plus fixtures and the XSD check.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::sync::Arc;

use accounts::AccountId;
use chrono::NaiveDate;
use gateway::creditor::SoapClient;
use money::Money;
use pagopa::soap::*;
use pagopa::{Amount, FiscalCodePa, NoticeNumber, PositiveAmount};
use payments::PaymentPosition;
use registry::GuardianId;
use tenancy::{Tenant, TenantSlug};

use crate::support::TestApp;

pub const BROKER: &str = "77777777777";
pub const STATION: &str = "77777777777_01";

/// A family of a demo comune.
pub struct Family {
    pub tenant: Arc<Tenant>,
    pub guardian: GuardianId,
    pub account: AccountId,
}

pub async fn family(app: &TestApp, slug: &str, username: &str) -> Family {
    let tenant = app
        .state
        .app
        .tenants
        .by_slug(&TenantSlug::parse(slug).unwrap())
        .await
        .unwrap()
        .unwrap();
    let txn = tenancy::scope::begin(&app.state.app.db, tenant.id)
        .await
        .unwrap();
    let guardian = registry::guardian_by_username(&txn, tenant.id, username)
        .await
        .unwrap()
        .unwrap();
    let account = accounts::account_of_guardian(&txn, tenant.id, guardian.id)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    Family {
        tenant,
        guardian: guardian.id,
        account,
    }
}

/// A notice of `cents` issued today (or on `issued` for expiry tests).
pub async fn notice_issued(
    app: &TestApp,
    family: &Family,
    cents: i64,
    issued: NaiveDate,
) -> PaymentPosition {
    payments::create_notice(
        &app.state.app.db,
        &family.tenant,
        family.guardian,
        rust_decimal::Decimal::new(cents, 2),
        issued,
    )
    .await
    .unwrap()
}

pub async fn notice(app: &TestApp, family: &Family, cents: i64) -> PaymentPosition {
    notice_issued(app, family, cents, payments::today()).await
}

/// The balance as committed in the database.
pub async fn balance(app: &TestApp, family: &Family) -> Money {
    let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
        .await
        .unwrap();
    let balance = accounts::balance(&txn, family.tenant.id, family.account)
        .await
        .unwrap();
    let sum = accounts::ledger_sum(&txn, family.tenant.id, family.account)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(balance, sum, "the balance is the sum of the ledger rows");
    balance
}

pub async fn position(app: &TestApp, family: &Family, notice: &NoticeNumber) -> PaymentPosition {
    let txn = tenancy::scope::begin(&app.state.app.db, family.tenant.id)
        .await
        .unwrap();
    let position = payments::position_by_notice(&txn, family.tenant.id, notice)
        .await
        .unwrap()
        .unwrap();
    txn.commit().await.unwrap();
    position
}

pub fn t<T: FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

/// The Node, speaking to the gateway's creditor listener (`/pagopa/paForNode`): plain
/// HTTP in demo mode, mutual TLS with its client certificate otherwise.
#[derive(Clone)]
pub struct Node {
    pub client: SoapClient,
    pub http: reqwest::Client,
    pub url: String,
    pub caller: Caller,
}

impl Node {
    /// The Node calling about the comune whose fiscal code is `id_pa`, on a demo
    /// gateway's plain-HTTP listener.
    pub fn new(app: &TestApp, id_pa: &str) -> Self {
        Self::at(reqwest::Client::new(), app.pagopa_url.clone(), id_pa)
    }

    /// The Node calling the endpoint at `url` with `http` (which holds its client
    /// certificate for mutual TLS).
    pub fn at(http: reqwest::Client, url: String, id_pa: &str) -> Self {
        Node {
            client: SoapClient::new(http.clone(), url.clone()),
            http,
            url,
            caller: Caller {
                id_pa: t(id_pa),
                id_broker_pa: t(BROKER),
                id_station: t(STATION),
            },
        }
    }

    pub fn of(app: &TestApp, family: &Family) -> Self {
        Self::new(app, family.tenant.creditor.fiscal_code.as_str())
    }

    /// Sends `request`; checks the answer against the XSD; returns it parsed.
    pub async fn call(&self, request: &Request) -> Response {
        let (response, envelope) = self.client.call(request).await.unwrap();
        assert_valid(&envelope);
        response
    }

    /// Posts any body with any SOAPAction; returns the status and the envelope.
    pub async fn raw(&self, body: &str, action: Option<&str>) -> (u16, String) {
        let mut request = self
            .http
            .post(&self.url)
            .header("content-type", "text/xml; charset=utf-8")
            .body(body.to_owned());
        if let Some(action) = action {
            request = request.header("SOAPAction", action);
        }
        let answer = request.send().await.unwrap();
        (answer.status().as_u16(), answer.text().await.unwrap())
    }

    fn qr(&self, notice: &NoticeNumber) -> QrCode {
        QrCode {
            fiscal_code: FiscalCodePa::new(self.caller.id_pa.as_str()).unwrap(),
            notice_number: *notice,
        }
    }

    pub fn verify(&self, notice: &NoticeNumber) -> Request {
        Request::VerifyPaymentNotice(VerifyPaymentNoticeReq {
            caller: self.caller.clone(),
            qr_code: self.qr(notice),
        })
    }

    fn get_req(&self, notice: &NoticeNumber) -> GetPaymentReq {
        GetPaymentReq {
            caller: self.caller.clone(),
            qr_code: self.qr(notice),
            amount: None,
            payment_note: None,
            transfer_type: Some(TransferType::PagoPa),
            due_date: None,
        }
    }

    pub fn get_v1(&self, notice: &NoticeNumber) -> Request {
        Request::GetPayment(self.get_req(notice))
    }

    pub fn get_v2(&self, notice: &NoticeNumber) -> Request {
        Request::GetPaymentV2(self.get_req(notice))
    }

    /// A PSP's receipt of `paid_cents` for `notice`, all of it transferred to `beneficiary`.
    pub fn receipt<T>(
        &self,
        notice: &NoticeNumber,
        receipt_id: &str,
        paid_cents: u64,
        transfer: impl Fn(PositiveAmount) -> T,
    ) -> Receipt<T> {
        let amount = PositiveAmount::from_cents(paid_cents).unwrap();
        let debtor = Subject::new(
            EntityType::Natural,
            t("CNTGLI84E61D612I"),
            t("Giulia Conti"),
        );
        Receipt {
            receipt_id: receipt_id.to_owned(),
            notice_number: *notice,
            fiscal_code: FiscalCodePa::new(self.caller.id_pa.as_str()).unwrap(),
            outcome: Outcome::Ok,
            creditor_reference_id: t(&notice.iuv().to_string()),
            payment_amount: Amount::from(amount),
            description: t("Ricarica refezione scolastica"),
            company_name: t("Comune di prova"),
            office_name: None,
            payer: Some(debtor.clone()),
            debtor,
            transfers: vec![transfer(amount)],
            id_psp: t("BCITITMM"),
            psp_fiscal_code: Some(t("00799960158")),
            psp_partita_iva: None,
            psp_company_name: t("Intesa Sanpaolo"),
            id_channel: t("00799960158_01"),
            channel_description: t("app"),
            payment_method: Some(t("creditCard")),
            fee: Some(t("1.00")),
            payment_date_time: Some(XsdDateTime::from_naive(
                payments::today().and_hms_opt(10, 30, 0).unwrap(),
            )),
            application_date: Some(payments::today()),
            transfer_date: Some(payments::today()),
            metadata: Vec::new(),
            stand_in: Some(false),
        }
    }

    pub fn transfer_v2(&self, beneficiary: &str) -> impl Fn(PositiveAmount) -> TransferV2 {
        let beneficiary = beneficiary.to_owned();
        move |amount| TransferV2 {
            id_transfer: IdTransfer::new(1).unwrap(),
            transfer_amount: amount,
            fiscal_code_pa: t(&beneficiary),
            company_name: Some(t("Comune di prova")),
            iban: t("IT60X0542811101000000123456"),
            remittance_information: t("Ricarica refezione scolastica"),
            transfer_category: t("9/0107101TS/"),
            metadata: Vec::new(),
        }
    }

    pub fn transfer_v1(&self, beneficiary: &str) -> impl Fn(PositiveAmount) -> Transfer {
        let beneficiary = beneficiary.to_owned();
        move |amount| Transfer {
            id_transfer: IdTransfer::new(1).unwrap(),
            transfer_amount: amount,
            fiscal_code_pa: t(&beneficiary),
            iban: t("IT60X0542811101000000123456"),
            remittance_information: t("Ricarica refezione scolastica"),
            transfer_category: t("9/0107101TS/"),
            metadata: Vec::new(),
        }
    }

    /// paSendRTV2 of a receipt paying `cents` to the comune itself.
    pub fn send_rt_v2(&self, notice: &NoticeNumber, receipt_id: &str, cents: u64) -> Request {
        let own = self.caller.id_pa.as_str().to_owned();
        self.send_rt_v2_with(self.receipt(notice, receipt_id, cents, self.transfer_v2(&own)))
    }

    pub fn send_rt_v2_with(&self, receipt: Receipt<TransferV2>) -> Request {
        Request::SendRtV2(SendRtV2Req {
            caller: self.caller.clone(),
            receipt,
            extras: ReceiptV2Extras::default(),
        })
    }

    /// paSendRT (V1) of a receipt paying `cents` to the comune itself.
    pub fn send_rt_v1(&self, notice: &NoticeNumber, receipt_id: &str, cents: u64) -> Request {
        let own = self.caller.id_pa.as_str().to_owned();
        Request::SendRt(SendRtReq {
            caller: self.caller.clone(),
            receipt: self.receipt(notice, receipt_id, cents, self.transfer_v1(&own)),
        })
    }
}

/// The fault code of a KO answer, `None` for OK.
pub fn fault_of(response: &Response) -> Option<FaultCode> {
    response.ko().map(|f| f.code)
}

/// Validates the payload of a SOAP envelope against the official `paForNode.xsd` with
/// xmllint (skipped, with a note, where xmllint is missing and tools are not required).
pub fn assert_valid(envelope: &str) {
    if !tool_available("xmllint", "libxml2-utils") {
        return;
    }
    let start = envelope.find("<soapenv:Body>").expect("a SOAP body") + "<soapenv:Body>".len();
    let end = envelope
        .rfind("</soapenv:Body>")
        .expect("a closed SOAP body");
    let body = &envelope[start..end];
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(file.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "invalid against paForNode.xsd: {}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn schema() -> PathBuf {
    let relative = Path::new("wsdl/xsd/paForNode.xsd");
    if let Ok(dir) = std::env::var("PAGOPA_XSD_DIR") {
        return Path::new(&dir).join(relative);
    }
    // The pagopa crate keeps the official files (crates/pagopa/spec).
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pagopa/spec")
        .join(relative)
}

/// True when `program` is on the PATH; a missing one fails the test when
/// `MENSA_TEST_REQUIRE_TOOLS` is set (CI), and is skipped with a note otherwise.
pub fn tool_available(program: &str, package: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()));
    if !found {
        let message = format!("missing test program {program} (apt-get install -y {package})");
        assert!(
            std::env::var_os("MENSA_TEST_REQUIRE_TOOLS").is_none(),
            "{message}"
        );
        eprintln!("skipped: {message}");
    }
    found
}
