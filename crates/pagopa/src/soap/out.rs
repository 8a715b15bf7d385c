//! A minimal XML writer: the messages are small and flat, so building the text directly is
//! simpler than driving an event writer; text escaping is quick-xml's.

use std::fmt::Display;

use quick_xml::escape::escape;

use super::{PAF_NS, SOAP_ENV_NS};

pub(crate) struct XmlOut {
    buf: String,
}

impl XmlOut {
    pub(crate) fn new() -> Self {
        Self {
            buf: String::with_capacity(2048),
        }
    }

    /// Opens the qualified wrapper element and declares its namespace on it, so that the
    /// payload is a self-contained document once lifted out of the envelope.
    pub(crate) fn open_wrapper(&mut self, prefix: &str, name: &str) {
        self.buf
            .push_str(&format!("<{prefix}:{name} xmlns:{prefix}=\"{PAF_NS}\">"));
    }

    pub(crate) fn close_wrapper(&mut self, prefix: &str, name: &str) {
        self.buf.push_str(&format!("</{prefix}:{name}>"));
    }

    /// `soapenv:Fault`, whose prefix the envelope declares.
    pub(crate) fn open_soap_fault(&mut self) {
        self.buf.push_str("<soapenv:Fault>");
    }

    pub(crate) fn close_soap_fault(&mut self) {
        self.buf.push_str("</soapenv:Fault>");
    }

    pub(crate) fn open(&mut self, name: &str) {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    pub(crate) fn leaf(&mut self, name: &str, value: &impl Display) {
        let text = value.to_string();
        // Typed values are already clean; free strings (fault texts) may not be.
        let clean: String = text
            .chars()
            .map(|c| if crate::text::allowed(c) { c } else { ' ' })
            .collect();
        self.open(name);
        self.buf.push_str(&escape(clean.as_str()));
        self.close(name);
    }

    pub(crate) fn opt_leaf(&mut self, name: &str, value: Option<&impl Display>) {
        if let Some(v) = value {
            self.leaf(name, v);
        }
    }

    pub(crate) fn finish(self) -> String {
        self.buf
    }
}

/// Wraps a payload in a SOAP 1.1 envelope.
pub(crate) fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <soapenv:Envelope xmlns:soapenv=\"{SOAP_ENV_NS}\">\
         <soapenv:Header/><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}
