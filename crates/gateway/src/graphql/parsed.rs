//! Parsed operations, kept by their text. Apps and integrators send the same few queries
//! over and over, and parsing one is the largest single cost of a small request.
//!
//! A document that once passed every validation rule without variables passes them again
//! whenever it comes without variables: the rules read only the schema, the document, the
//! operation's name and the variables. Such requests skip the rules (`Validation::Done`)
//! but never the limits: depth, complexity, recursion and directives are checked on every
//! request, cached document or not.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_graphql::parser::types::ExecutableDocument;

/// Longer texts are parsed each time: they are rare, and would crowd out the common ones.
const MAX_TEXT_BYTES: usize = 16 * 1024;

/// Every request reads the map, from every worker thread: a read lock, and a document
/// copied outside it, so that readers never wait for each other.
pub struct ParsedQueries {
    documents: RwLock<HashMap<String, Parsed>>,
    capacity: usize,
}

struct Parsed {
    document: Arc<ExecutableDocument>,
    /// The operation name it passed every rule with, without variables.
    valid_as: Option<Option<String>>,
}

/// Whether a request still needs every validation rule.
#[derive(Debug, PartialEq, Eq)]
pub enum Validation {
    /// The same document, operation and (no) variables passed every rule before.
    Done,
    /// Every rule must run; `remember` names the document to mark valid if they pass.
    Needed { remember: Option<ValidatedAs> },
}

/// A document and the operation name of a request without variables.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidatedAs {
    text: String,
    operation: Option<String>,
}

impl ValidatedAs {
    fn of(request: &async_graphql::Request) -> Self {
        ValidatedAs {
            text: request.query.clone(),
            operation: request.operation_name.clone(),
        }
    }
}

impl ParsedQueries {
    pub fn new(capacity: usize) -> Self {
        ParsedQueries {
            documents: RwLock::new(HashMap::with_capacity(capacity)),
            capacity,
        }
    }

    /// Hands `request` its parsed document, parsing and keeping it on first sight, and says
    /// whether the validation rules must run. Text that does not parse is left to the
    /// engine, which reports the syntax error.
    pub fn prepare(&self, request: &mut async_graphql::Request) -> Validation {
        let without_variables = request.variables.is_empty();
        if let Some((document, valid)) = self.get(&request.query, &request.operation_name) {
            request.set_parsed_query(ExecutableDocument::clone(&document));
            if !without_variables {
                return Validation::Needed { remember: None };
            }
            if valid {
                return Validation::Done;
            }
            return Validation::Needed {
                remember: Some(ValidatedAs::of(request)),
            };
        }
        let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
            return Validation::Needed { remember: None };
        };
        let mut remember = None;
        if request.query.len() <= MAX_TEXT_BYTES
            && let Ok(mut documents) = self.documents.write()
        {
            // Emptying a full map, rather than evicting one by one, keeps the hot path a
            // plain lookup; whoever sends a stream of distinct queries only refills it.
            if documents.len() >= self.capacity {
                documents.clear();
            }
            let parsed = Parsed {
                document: Arc::new(document.clone()),
                valid_as: None,
            };
            documents.insert(request.query.clone(), parsed);
            remember = without_variables.then(|| ValidatedAs::of(request));
        }
        request.set_parsed_query(document);
        Validation::Needed { remember }
    }

    /// Records that a request without variables passed every rule.
    pub fn passed(&self, validated: ValidatedAs) {
        if let Ok(mut documents) = self.documents.write()
            && let Some(parsed) = documents.get_mut(&validated.text)
        {
            parsed.valid_as = Some(validated.operation);
        }
    }

    /// The document of `text`, and whether it passed every rule as `operation`.
    fn get(
        &self,
        text: &str,
        operation: &Option<String>,
    ) -> Option<(Arc<ExecutableDocument>, bool)> {
        let documents = self.documents.read().ok()?;
        let parsed = documents.get(text)?;
        let valid = parsed.valid_as.as_ref() == Some(operation);
        Some((Arc::clone(&parsed.document), valid))
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
        assert!(parsed.get("{ account { balance } }", &None).is_some());

        let mut broken = request("{ account { balance ");
        assert_eq!(
            parsed.prepare(&mut broken),
            Validation::Needed { remember: None }
        );
        assert!(parsed.get("{ account { balance ", &None).is_none());
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
            assert!(parsed.documents.read().unwrap().len() <= 2);
        }
        assert!(parsed.get("{ e }", &None).is_some(), "the newest is kept");
    }

    #[test]
    fn the_rules_are_skipped_only_for_what_passed_them_without_variables() {
        let parsed = ParsedQueries::new(8);
        let text = "query A { account { balance } } query B { tenant { name } }";
        let named = |name: &str| request(text).operation_name(name);

        let first = parsed.prepare(&mut named("A"));
        let expected = ValidatedAs {
            text: text.to_owned(),
            operation: Some("A".to_owned()),
        };
        assert_eq!(
            first,
            Validation::Needed {
                remember: Some(expected)
            },
            "a new document without variables is remembered once valid"
        );
        let Validation::Needed {
            remember: Some(validated),
        } = first
        else {
            return;
        };
        assert!(
            matches!(parsed.prepare(&mut named("A")), Validation::Needed { .. }),
            "not valid until the rules said so"
        );
        parsed.passed(validated);
        assert_eq!(parsed.prepare(&mut named("A")), Validation::Done);

        assert!(
            matches!(
                parsed.prepare(&mut named("B")),
                Validation::Needed { remember: Some(_) }
            ),
            "another operation of the same text is validated for itself"
        );
        let mut with_variables = named("A").variables(async_graphql::Variables::from_json(
            serde_json::json!({ "first": 1 }),
        ));
        assert_eq!(
            parsed.prepare(&mut with_variables),
            Validation::Needed { remember: None },
            "variables are validated on every request"
        );
    }
}
