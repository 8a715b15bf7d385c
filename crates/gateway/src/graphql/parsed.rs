//! Parsed operations, kept by their text. Apps and integrators send the same few queries
//! over and over, and parsing one is the largest single cost of a small request; the
//! engine still validates every request against the schema and its limits.

use std::collections::HashMap;
use std::sync::Mutex;

use async_graphql::parser::types::ExecutableDocument;

/// Longer texts are parsed each time: they are rare, and would crowd out the common ones.
const MAX_TEXT_BYTES: usize = 16 * 1024;

pub struct ParsedQueries {
    documents: Mutex<HashMap<String, ExecutableDocument>>,
    capacity: usize,
}

impl ParsedQueries {
    pub fn new(capacity: usize) -> Self {
        ParsedQueries {
            documents: Mutex::new(HashMap::with_capacity(capacity)),
            capacity,
        }
    }

    /// Hands `request` its parsed document, parsing and keeping it on first sight. Text
    /// that does not parse is left to the engine, which reports the syntax error.
    pub fn prepare(&self, request: &mut async_graphql::Request) {
        if let Some(document) = self.get(&request.query) {
            request.set_parsed_query(document);
            return;
        }
        let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
            return;
        };
        if request.query.len() <= MAX_TEXT_BYTES
            && let Ok(mut documents) = self.documents.lock()
        {
            // Emptying a full map, rather than evicting one by one, keeps the hot path a
            // plain lookup; whoever sends a stream of distinct queries only refills it.
            if documents.len() >= self.capacity {
                documents.clear();
            }
            documents.insert(request.query.clone(), document.clone());
        }
        request.set_parsed_query(document);
    }

    fn get(&self, text: &str) -> Option<ExecutableDocument> {
        self.documents.lock().ok()?.get(text).cloned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request(text: &str) -> async_graphql::Request {
        async_graphql::Request::new(text)
    }

    #[test]
    fn a_query_is_parsed_once_and_bad_text_is_left_for_the_engine() {
        let parsed = ParsedQueries::new(2);
        let mut first = request("{ account { balance } }");
        parsed.prepare(&mut first);
        assert!(first.parsed_query().is_ok());
        assert!(parsed.get("{ account { balance } }").is_some());

        let mut broken = request("{ account { balance ");
        parsed.prepare(&mut broken);
        assert!(parsed.get("{ account { balance ").is_none());
        assert!(
            broken.parsed_query().is_err(),
            "the engine sees the syntax error"
        );
    }

    #[test]
    fn the_map_never_grows_past_its_capacity() {
        let parsed = ParsedQueries::new(2);
        for field in ["a", "b", "c", "d", "e"] {
            parsed.prepare(&mut request(&format!("{{ {field} }}")));
            assert!(parsed.documents.lock().unwrap().len() <= 2);
        }
        assert!(parsed.get("{ e }").is_some(), "the newest is kept");
    }
}
