//! The 256-character Data Matrix payload of the "Bollettino Postale PA" section of a notice,
//! printed when the comune collects on a Poste Italiane postal account.
//!
//! Sources: the pagoPA notice spec (docs.pagopa.it/avviso-pagamento, Allegato 2 › Dati per il
//! pagamento › Bollettino Postale PA) defers the Data Matrix to Poste Italiane's "Manuale della
//! stampa in proprio" (chapter 4.2, "Bollettino PA integrato nell'avviso standard AgID"); the
//! field layout below is the one implemented by pagoPA's own notice generator
//! (github.com/pagopa/pagopa-print-payment-notice-generator, `TemplateDataMapper`,
//! `generatePosteDataMatrix` / `generateCodeline`, release 0.4.8):
//!
//! | offset | len | content                                                       |
//! |-------:|----:|---------------------------------------------------------------|
//! |      0 |  13 | `codfase=NBPA;`                                               |
//! |     13 |   2 | `18` (length of the next field)                               |
//! |     15 |  18 | notice number (codice avviso)                                 |
//! |     33 |   2 | `12`                                                          |
//! |     35 |  12 | postal account number, zero-padded left                       |
//! |     47 |   2 | `10`                                                          |
//! |     49 |  10 | amount in euro cents, zero-padded left                        |
//! |     59 |   1 | `3`                                                           |
//! |     60 |   3 | document type `896`                                           |
//! |     63 |   3 | `1P1` (separator + phase id)                                  |
//! |     66 |  11 | creditor fiscal code                                          |
//! |     77 |  16 | debtor fiscal code, space-padded right                        |
//! |     93 |  40 | debtor name, space-padded right                               |
//! |    133 | 110 | payment subject, space-padded right                           |
//! |    243 |  12 | filler (spaces)                                               |
//! |    255 |   1 | `A` (end marker)                                              |
//!
//! The generator pads but never cuts; here the text fields are cut to their width so the
//! payload is always 256 characters. Data Matrix readers at Poste counters expect plain ASCII,
//! so accented letters are folded to their base letter and anything else becomes a space.

use crate::amount::PositiveAmount;
use crate::ident::FiscalCodePa;
use crate::notice::NoticeNumber;

/// Poste Italiane's document type for the PA bollettino ("TD 896").
pub const DOCUMENT_TYPE: &str = "896";
/// Total length of the payload.
pub const LENGTH: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataMatrixError {
    #[error("a postal account number has 1 to 12 digits")]
    PostalAccount,
    #[error("the Data Matrix carries at most 10 digits of cents (99999999.99 euro)")]
    AmountTooLarge,
}

/// A conto corrente postale number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostalAccount(String);

impl PostalAccount {
    pub fn new(value: &str) -> Result<Self, DataMatrixError> {
        if (1..=12).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DataMatrixError::PostalAccount)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Inputs of the Data Matrix of one payment option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosteDataMatrix<'a> {
    pub notice_number: &'a NoticeNumber,
    pub postal_account: &'a PostalAccount,
    pub amount: &'a PositiveAmount,
    pub creditor: &'a FiscalCodePa,
    pub debtor_fiscal_code: &'a str,
    pub debtor_name: &'a str,
    pub subject: &'a str,
}

impl PosteDataMatrix<'_> {
    /// The 256-character payload to encode in the Data Matrix symbol.
    pub fn payload(&self) -> Result<String, DataMatrixError> {
        let cents = self.amount.cents();
        if cents > 9_999_999_999 {
            return Err(DataMatrixError::AmountTooLarge);
        }
        let mut out = String::with_capacity(LENGTH);
        out.push_str("codfase=NBPA;");
        out.push_str(&format!("18{}", self.notice_number));
        out.push_str(&format!("12{:0>12}", self.postal_account.as_str()));
        out.push_str(&format!("10{cents:010}"));
        out.push('3');
        out.push_str(DOCUMENT_TYPE);
        out.push_str("1P1");
        out.push_str(self.creditor.as_str());
        push_padded(&mut out, self.debtor_fiscal_code, 16);
        push_padded(&mut out, self.debtor_name, 40);
        push_padded(&mut out, self.subject, 110);
        push_padded(&mut out, "", 12);
        out.push('A');
        Ok(out)
    }
}

