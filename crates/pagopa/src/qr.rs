//! The string encoded in the QR code of a pagoPA payment notice.
//!
//! Source: "Avviso di pagamento pagoPA", Allegato 2, Specifiche tecniche › Dati per il
//! pagamento › Codice QR (docs.pagopa.it/avviso-pagamento): the structure is
//! `PAGOPA|002|<codice avviso>|<codice fiscale ente creditore>|<importo>`, the amount is
//! "in centesimi di euro", and the published example is `PAGOPA|002|000000000000000000|00000000000|9999`.
//! The spec pads nothing in the amount; pagoPA's own notice generator
//! (pagopa-print-payment-notice-generator, `TemplateDataMapper.generateQrCode`) writes the
//! cents as a plain integer, so 20.00 euro is `2000`.

use crate::amount::PositiveAmount;
use crate::ident::FiscalCodePa;
use crate::notice::NoticeNumber;

/// The QR payload for one payment option of a notice.
pub fn qr_payload(
    notice: &NoticeNumber,
    creditor: &FiscalCodePa,
    amount: &PositiveAmount,
) -> String {
    format!("PAGOPA|002|{notice}|{creditor}|{}", amount.cents())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::SegregationCode;

    #[test]
    fn payload_byte_for_byte() {
        let notice =
            NoticeNumber::generate(SegregationCode::new(1).unwrap(), 1_234_567_890_123).unwrap();
        let creditor = FiscalCodePa::new("00123456789").unwrap();
        let amount = PositiveAmount::from_cents(2000).unwrap();
        let payload = qr_payload(&notice, &creditor, &amount);
        assert_eq!(
            payload.as_bytes(),
            b"PAGOPA|002|301123456789012316|00123456789|2000"
        );

        let cent = PositiveAmount::from_cents(1).unwrap();
        assert_eq!(
            qr_payload(&notice, &creditor, &cent),
            "PAGOPA|002|301123456789012316|00123456789|1"
        );
    }
}
