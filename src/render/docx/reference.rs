//! Reading a reference Word document safely, at the zip and XML level (docx-rs cannot round-trip
//! one). A reference comes from users, so it is treated as hostile: entry names must stay inside
//! the package, entry counts and inflated sizes are capped (reading stops at the cap, whatever
//! the zip headers claim), XML parts may not declare a DTD or entities, and everything that
//! could reach outside the file or run code is removed before any part is used (see
//! `sanitize`), with one warning saying what went.

mod sanitize;

use std::collections::BTreeMap;
use std::io::Read;

use crate::diag::Diagnostic;

/// Most entries a reference may have.
pub const MAX_ENTRIES: usize = 1_000;
/// Largest inflated size of one entry.
pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// Largest inflated size of all entries together.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;

/// A relationship from a `.rels` part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    /// The relationship's id, e.g. `rId3`, as parts refer to it.
    pub id: String,
    /// The relationship type's URI; [`Rel::short_kind`] gives its last segment.
    pub kind: String,
    /// The part or URL it points to, as written.
    pub target: String,
    /// Whether `target` is outside the package (`TargetMode="External"`).
    pub external: bool,
}

impl Rel {
    /// The relationship type's last segment: `styles`, `header`, `image`...
    pub fn short_kind(&self) -> &str {
        self.kind.rsplit('/').next().unwrap_or("")
    }
}

/// A reference document's parts.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Every entry by name.
    pub parts: BTreeMap<String, Vec<u8>>,
    /// The main document part's name, e.g. `word/document.xml`.
    pub main: String,
    /// Its relationships.
    pub rels: Vec<Rel>,
    /// Whether this is deca's own built-in reference.
    pub builtin: bool,
    /// How the reference is named in messages.
    pub shown: String,
    /// What sanitising removed, by group.
    pub removed: sanitize::Removed,
}

fn bad(shown: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(format!("reference document {shown}: {}", msg.into()))
        .hint("use a .docx saved by Word or LibreOffice, or start from `deca templates export DIR`")
}

/// Reads and checks a reference document.
pub fn read(bytes: &[u8], shown: &str, builtin: bool) -> Result<Reference, Diagnostic> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(shown, format!("is not a valid Word file ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(bad(
            shown,
            format!("has {} entries; the limit is {MAX_ENTRIES}", zip.len()),
        ));
    }
    let mut parts = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(shown, format!("has an unreadable entry ({e})")))?;
        let name = entry.name().to_string();
        if !safe_name(&name) {
            return Err(bad(
                shown,
                format!("has an entry named `{name}` that points outside the package"),
            ));
        }
        if entry.is_dir() {
            continue;
        }
        let mut buf = Vec::new();
        let read = (&mut entry)
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut buf)
            .map_err(|e| {
                bad(
                    shown,
                    format!("has an entry `{name}` that cannot be inflated ({e})"),
                )
            })?;
        if read as u64 > MAX_ENTRY_BYTES {
            return Err(bad(
                shown,
                format!("entry `{name}` inflates past {MAX_ENTRY_BYTES} bytes"),
            ));
        }
        total += read as u64;
        if total > MAX_TOTAL_BYTES {
            return Err(bad(
                shown,
                format!("inflates past {MAX_TOTAL_BYTES} bytes in total"),
            ));
        }
        if name.ends_with(".xml") || name.ends_with(".rels") {
            check_xml(shown, &name, &buf)?;
        }
        parts.insert(name, buf);
    }
    // deca's own reference holds nothing to remove, and is read for every document.
    let removed = if builtin {
        sanitize::Removed::new()
    } else {
        sanitize::sanitize(&mut parts)
    };
    let root_rels = parts
        .get("_rels/.rels")
        .map(|b| parse_rels(b))
        .unwrap_or_default();
    let main = root_rels
        .iter()
        .find(|r| r.short_kind() == "officeDocument")
        .map_or_else(
            || "word/document.xml".to_string(),
            |r| r.target.trim_start_matches('/').to_string(),
        );
    if !parts.contains_key(&main) {
        return Err(bad(shown, format!("has no main document part (`{main}`)")));
    }
    let rels = parts
        .get(&rels_path(&main))
        .map(|b| parse_rels(b))
        .unwrap_or_default();
    Ok(Reference {
        parts,
        main,
        rels,
        builtin,
        shown: shown.to_string(),
        removed,
    })
}

/// Entry names stay relative and inside the package.
fn safe_name(name: &str) -> bool {
    let drive_letter = name.len() > 1 && name.as_bytes()[1] == b':';
    let absolute = name.starts_with('/') || drive_letter;
    let odd = name.is_empty() || name.contains('\\') || name.contains('\0');
    !absolute && !odd && name.split('/').all(|seg| seg != ".." && seg != ".")
}

