//! Removing from a reference document everything that could reach outside the file or run
//! code, before any part of it is copied into a generated document:
//! - relationships that are external (remote images, `file:` links, attached templates) or
//!   point at OLE objects, ActiveX controls, macro projects, custom XML, sub-documents,
//!   imported files or mail-merge sources, with the parts they point at;
//! - parts that are such things whether referenced or not (`vbaProject.bin`, `embeddings/`,
//!   `activeX/`, `customXml/`, any `.bin`);
//! - in every XML part: OLE objects and controls (`w:object`, `o:OLEObject`, `w:control`),
//!   sub-documents, `w:altChunk`, `w:attachedTemplate`, `w:mailMerge`, data bindings, custom XML
//!   markup (its content is kept), VML images linked by path, attributes naming a dropped
//!   relationship, and every field but page, date, property and reference fields (so
//!   INCLUDETEXT, INCLUDEPICTURE, LINK, DDE... go): the field goes, the text it last showed
//!   stays.
//!
//! Images, styles, the theme, fonts, page setup and ordinary fields (PAGE, NUMPAGES...) are
//! kept. A part with nothing to remove is left byte for byte as it was.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use super::{parse_rels, rels_path, resolve};

/// What was removed: a group ("external links") and where or what.
pub(super) type Removed = BTreeMap<&'static str, BTreeSet<String>>;

const W: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const R: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    b"http://purl.oclc.org/ooxml/officeDocument/relationships",
];
const O: &[u8] = b"urn:schemas-microsoft-com:office:office";
const V: &[u8] = b"urn:schemas-microsoft-com:vml";

const EXTERNAL: &str = "external links";
const OLE: &str = "OLE objects";
const ACTIVEX: &str = "ActiveX controls";
const MACROS: &str = "macros";
const CUSTOM_XML: &str = "custom XML";
const TEMPLATES: &str = "attached templates";
const FIELDS: &str = "fields other than page, date, property and reference fields";
const MAIL_MERGE: &str = "mail merge data sources";
const SUBDOCS: &str = "sub-documents and imported files";
const BINARY: &str = "binary parts";

/// Fields a reference may keep: page numbers, dates, document properties, references within
/// the document and arithmetic. Any other field (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE,
/// DDEAUTO, DATABASE, MACROBUTTON, HYPERLINK, prompts, mail merge...) is removed, and so is a
/// field whose keyword is itself computed by a nested field, the way a hostile file would hide
/// one. Nested fields are judged on their own.
const SAFE_FIELDS: [&str; 38] = [
    "PAGE",
    "NUMPAGES",
    "SECTIONPAGES",
    "SECTION",
    "DATE",
    "TIME",
    "CREATEDATE",
    "SAVEDATE",
    "PRINTDATE",
    "EDITTIME",
    "TITLE",
    "SUBJECT",
    "AUTHOR",
    "KEYWORDS",
    "COMMENTS",
    "LASTSAVEDBY",
    "DOCPROPERTY",
    "FILENAME",
    "FILESIZE",
    "NUMWORDS",
    "NUMCHARS",
    "REVNUM",
    "TEMPLATE",
    "STYLEREF",
    "REF",
    "PAGEREF",
    "NOTEREF",
    "SEQ",
    "TOC",
    "TC",
    "SYMBOL",
    "=",
    "IF",
    "QUOTE",
    "LISTNUM",
    "AUTONUM",
    "AUTONUMLGL",
    "EQ",
];

/// The group of a relationship type deca never carries, by its last segment.
fn rel_group(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "oleObject" | "package" => OLE,
        "control" | "activeXControlBinary" => ACTIVEX,
        "vbaProject"
        | "wordVbaData"
        | "vbaProjectSignature"
        | "vbaProjectSignatureAgile"
        | "vbaProjectSignatureV3"
        | "keyMapCustomizations"
        | "attachedToolbars" => MACROS,
        "customXml" | "customXmlProps" | "customXmlData" => CUSTOM_XML,
        "attachedTemplate" => TEMPLATES,
        "subDocument" | "aFChunk" | "frame" => SUBDOCS,
        "mailMergeSource" | "mailMergeHeaderSource" | "recipientData" => MAIL_MERGE,
        _ => return None,
    })
}

/// The group of a part deca never carries, by its name.
fn part_group(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    if file.starts_with("vbaproject") || file.starts_with("vbadata") {
        Some(MACROS)
    } else if lower.contains("/embeddings/") {
        Some(OLE)
    } else if lower.contains("/activex/") {
        Some(ACTIVEX)
    } else if lower.starts_with("customxml/") {
        Some(CUSTOM_XML)
    } else if file.ends_with(".bin") {
        Some(BINARY)
    } else {
        None
    }
}

/// An element removed with everything inside it, by namespace and local name.
fn dropped_element(ns: Ns, local: &[u8]) -> Option<&'static str> {
    Some(match (ns, local) {
        (Ns::W, b"object" | b"objectEmbed" | b"objectLink") | (Ns::O, b"OLEObject") => OLE,
        (Ns::W, b"control") => ACTIVEX,
        (Ns::W, b"subDoc" | b"altChunk") => SUBDOCS,
        (Ns::W, b"attachedTemplate") => TEMPLATES,
        (Ns::W, b"mailMerge") => MAIL_MERGE,
        (Ns::W, b"dataBinding" | b"customXmlPr") => CUSTOM_XML,
        _ => return None,
    })
}

