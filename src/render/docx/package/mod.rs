//! Assembling the Word package: the body deca wrote, with the reference document's styles
//! (completed from the built-in ones), theme, settings, fonts, page setup, headers and footers
//! (placeholders filled, their pictures and links carried over), the `{{content}}` wrapper of
//! its body with its relationships, core properties, and a deterministic zip.

mod parts;
mod patch;
pub(super) mod section;

use std::collections::BTreeMap;

pub(super) use parts::lang_tag;
use parts::rel;

use super::body::{Body, FRONT_SECTION};
use super::geometry::Geometry;
use super::reference::{self, Reference};
use super::{placeholders, styles};
use crate::diag::{DResult, Diagnostic};
use crate::ir::Document;

const CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

fn fill_part(doc: &Document, part: &str, xml: &str) -> Result<String, Diagnostic> {
    placeholders::fill(xml, &placeholders::values(doc)).map_err(|placeholders::Unknown(name)| {
        let known: Vec<String> = placeholders::known(doc)
            .iter()
            .map(|k| format!("{{{{{k}}}}}"))
            .collect();
        Diagnostic::error(format!(
            "unknown placeholder `{{{{{name}}}}}` in `{part}` of the reference document"
        ))
        .hint(format!("known placeholders: {}", known.join(", ")))
    })
}

/// Rewrites relationship ids in XML (`r:id`, `r:embed`, `r:link` attributes).
fn rename_rids(xml: &str, from: &str, to: &str) -> String {
    let mut s = xml.to_string();
    for attr in ["r:id", "r:embed", "r:link", "r:pict"] {
        s = s.replace(&format!("{attr}=\"{from}\""), &format!("{attr}=\"{to}\""));
    }
    s
}

/// The namespace declarations of a reference's main document that deca's root lacks, so
/// its `{{content}}` wrapper stays well-formed wherever it uses them.
fn wrapper_namespaces(main: &str) -> String {
    let Some(start) = main.find("<w:document") else {
        return String::new();
    };
    let end = main[start..].find('>').map_or(main.len(), |e| start + e);
    let tag = &main[start..end];
    let mut out = String::new();
    let mut rest = tag;
    while let Some(i) = rest.find(" xmlns:") {
        let decl = &rest[i..];
        let Some(eq) = decl.find("=\"") else { break };
        let Some(close) = decl[eq + 2..].find('"') else {
            break;
        };
        let whole = &decl[..eq + 2 + close + 1];
        let prefix = &decl[" xmlns:".len()..eq];
        if !super::xml::NAMESPACES.contains(&format!(" xmlns:{prefix}=")) {
            out.push_str(whole);
        }
        rest = &decl[whole.len()..];
    }
    out
}

/// Collects a part's own relationships into the package: the media they point to (added to
/// `parts`), and their relationship elements.
struct Package {
    parts: BTreeMap<String, Vec<u8>>,
    overrides: Vec<(String, String)>,
    defaults: BTreeMap<String, String>,
}

impl Package {
    fn media(&mut self, r: &Reference, owner: &str, target: &str) {
        let mp = reference::resolve(owner, target);
        if let Some(bytes) = r.parts.get(&mp) {
            if let Some(ext) = mp.rsplit('.').next() {
                self.defaults
                    .entry(ext.to_ascii_lowercase())
                    .or_insert_with(|| parts::media_type(ext));
            }
            self.parts.insert(mp, bytes.clone());
        }
    }

    fn add(&mut self, name: &str, content_type: &str, bytes: Vec<u8>) {
        self.overrides
            .push((format!("/{name}"), content_type.to_string()));
        self.parts.insert(name.to_string(), bytes);
    }
}

/// The styles part: the reference's, completed from the built-in, branded when built-in,
/// scaled to fit, in the document's language and direction.
fn styles_part(
    doc: &Document,
    body: &Body,
    r: &Reference,
    builtin: &Reference,
    geo: &Geometry,
    scale: f64,
) -> String {
    let builtin_styles = builtin
        .part_of_kind("styles")
        .and_then(|p| builtin.text(&p))
        .unwrap_or_default();
    let needed: Vec<&str> = body.styles.iter().copied().collect();
    let mut xml = match r.part_of_kind("styles").and_then(|p| r.text(&p)) {
        // The reference's numbering part is not carried over (deca writes its own lists), so
        // its styles must not point into it.
        Some(s) => {
            styles::merge(
                &styles::defaults_into_normal(&styles::strip_numbering(&s)),
                &builtin_styles,
                &needed,
            )
            .0
        }
        None => builtin_styles,
    };
    if r.builtin {
        xml = styles::brand(&xml, &doc.theme);
        xml = styles::tabs_at(&xml, geo.text_width());
    }
    xml = styles::scale_sizes(&xml, scale);
    let tag = lang_tag(doc);
    xml = styles::set_language(&xml, &tag);
    super::direction::styles(&xml, doc.dir, &tag)
}

