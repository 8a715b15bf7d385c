//! pagoPA counters: the Node's requests by primitive and outcome (OK or the fault code),
//! and what became of receipts.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use payments::{Handled, ReceiptOutcome};

#[derive(Debug, Default)]
pub struct PagoPaMetrics {
    requests: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    credited: AtomicU64,
    duplicated: AtomicU64,
    not_credited: AtomicU64,
    anomalies: AtomicU64,
    rounds: AtomicU64,
}

impl PagoPaMetrics {
    pub fn record(&self, handled: &Handled) {
        let primitive = handled.operation.map_or("unknown", |op| op.soap_action());
        let outcome = match (handled.soap_fault, handled.fault) {
            (true, _) => "SOAP_FAULT",
            (false, Some(code)) => code.code(),
            (false, None) => "OK",
        };
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((primitive, outcome)).or_default() += 1;
        }
        let counter = match handled.receipt {
            Some(ReceiptOutcome::Credited) => &self.credited,
            Some(ReceiptOutcome::Duplicate) => &self.duplicated,
            Some(ReceiptOutcome::NotCredited) => &self.not_credited,
            Some(ReceiptOutcome::Anomaly) => &self.anomalies,
            None => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Node's requests handled so far, whatever their outcome.
    pub fn requests(&self) -> u64 {
        self.requests
            .lock()
            .map(|requests| requests.values().sum())
            .unwrap_or_default()
    }

    pub fn receipts_credited(&self) -> u64 {
        self.credited.load(Ordering::Relaxed)
    }

    pub fn receipts_duplicated(&self) -> u64 {
        self.duplicated.load(Ordering::Relaxed)
    }

    pub fn round_done(&self) {
        self.rounds.fetch_add(1, Ordering::Relaxed);
    }

    /// Background rounds completed (see `tasks`).
    pub fn rounds(&self) -> u64 {
        self.rounds.load(Ordering::Relaxed)
    }
}

/// Appends the pagoPA families to the Prometheus text.
pub fn render(out: &mut String, metrics: &PagoPaMetrics) {
    let _ = writeln!(
        out,
        "# HELP mensa_pagopa_requests_total Requests of the pagoPA Node by primitive and outcome (OK or the fault code)."
    );
    let _ = writeln!(out, "# TYPE mensa_pagopa_requests_total counter");
    if let Ok(requests) = metrics.requests.lock() {
        for ((primitive, outcome), count) in requests.iter() {
            let _ = writeln!(
                out,
                "mensa_pagopa_requests_total{{primitive=\"{primitive}\",outcome=\"{outcome}\"}} {count}"
            );
        }
    }
    let _ = writeln!(
        out,
        "# HELP mensa_pagopa_receipts_total Receipts by what became of them: credited, duplicated (seen before), not_credited (a KO outcome: nothing paid), anomaly (paid, but not what an open notice asked: waits for an operator)."
    );
    let _ = writeln!(out, "# TYPE mensa_pagopa_receipts_total counter");
    for (result, counter) in [
        ("credited", &metrics.credited),
        ("duplicated", &metrics.duplicated),
        ("not_credited", &metrics.not_credited),
        ("anomaly", &metrics.anomalies),
    ] {
        let _ = writeln!(
            out,
            "mensa_pagopa_receipts_total{{result=\"{result}\"}} {}",
            counter.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(
        out,
        "# HELP mensa_pagopa_background_rounds_total Background rounds completed (interrupted credits, expiry, archive loads)."
    );
    let _ = writeln!(out, "# TYPE mensa_pagopa_background_rounds_total counter");
    let _ = writeln!(
        out,
        "mensa_pagopa_background_rounds_total {}",
        metrics.rounds()
    );
}