/// Removes what deca never carries from `parts`, and says what went.
pub(super) fn sanitize(parts: &mut BTreeMap<String, Vec<u8>>) -> Removed {
    let mut removed = Removed::new();
    let mut dropped_ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut drop_parts = BTreeSet::new();

    let rels_parts: Vec<String> = parts
        .keys()
        .filter(|n| n.ends_with(".rels"))
        .cloned()
        .collect();
    for name in rels_parts {
        let owner = owner_of(&name);
        let mut ids = BTreeSet::new();
        for rel in parse_rels(&parts[&name]) {
            let group = rel_group(rel.short_kind()).or(rel.external.then_some(EXTERNAL));
            let Some(group) = group else { continue };
            ids.insert(rel.id.clone());
            if rel.external {
                removed.entry(group).or_default().insert(format!(
                    "`{}` in {}",
                    shorten(&rel.target),
                    shown(&owner)
                ));
            } else {
                let target = resolve(&owner, &rel.target);
                removed.entry(group).or_default().insert(target.clone());
                drop_parts.insert(target);
            }
        }
        if !ids.is_empty() {
            if let Some(filtered) = filter_rels(&parts[&name], &ids) {
                parts.insert(name.clone(), filtered);
            }
            dropped_ids.insert(owner, ids);
        }
    }
    for name in parts.keys() {
        if let Some(group) = part_group(name)
            && !drop_parts.contains(name)
        {
            removed.entry(group).or_default().insert(name.clone());
            drop_parts.insert(name.clone());
        }
    }
    for name in &drop_parts {
        parts.remove(name);
        parts.remove(&rels_path(name));
    }

    let no_ids = BTreeSet::new();
    let xml_parts: Vec<String> = parts
        .keys()
        .filter(|n| n.ends_with(".xml") && !n.starts_with('['))
        .cloned()
        .collect();
    for name in xml_parts {
        let ids = dropped_ids.get(&name).unwrap_or(&no_ids);
        if let Some(clean) = rewrite(&name, &parts[&name], ids, &mut removed) {
            parts.insert(name, clean);
        }
    }
    removed
}

/// The part a `.rels` part belongs to: `word/_rels/header1.xml.rels` → `word/header1.xml`;
/// the package's own `_rels/.rels` → "".
fn owner_of(rels: &str) -> String {
    let (dir, file) = rels.rsplit_once('/').unwrap_or(("", rels));
    let dir = dir.strip_suffix("_rels").unwrap_or(dir);
    let file = file.strip_suffix(".rels").unwrap_or(file);
    format!("{dir}{file}")
}

fn shown(part: &str) -> &str {
    if part.is_empty() { "the package" } else { part }
}

/// A target as a message shows it: printable, and not too long.
fn shorten(target: &str) -> String {
    let clean: String = target.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > 80 {
        format!("{}…", clean.chars().take(79).collect::<String>())
    } else {
        clean
    }
}

/// A `.rels` part without the relationships in `ids`.
fn filter_rels(bytes: &[u8], ids: &BTreeSet<String>) -> Option<Vec<u8>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut writer = quick_xml::Writer::new(Vec::new());
    let mut buf = Vec::new();
    let mut skip = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e)
                if skip == 0
                    && e.local_name().as_ref() == b"Relationship"
                    && attr(e, b"Id").is_some_and(|id| ids.contains(&id)) =>
            {
                if matches!(event, Event::Start(_)) {
                    skip = 1;
                }
            }
            Event::Start(_) if skip > 0 => skip += 1,
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            _ => writer.write_event(event.borrow()).ok()?,
        }
        buf.clear();
    }
    Some(writer.into_inner())
}

/// An attribute's unescaped value, by its (unprefixed) name.
fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(std::borrow::Cow::into_owned))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    W,
    R,
    O,
    V,
    Other,
}

fn ns_of(r: &ResolveResult) -> Ns {
    match r {
        ResolveResult::Bound(Namespace(n)) if W.contains(n) => Ns::W,
        ResolveResult::Bound(Namespace(n)) if R.contains(n) => Ns::R,
        ResolveResult::Bound(Namespace(n)) if *n == O => Ns::O,
        ResolveResult::Bound(Namespace(n)) if *n == V => Ns::V,
        _ => Ns::Other,
    }
}

/// How a field is named in the warning when it must go (`INCLUDETEXT`), or `None` when it may
/// stay. Only the instruction's own text counts: nested fields' results are not in it.
fn unsafe_field(instr: &str) -> Option<String> {
    match instr.split_whitespace().next() {
        None => Some("a computed field".to_string()),
        Some(word) => {
            let word = word.to_ascii_uppercase();
            let keyword = word.trim_start_matches('\\');
            if SAFE_FIELDS.contains(&keyword) {
                None
            } else if keyword.chars().all(|c| c.is_ascii_alphabetic()) && !keyword.is_empty() {
                Some(keyword.to_string())
            } else {
                // Not a keyword: what Word runs is computed from nested fields.
                Some("a computed field".to_string())
            }
        }
    }
}

mod rewrite;
use rewrite::rewrite;

#[cfg(test)]
mod tests;