fn push_padded(out: &mut String, text: &str, width: usize) {
    let folded: String = text.trim().chars().map(to_ascii).take(width).collect();
    out.push_str(&format!("{folded:<width$}"));
}

fn to_ascii(c: char) -> char {
    match c {
        ' '..='~' => c,
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        'ñ' => 'n',
        'Ñ' => 'N',
        '’' | '‘' => '\'',
        _ => ' ',
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::SegregationCode;

    #[test]
    fn fields_land_at_their_offsets() {
        let notice =
            NoticeNumber::generate(SegregationCode::new(1).unwrap(), 1_234_567_890_123).unwrap();
        let account = PostalAccount::new("1234567").unwrap();
        let amount = PositiveAmount::from_cents(4550).unwrap();
        let creditor = FiscalCodePa::new("00123456789").unwrap();
        let dm = PosteDataMatrix {
            notice_number: &notice,
            postal_account: &account,
            amount: &amount,
            creditor: &creditor,
            debtor_fiscal_code: "RSSMRA80A01H501U",
            debtor_name: "Niccolò Rossi",
            subject: "Refezione scolastica settembre",
        };
        let p = dm.payload().unwrap();
        assert_eq!(p.len(), LENGTH);
        assert_eq!(p.chars().count(), LENGTH);
        assert!(p.is_ascii());
        assert_eq!(&p[0..13], "codfase=NBPA;");
        assert_eq!(&p[13..15], "18");
        assert_eq!(&p[15..33], "301123456789012316");
        assert_eq!(&p[33..35], "12");
        assert_eq!(&p[35..47], "000001234567");
        assert_eq!(&p[47..49], "10");
        assert_eq!(&p[49..59], "0000004550");
        assert_eq!(&p[59..60], "3");
        assert_eq!(&p[60..63], "896");
        assert_eq!(&p[63..66], "1P1");
        assert_eq!(&p[66..77], "00123456789");
        assert_eq!(&p[77..93], "RSSMRA80A01H501U");
        assert_eq!(&p[93..133], format!("{:<40}", "Niccolo Rossi"));
        assert_eq!(
            &p[133..243],
            format!("{:<110}", "Refezione scolastica settembre")
        );
        assert_eq!(&p[243..255], " ".repeat(12));
        assert_eq!(&p[255..], "A");
    }

    #[test]
    fn long_text_is_cut_to_keep_256() {
        let notice = NoticeNumber::generate(SegregationCode::new(2).unwrap(), 7).unwrap();
        let account = PostalAccount::new("123456789012").unwrap();
        let amount = PositiveAmount::from_cents(9_999_999_999).unwrap();
        let creditor = FiscalCodePa::new("00123456789").unwrap();
        let long = "x".repeat(300);
        let dm = PosteDataMatrix {
            notice_number: &notice,
            postal_account: &account,
            amount: &amount,
            creditor: &creditor,
            debtor_fiscal_code: &long,
            debtor_name: &long,
            subject: &long,
        };
        let p = dm.payload().unwrap();
        assert_eq!(p.len(), LENGTH);
        assert_eq!(&p[35..47], "123456789012");
        assert_eq!(&p[49..59], "9999999999");

        let too_much = PositiveAmount::from_cents(10_000_000_000).unwrap();
        let dm = PosteDataMatrix {
            amount: &too_much,
            ..dm
        };
        assert_eq!(dm.payload(), Err(DataMatrixError::AmountTooLarge));
        assert!(PostalAccount::new("1234567890123").is_err());
        assert!(PostalAccount::new("").is_err());
    }
}
