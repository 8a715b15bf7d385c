//! A small namespace-resolved element tree built from quick-xml's reader.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::error::ParseError;
use super::{PAF_NS, SOAP_ENV_NS};

#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) ns: Option<String>,
    pub(crate) name: String,
    pub(crate) children: Vec<Element>,
    pub(crate) text: String,
}

impl Element {
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(crate) fn req(&self, name: &str) -> Result<&Element, ParseError> {
        self.child(name)
            .ok_or_else(|| ParseError::structure(format!("<{}> lacks <{name}>", self.name)))
    }

    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The value of a required leaf child, parsed; a parse failure is a facet violation.
    pub(crate) fn value<T, E: ToString>(
        &self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, ParseError> {
        let el = self.req(name)?;
        parse(&el.text).map_err(|e| ParseError::facet(name, e))
    }

    pub(crate) fn opt_value<T, E: ToString>(
        &self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, ParseError> {
        match self.child(name) {
            Some(el) => parse(&el.text)
                .map(Some)
                .map_err(|e| ParseError::facet(name, e)),
            None => Ok(None),
        }
    }
}

/// The deepest nesting a document may have. The deepest paForNode message (a V2 receipt's
/// transfer metadata inside the envelope) is about ten levels; the limit leaves room for a
/// newer SANP release while keeping the tree shallow enough that building, reading and
/// dropping it (all recursive) can never exhaust a thread's stack.
pub(crate) const MAX_DEPTH: usize = 32;

/// The most elements a document may have. A receipt with five transfers, each with its
/// metadata, is a few hundred; the limit bounds the memory and time one request can take.
pub(crate) const MAX_ELEMENTS: usize = 10_000;

/// Parses a whole document into its root element, refusing documents deeper than
/// `MAX_DEPTH` or with more than `MAX_ELEMENTS` elements as soon as the limit is crossed.
pub(crate) fn parse_document(xml: &str) -> Result<Element, ParseError> {
    let mut reader = NsReader::from_str(xml);
    let bad = |e: &dyn std::fmt::Display| ParseError::NotWellFormed(e.to_string());
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements: usize = 0;
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| bad(&e))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Some(ns.as_ref().to_owned()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(ParseError::NotWellFormed(format!(
                    "undeclared prefix {prefix:?}"
                )));
            }
        };
        if matches!(event, Event::Start(_) | Event::Empty(_)) {
            elements = elements.saturating_add(1);
            if elements > MAX_ELEMENTS {
                return Err(ParseError::TooLarge(format!(
                    "more than {MAX_ELEMENTS} elements"
                )));
            }
            // The new element sits at depth `stack.len() + 1`.
            if stack.len() >= MAX_DEPTH {
                return Err(ParseError::TooLarge(format!(
                    "elements nested deeper than {MAX_DEPTH} levels"
                )));
            }
        }
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(ParseError::NotWellFormed(
                    "content after the root element".into(),
                ));
            }
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_owned();
                stack.push(Element {
                    ns,
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let name = start.local_name().as_ref().to_owned();
                attach(
                    &mut stack,
                    &mut root,
                    Element {
                        ns,
                        name,
                        ..Element::default()
                    },
                );
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| ParseError::NotWellFormed("unbalanced end tag".into()))?;
                attach(&mut stack, &mut root, done);
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&reference.xml10_content())
                        .ok_or_else(|| {
                            ParseError::NotWellFormed(format!(
                                "unknown entity &{};",
                                reference.xml10_content()
                            ))
                        })?
                        .to_owned(),
                };
                push_text(&mut stack, &resolved);
            }
            Event::DocType(_) => {
                return Err(ParseError::NotWellFormed("DTDs are not accepted".into()));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(ParseError::NotWellFormed(
            "document ends inside an element".into(),
        ));
    }
    root.ok_or_else(|| ParseError::NotWellFormed("no root element".into()))
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    // Text outside the root is whitespace only; quick-xml already rejects anything else there.
    if let Some(current) = stack.last_mut() {
        current.text.push_str(text);
    }
}

/// The element inside `soap:Body`, checked to belong to the paForNode namespace.
pub(crate) fn soap_payload(root: &Element) -> Result<&Element, ParseError> {
    let is_soap = |e: &Element, name: &str| e.ns.as_deref() == Some(SOAP_ENV_NS) && e.name == name;
    if !is_soap(root, "Envelope") {
        return Err(ParseError::structure("the root is not a SOAP 1.1 Envelope"));
    }
    let body = root
        .children
        .iter()
        .find(|c| is_soap(c, "Body"))
        .ok_or_else(|| ParseError::structure("the Envelope has no Body"))?;
    let payload = body
        .children
        .first()
        .ok_or_else(|| ParseError::structure("the Body is empty"))?;
    if payload.ns.as_deref() != Some(PAF_NS) {
        return Err(ParseError::structure(format!(
            "<{}> is not in the paForNode namespace",
            payload.name
        )));
    }
    Ok(payload)
}