/// Every XML part must be well-formed and free of DTDs and entity declarations.
fn check_xml(shown: &str, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(bytes);
    if text.contains("<!DOCTYPE")
        || text.contains("<!ENTITY")
        || String::from_utf8_lossy(head).contains("<!doctype")
    {
        return Err(bad(
            shown,
            format!("part `{name}` declares a DTD or entities, which deca does not accept"),
        ));
    }
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::DocType(_)) => {
                return Err(bad(
                    shown,
                    format!("part `{name}` declares a DTD, which deca does not accept"),
                ));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(bad(
                    shown,
                    format!("part `{name}` is not well-formed XML ({e})"),
                ));
            }
        }
        buf.clear();
    }
    Ok(())
}

/// The `.rels` part that belongs to a part: `word/_rels/document.xml.rels`.
pub fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the folder of the part that owns it.
pub fn resolve(owner: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut segs: Vec<&str> = owner
        .rsplit_once('/')
        .map_or(vec![], |(d, _)| d.split('/').collect());
    for s in target.split('/') {
        match s {
            ".." => {
                segs.pop();
            }
            "." | "" => {}
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// Parses relationships.
pub fn parse_rels(bytes: &[u8]) -> Vec<Rel> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Empty(e)) | Ok(quick_xml::events::Event::Start(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let mut rel = Rel {
                    id: String::new(),
                    kind: String::new(),
                    target: String::new(),
                    external: false,
                };
                for a in e.attributes().flatten() {
                    let v = a
                        .unescape_value()
                        .map(|v| v.to_string())
                        .unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        b"Id" => rel.id = v,
                        b"Type" => rel.kind = v,
                        b"Target" => rel.target = v,
                        b"TargetMode" => rel.external = v == "External",
                        _ => {}
                    }
                }
                out.push(rel);
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

impl Reference {
    /// The one warning about what sanitising removed, if it removed anything.
    pub fn sanitized_warning(&self) -> Option<Diagnostic> {
        if self.removed.is_empty() {
            return None;
        }
        let groups: Vec<String> = self
            .removed
            .iter()
            .map(|(group, items)| {
                let mut listed: Vec<&str> = items.iter().map(String::as_str).take(5).collect();
                let more = format!("and {} more", items.len().saturating_sub(5));
                if items.len() > 5 {
                    listed.push(&more);
                }
                format!("{group} ({})", listed.join(", "))
            })
            .collect();
        Some(
            Diagnostic::warning(format!(
                "reference document {}: removed what deca never copies into documents: {}",
                self.shown,
                groups.join("; ")
            ))
            .hint("external links, embedded objects, controls, macros, custom XML, attached templates and fields other than page, date, property and reference fields are always removed; styles, images, page setup and fields such as PAGE and NUMPAGES are kept"),
        )
    }

    /// The text of a part, if present.
    pub fn text(&self, name: &str) -> Option<String> {
        self.parts
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// The part a relationship of the main document points to, by relationship kind.
    pub fn part_of_kind(&self, kind: &str) -> Option<String> {
        self.rels
            .iter()
            .find(|r| r.short_kind() == kind && !r.external)
            .map(|r| resolve(&self.main, &r.target))
            .filter(|p| self.parts.contains_key(p))
    }

    /// The last `<w:sectPr>` of the main document: page setup, header and footer references.
    pub fn section(&self) -> Option<String> {
        let doc = self.text(&self.main)?;
        let start = doc.rfind("<w:sectPr")?;
        let end = doc[start..].find("</w:sectPr>")? + start + "</w:sectPr>".len();
        Some(doc[start..end].to_string())
    }

    /// The main document's body, when it wraps the content: everything before and after a
    /// paragraph holding `{{content}}`.
    pub fn body_wrapper(&self) -> Option<(String, String)> {
        let doc = self.text(&self.main)?;
        let marker = doc.find("{{content}}")?;
        let body_start = doc.find("<w:body>")? + "<w:body>".len();
        let p_start = doc[..marker]
            .rfind("<w:p>")
            .into_iter()
            .chain(doc[..marker].rfind("<w:p "))
            .max()?;
        let p_end = doc[marker..].find("</w:p>")? + marker + "</w:p>".len();
        let sect = doc.rfind("<w:sectPr").unwrap_or(doc.len());
        if p_end > sect || p_start < body_start {
            return None;
        }
        Some((
            doc[body_start..p_start].to_string(),
            doc[p_end..sect].to_string(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_must_stay_inside() {
        assert!(safe_name("word/document.xml"));
        assert!(!safe_name("../evil.xml"));
        assert!(!safe_name("word/../../evil.xml"));
        assert!(!safe_name("/etc/passwd"));
        assert!(!safe_name("C:/x"));
        assert!(!safe_name("word\\x.xml"));
    }

    #[test]
    fn targets_resolve_against_their_owner() {
        assert_eq!(
            resolve("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve("word/header1.xml", "media/image1.png"),
            "word/media/image1.png"
        );
        assert_eq!(rels_path("word/header1.xml"), "word/_rels/header1.xml.rels");
    }

    #[test]
    fn the_builtin_reference_reads() {
        let r = read(crate::templates::REFERENCE_DOCX, "built-in", true).unwrap();
        assert_eq!(r.main, "word/document.xml");
        assert!(r.part_of_kind("styles").is_some());
        assert!(r.section().unwrap().contains("w:headerReference"));
        assert!(r.body_wrapper().is_none());
    }
}