/// Builds the final package.
pub(super) fn assemble(
    doc: &Document,
    body: Body,
    r: &Reference,
    builtin: &Reference,
    geo: &Geometry,
    created: &str,
) -> DResult<Vec<u8>> {
    let tag = lang_tag(doc);
    let mut pkg = Package {
        parts: BTreeMap::new(),
        overrides: Vec::new(),
        defaults: BTreeMap::from([
            (
                "rels".into(),
                "application/vnd.openxmlformats-package.relationships+xml".into(),
            ),
            ("xml".into(), "application/xml".into()),
            ("png".into(), "image/png".into()),
        ]),
    };
    let mut rels = vec![
        rel("rIdDecaStyles", "styles", "styles.xml", false),
        rel("rIdDecaSettings", "settings", "settings.xml", false),
        rel("rIdDecaFonts", "fontTable", "fontTable.xml", false),
        rel("rIdDecaNumbering", "numbering", "numbering.xml", false),
        rel("rIdDecaFootnotes", "footnotes", "footnotes.xml", false),
    ];

    // One-page documents take the largest text scale, no larger than the PDF's, at which
    // Word's layout of the body fits the page.
    let scale = if doc.kind.is_one_page() {
        super::fit::choose(doc.scale, geo.text_height() as f64, |s| {
            super::fit::height(&body.xml, &styles_part(doc, &body, r, builtin, geo, s), geo)
        })
    } else {
        doc.scale
    };
    let styles_xml = styles_part(doc, &body, r, builtin, geo, scale);
    pkg.add(
        "word/styles.xml",
        &format!("{CT}.styles+xml"),
        styles_xml.into_bytes(),
    );
    pkg.add(
        "word/numbering.xml",
        &format!("{CT}.numbering+xml"),
        body.numbering.clone().into_bytes(),
    );
    pkg.add(
        "word/footnotes.xml",
        &format!("{CT}.footnotes+xml"),
        super::direction::part(&parts::footnotes(&body.footnotes), doc.dir).into_bytes(),
    );

    // Theme, settings and fonts from the reference (or the built-in one).
    let from = |kind: &str| {
        r.part_of_kind(kind)
            .and_then(|p| r.parts.get(&p).cloned())
            .or_else(|| {
                builtin
                    .part_of_kind(kind)
                    .and_then(|p| builtin.parts.get(&p).cloned())
            })
    };
    if let Some(t) = from("theme") {
        let mut t = String::from_utf8_lossy(&t).into_owned();
        if r.builtin {
            t = styles::brand(&t, &doc.theme);
        }
        pkg.add(
            "word/theme/theme1.xml",
            "application/vnd.openxmlformats-officedocument.theme+xml",
            t.into_bytes(),
        );
        rels.push(rel("rIdDecaTheme", "theme", "theme/theme1.xml", false));
    }
    let settings = String::from_utf8_lossy(&from("settings").unwrap_or_default()).into_owned();
    pkg.add(
        "word/settings.xml",
        &format!("{CT}.settings+xml"),
        patch::settings(&settings, &tag).into_bytes(),
    );
    pkg.add(
        "word/fontTable.xml",
        &format!("{CT}.fontTable+xml"),
        from("fontTable").unwrap_or_default(),
    );

    // Headers and footers, with their own relationships and media.
    for hf in r
        .rels
        .iter()
        .filter(|x| matches!(x.short_kind(), "header" | "footer") && !x.external)
    {
        let path = reference::resolve(&r.main, &hf.target);
        let Some(text) = r.text(&path) else { continue };
        let filled = fill_part(doc, &path, &text)?;
        let target = path.strip_prefix("word/").unwrap_or(&path).to_string();
        rels.push(rel(&hf.id, hf.short_kind(), &target, false));
        pkg.add(
            &path,
            &format!("{CT}.{}+xml", hf.short_kind()),
            super::direction::part(&filled, doc.dir).into_bytes(),
        );
        let own_rels = reference::rels_path(&path);
        if let Some(rb) = r.parts.get(&own_rels) {
            for media in reference::parse_rels(rb).iter().filter(|m| !m.external) {
                pkg.media(r, &path, &media.target);
            }
            pkg.parts.insert(own_rels, rb.clone());
        }
    }

    // The body, in the reference's `{{content}}` wrapper when it has one.
    let sections = section::compose(doc, r, geo, body.front_section);
    let mut content = body.xml.replacen(
        FRONT_SECTION,
        sections.front.as_deref().unwrap_or_default(),
        1,
    );
    if let Some((before, after)) = r.body_wrapper() {
        let mut before = fill_part(doc, &r.main, &before)?;
        let mut after = fill_part(doc, &r.main, &after)?;
        // The wrapper's pictures and links keep their targets under ids of their own.
        for (k, wr) in r.rels.iter().enumerate() {
            let used = |x: &str| {
                ["r:id", "r:embed", "r:link", "r:pict"]
                    .iter()
                    .any(|a| x.contains(&format!("{a}=\"{}\"", wr.id)))
            };
            if !(used(&before) || used(&after)) {
                continue;
            }
            let id = format!("rIdDecaWrap{}", k + 1);
            before = rename_rids(&before, &wr.id, &id);
            after = rename_rids(&after, &wr.id, &id);
            if !wr.external {
                pkg.media(r, &r.main, &wr.target);
            }
            let target = if wr.external {
                wr.target.clone()
            } else {
                let p = reference::resolve(&r.main, &wr.target);
                p.strip_prefix("word/").unwrap_or(&p).to_string()
            };
            rels.push(rel(&id, wr.short_kind(), &target, wr.external));
        }
        content = format!("{before}{content}{after}");
    }
    let mut namespaces = super::xml::NAMESPACES.to_string();
    if r.body_wrapper().is_some() {
        namespaces.push_str(&wrapper_namespaces(&r.text(&r.main).unwrap_or_default()));
    }
    let document = format!(
        "{}<w:document{namespaces}><w:body>{content}{}</w:body></w:document>",
        super::xml::DECLARATION,
        sections.main
    );
    pkg.add(
        "word/document.xml",
        &format!("{CT}.document.main+xml"),
        super::direction::part(&document, doc.dir).into_bytes(),
    );

    // The body's pictures and links.
    for (rid, name, bytes) in body.media {
        rels.push(rel(&rid, "image", &format!("media/{name}"), false));
        pkg.parts.insert(format!("word/media/{name}"), bytes);
    }
    for (rid, url) in &body.links {
        rels.push(rel(rid, "hyperlink", url, true));
    }
    pkg.parts.insert(
        "word/_rels/document.xml.rels".into(),
        parts::rels_part(&rels).into_bytes(),
    );
    pkg.parts.insert(
        "_rels/.rels".into(),
        parts::rels_part(&[
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>".to_string(),
            "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>".to_string(),
            "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>".to_string(),
        ])
        .into_bytes(),
    );
    pkg.add(
        "docProps/core.xml",
        "application/vnd.openxmlformats-package.core-properties+xml",
        parts::core(doc, created).into_bytes(),
    );
    pkg.add(
        "docProps/app.xml",
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        parts::app().into_bytes(),
    );

    pkg.overrides.sort();
    pkg.overrides.dedup();
    let types = parts::content_types(&pkg.defaults, &pkg.overrides);
    parts::zip(&types, &pkg.parts).map_err(|e| {
        vec![Diagnostic::error(format!(
            "failed to write the Word package ({e})"
        ))]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_ids_are_renamed_in_every_attribute() {
        let x = r#"<a:blip r:embed="rId7"/><w:hyperlink r:id="rId7"/><x r:id="rId70"/>"#;
        assert_eq!(
            rename_rids(x, "rId7", "rIdDecaWrap1"),
            r#"<a:blip r:embed="rIdDecaWrap1"/><w:hyperlink r:id="rIdDecaWrap1"/><x r:id="rId70"/>"#
        );
    }
}
