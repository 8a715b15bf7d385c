//! The demo's people, schools and prices, as plain data.

use registry::Weekday::{self, Friday, Monday, Thursday, Tuesday, Wednesday};

pub struct Comune {
    pub slug: &'static str,
    pub name: &'static str,
    pub fiscal_code: &'static str,
    pub segregation_code: &'static str,
    pub iban: &'static str,
    pub postal_account: Option<&'static str>,
    pub primary_color: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub address: &'static str,
    /// (code, name, meal price in cents)
    pub bands: &'static [(&'static str, &'static str, i64)],
    pub schools: &'static [School],
    pub families: &'static [Family],
    /// (title, body) of the news the comune has published.
    pub news: &'static [(&'static str, &'static str)],
    /// (title, file name) of the documents, all the demo's sample PDF.
    pub documents: &'static [(&'static str, &'static str)],
}

/// The sample PDF behind every demo document.
pub const SAMPLE_PDF: &[u8] = include_bytes!("regolamento-refezione.pdf");

pub struct School {
    pub name: &'static str,
    pub address: &'static str,
    /// (class name, meal days)
    pub classes: &'static [(&'static str, &'static [Weekday])],
}

pub struct Family {
    pub username: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub fiscal_code: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub children: &'static [Child],
    /// (receipt id, cents) credited as pagoPA top-ups.
    pub top_ups: &'static [(&'static str, i64)],
    /// (reference, cents) of paper vouchers converted.
    pub voucher_recoveries: &'static [(&'static str, i64)],
}

pub struct Child {
    pub first_name: &'static str,
    pub fiscal_code: &'static str,
    pub birth_date: (i32, u32, u32),
    /// (school index, class index)
    pub class: (usize, usize),
    pub band: &'static str,
    pub special_diet: Option<&'static str>,
}

const FULL_WEEK: &[Weekday] = &[Monday, Tuesday, Wednesday, Thursday, Friday];
const THREE_DAYS: &[Weekday] = &[Monday, Wednesday, Thursday];

/// The month of meals the demo families have eaten.
pub const MEALS_MONTH: (i32, u32) = (2026, 10);

pub const SAN_CASCIANO: Comune = Comune {
    slug: "sancascianovaldipesa",
    name: "Comune di San Casciano in Val di Pesa",
    fiscal_code: "80001234568",
    segregation_code: "01",
    iban: "IT60X0542811101000000123456",
    postal_account: None,
    primary_color: "#0b4f8a",
    email: "refezione@comune.sancascianovaldipesa.example",
    phone: "055 0000001",
    address: "Via Machiavelli 56, 50026 San Casciano in Val di Pesa (FI)",
    bands: &[
        ("A", "Fascia A (ISEE fino a 6.000 €)", 150),
        ("B", "Fascia B (ISEE da 6.000 a 15.000 €)", 350),
        ("C", "Fascia C (ISEE oltre 15.000 €)", 520),
    ],
    schools: &[School {
        name: "Scuola primaria G. Marconi",
        address: "Via dei Fossi 2, San Casciano in Val di Pesa",
        classes: &[("3A", FULL_WEEK), ("1B", THREE_DAYS)],
    }],
    families: &[
        Family {
            username: "genitore",
            first_name: "Giulia",
            last_name: "Conti",
            fiscal_code: "CNTGLI84E61D612I",
            email: "giulia.conti@example.it",
            phone: "333 0000001",
            children: &[
                Child {
                    first_name: "Luca",
                    fiscal_code: "CNTLCU17C14D612K",
                    birth_date: (2017, 3, 14),
                    class: (0, 0),
                    band: "B",
                    special_diet: None,
                },
                Child {
                    first_name: "Sofia",
                    fiscal_code: "CNTSFO19P42D612S",
                    birth_date: (2019, 9, 2),
                    class: (0, 1),
                    band: "C",
                    special_diet: Some("Senza glutine (celiachia)"),
                },
            ],
            top_ups: &[("demo-rt-sancasciano-0001", 15_000)],
            voucher_recoveries: &[("Buoni cartacei a.s. 2025/26", 2_100)],
        },
        Family {
            username: "galli",
            first_name: "Marco",
            last_name: "Galli",
            fiscal_code: "GLLMRC80S03H791T",
            email: "marco.galli@example.it",
            phone: "333 0000002",
            children: &[Child {
                first_name: "Elena",
                fiscal_code: "GLLLNE18A65D612N",
                birth_date: (2018, 1, 25),
                class: (0, 0),
                band: "A",
                special_diet: None,
            }],
            top_ups: &[("demo-rt-sancasciano-0002", 3_000)],
            voucher_recoveries: &[],
        },
    ],
    news: &[
        (
            "Menù autunno-inverno 2026/27",
            "Dal 2 novembre è in vigore il menù autunno-inverno. Lo trovate nella sezione Documenti.",
        ),
        (
            "Iscrizioni alla refezione scolastica",
            "Le ricariche si fanno online con pagoPA oppure con l'avviso di pagamento presso banche, uffici postali e tabaccherie.",
        ),
    ],
    documents: &[
        (
            "Regolamento della refezione scolastica",
            "regolamento-refezione.pdf",
        ),
        (
            "Modulo di richiesta dieta speciale",
            "modulo-dieta-speciale.pdf",
        ),
    ],
};

pub const GREVE: Comune = Comune {
    slug: "grevinchianti",
    name: "Comune di Greve in Chianti",
    fiscal_code: "80002345678",
    segregation_code: "02",
    iban: "IT50M0760102800001234567890",
    postal_account: Some("001234567890"),
    primary_color: "#7a1f2b",
    email: "scuola@comune.grevinchianti.example",
    phone: "055 0000002",
    address: "Piazza Matteotti 8, 50022 Greve in Chianti (FI)",
    bands: &[("1", "Prima fascia", 200), ("2", "Seconda fascia", 410)],
    schools: &[School {
        name: "Scuola primaria Don Milani",
        address: "Viale Vittorio Veneto 10, Greve in Chianti",
        classes: &[("2A", FULL_WEEK)],
    }],
    families: &[Family {
        username: "genitore",
        first_name: "Paolo",
        last_name: "Ferri",
        fiscal_code: "FRRPLA79L09E169J",
        email: "paolo.ferri@example.it",
        phone: "333 0000003",
        children: &[
            Child {
                first_name: "Anna",
                fiscal_code: "FRRNNA18D70D612O",
                birth_date: (2018, 4, 30),
                class: (0, 0),
                band: "2",
                special_diet: None,
            },
            Child {
                first_name: "Tommaso",
                fiscal_code: "FRRTMS20B11D612T",
                birth_date: (2020, 2, 11),
                class: (0, 0),
                band: "1",
                special_diet: Some("Senza lattosio"),
            },
        ],
        top_ups: &[("demo-rt-greve-0001", 15_000)],
        voucher_recoveries: &[],
    }],
    news: &[(
        "Chiusura mensa per elezioni",
        "Il 23 novembre la mensa della scuola Don Milani resta chiusa.",
    )],
    documents: &[("Tariffe 2026/27 del Comune di Greve", "tariffe-greve.pdf")],
};
