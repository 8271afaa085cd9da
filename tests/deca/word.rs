//! The Word edition's parts: every look from a named style (no colour or font in the body), no
//! blank paragraphs, every style the body uses defined, every part valid against the ECMA-376
//! transitional schemas, and golden document parts. How LibreOffice lays the files out is in
//! `word_layout.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Every DOCX of a build, with its manifest entry.
pub fn docx_files(out: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "docx")
        .map(|a| (out.join(a["path"].as_str().unwrap()), a.clone()))
        .collect()
}

pub fn part(docx: &Path, name: &str) -> String {
    let parts = zip_parts(&std::fs::read(docx).unwrap());
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("{} has no {name}", docx.display()))
            .clone(),
    )
    .unwrap()
}

/// The values of an attribute `w:val` of every `<element .../>` in XML.
fn vals(xml: &str, element: &str) -> Vec<String> {
    let needle = format!("<{element} w:val=\"");
    xml.match_indices(&needle)
        .map(|(i, _)| {
            let s = &xml[i + needle.len()..];
            s[..s.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_body_names_styles_and_never_a_colour_or_a_font() {
    for (docx, _) in docx_files(peru_build()) {
        for name in ["word/document.xml", "word/footnotes.xml"] {
            let xml = part(&docx, name);
            for direct in [
                "<w:color ",
                "w:fill=",
                "<w:shd ",
                "<w:rFonts ",
                "<w:sz ",
                "<w:highlight ",
            ] {
                assert!(
                    !xml.contains(direct),
                    "{} {name} formats directly with {direct}",
                    docx.display()
                );
            }
        }
    }
}

#[test]
fn no_paragraph_is_blank_or_only_a_page_break() {
    for (docx, _) in docx_files(peru_build()) {
        let xml = part(&docx, "word/document.xml");
        assert!(
            !xml.contains("w:type=\"page\""),
            "{}: a page-break run",
            docx.display()
        );
        // Holds a picture, a field, or text (an empty `<w:t>` is no text).
        let is_blank = |p: &str| {
            let text = p.match_indices("<w:t").any(|(i, _)| {
                let rest = &p[i + 4..];
                (rest.starts_with('>') || rest.starts_with(' '))
                    && rest.find('>').is_some_and(|e| {
                        !rest[..e].ends_with('/') && !rest[e + 1..].starts_with('<')
                    })
            });
            let other = ["<w:drawing>", "<w:fldChar", "<w:fldSimple"];
            !(text || other.iter().any(|h| p.contains(h)))
        };
        let paragraphs = |x: &str| -> Vec<String> {
            x.split("<w:p>")
                .skip(1)
                .chain(x.split("<w:p ").skip(1))
                .map(|p| p[..p.find("</w:p>").unwrap_or(p.len())].to_string())
                .collect()
        };
        // A table cell must hold a paragraph, so an empty cell's only paragraph is no spacer;
        // every other paragraph holds text, a picture or a field.
        let mut blank = 0;
        let mut outside = xml.clone();
        while let Some(i) = outside.find("<w:tc>") {
            let end = outside[i..]
                .find("</w:tc>")
                .map_or(outside.len(), |e| i + e + 7);
            let cell = outside[i..end].to_string();
            let ps = paragraphs(&cell);
            if ps.len() > 1 {
                blank += ps.iter().filter(|p| is_blank(p)).count();
            }
            outside.replace_range(i..end, "");
        }
        blank += paragraphs(&outside).iter().filter(|p| is_blank(p)).count();
        assert_eq!(blank, 0, "{}: {blank} blank paragraphs", docx.display());
    }
}

/// The style ids the built-in reference defines.
fn builtin_style_ids() -> BTreeSet<String> {
    let styles =
        std::fs::read_to_string(root().join("templates/docx/reference/word/styles.xml")).unwrap();
    styles
        .match_indices("w:styleId=\"")
        .map(|(i, _)| {
            let s = &styles[i + "w:styleId=\"".len()..];
            s[..s.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn every_style_the_body_uses_is_defined_and_listed() {
    let defined = builtin_style_ids();
    let listed: BTreeSet<&str> = deca::render::docx::STYLES.iter().copied().collect();
    let mut used = BTreeSet::new();
    let outs = [peru_build(), crate::fixture::marenland_build()];
    for out in outs {
        for (docx, _) in docx_files(out) {
            for name in ["word/document.xml", "word/footnotes.xml"] {
                let xml = part(&docx, name);
                for el in ["w:pStyle", "w:rStyle", "w:tblStyle"] {
                    used.extend(vals(&xml, el));
                }
            }
        }
    }
    // The body uses most of what it lists (a list that only grows would not be checked).
    assert!(
        used.len() >= 40,
        "only {} styles used: {used:?}",
        used.len()
    );
    for id in &used {
        assert!(
            defined.contains(id),
            "the body uses `{id}`, which the built-in reference lacks"
        );
        assert!(
            listed.contains(id.as_str()),
            "the body uses `{id}`, which STYLES does not list: a reference lacking it is not warned"
        );
    }
    for id in &listed {
        assert!(
            defined.contains(*id),
            "STYLES lists `{id}`, which the built-in reference lacks"
        );
    }
}

/// Which ECMA-376 schema entry point validates a part, by its name.
fn schema_for(name: &str) -> Option<&'static str> {
    match name {
        "[Content_Types].xml" => Some("validate-opc-contentTypes.xsd"),
        n if n.ends_with(".rels") => Some("validate-opc-relationships.xsd"),
        "docProps/app.xml" => Some("validate-shared-documentPropertiesExtended.xsd"),
        n if n.starts_with("word/theme/") => Some("validate-dml-main.xsd"),
        // Core properties use the Dublin Core schemas, which are not vendored: their content
        // is checked by `docx::every_part_is_well_formed_and_the_structure_is_word_s`.
        "docProps/core.xml" => None,
        n if n.starts_with("word/") && n.ends_with(".xml") => Some("validate-wml.xsd"),
        _ => None,
    }
}

#[test]
fn every_part_validates_against_the_ecma_376_transitional_schemas() {
    if !have(&["xmllint"]) {
        return;
    }
    let schemas = root().join("tests/schemas/ooxml");
    let tmp = tempfile::tempdir().unwrap();
    let mut by_schema: std::collections::BTreeMap<&str, Vec<PathBuf>> = Default::default();
    let mut n = 0;
    for out in [peru_build(), crate::fixture::marenland_build()] {
        for (docx, _) in docx_files(out) {
            n += 1;
            for (name, bytes) in zip_parts(&std::fs::read(&docx).unwrap()) {
                let Some(schema) = schema_for(&name) else {
                    continue;
                };
                let path = tmp.path().join(format!("{n}")).join(&name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, bytes).unwrap();
                by_schema.entry(schema).or_default().push(path);
            }
        }
    }
    assert!(by_schema["validate-wml.xsd"].len() >= 6 * n);
    for (schema, files) in by_schema {
        let o = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(schemas.join(schema))
            .args(&files)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        let failures: Vec<&str> = err.lines().filter(|l| !l.ends_with(" validates")).collect();
        assert!(
            o.status.success() && failures.is_empty(),
            "{schema}:\n{}",
            failures.join("\n")
        );
    }
}

/// XML as lines, one element or text per line, attributes sorted: two parts that say the same
/// thing compare equal however they are spaced.
fn normalized(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut depth = 0usize;
    loop {
        match r.read_event().unwrap() {
            Event::Eof => break,
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (Event::Start(e) | Event::Empty(e)) = &ev else {
                    unreachable!()
                };
                let mut attrs: Vec<String> = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        format!(
                            "{}=\"{}\"",
                            String::from_utf8_lossy(a.key.as_ref()),
                            a.unescape_value().unwrap()
                        )
                    })
                    .collect();
                attrs.sort();
                out.push_str(&" ".repeat(depth));
                out.push('<');
                out.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                for a in attrs {
                    out.push(' ');
                    out.push_str(&a);
                }
                out.push_str(">\n");
                if matches!(ev, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) => {
                let t = t.unescape().unwrap();
                if !t.trim().is_empty() {
                    out.push_str(&" ".repeat(depth));
                    out.push_str(&format!("{t:?}\n"));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn document_parts_match_the_goldens() {
    // The cases of `golden::every_kind_plans_the_document_its_golden_file_holds`: the same
    // documents' main part, beside their `ir.json`.
    let letter = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &letter.path().join("peru"));
    let out = letter.path().join("out");
    BuildCmd::new(letter.path(), "peru")
        .format("docx")
        .kind("overview")
        .lang("en")
        .paper("letter")
        .out(&out)
        .ok();
    let peru = peru_build().join("peru");
    let cases = [
        ("peru-en-report", peru.join("en/report.docx")),
        (
            "peru-es-brief-integrity",
            peru.join("es/brief-integrity.docx"),
        ),
        (
            "peru-en-onepager-rural-connectivity-models",
            peru.join("en/onepager-rural-connectivity-models.docx"),
        ),
        ("peru-en-overview-letter", out.join("peru/en/overview.docx")),
        (
            "marenland-en-brief-inclusion",
            crate::fixture::marenland_build().join("marenland/en/brief-inclusion.docx"),
        ),
    ];
    let mut failures = Vec::new();
    for (case, docx) in cases {
        let actual = normalized(&part(&docx, "word/document.xml"));
        let golden = crate::golden::case_dir(case).join("document.xml");
        if crate::golden::blessing() {
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            failures.push(format!(
                "{case}: differs from line {} ({:?} now {:?})",
                line + 1,
                expected.lines().nth(line).unwrap_or(""),
                actual.lines().nth(line).unwrap_or("")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nreview the change, then run `DECA_BLESS=1 cargo test --test deca document_parts_match_the_goldens`",
        failures.join("\n")
    );
}

#[test]
fn a_content_wrapper_keeps_its_pictures() {
    // A reference whose body frames every document: a logo above `{{content}}`.
    let logo = zip_parts(
        &std::fs::read(root().join("tests/fixtures/reference/letterhead-split.docx")).unwrap(),
    )
    .into_iter()
    .find(|(n, _)| n.starts_with("word/media/"))
    .unwrap()
    .1;
    let builtin = zip_parts(deca::templates::REFERENCE_DOCX);
    let doc = String::from_utf8(builtin["word/document.xml"].clone()).unwrap();
    let sect = &doc[doc.find("<w:sectPr>").unwrap()..doc.find("</w:body>").unwrap()];
    let picture = r#"<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1080000" cy="360000"/><wp:docPr id="1" name="Logo" descr="Mission logo"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="Logo"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdLogo"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let wrapped = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>{picture}<w:p><w:r><w:t>{{{{content}}}}</w:t></w:r></w:p>{sect}</w:body></w:document>"#
    );
    let rels = String::from_utf8(builtin["word/_rels/document.xml.rels"].clone())
        .unwrap()
        .replace(
            "</Relationships>",
            r#"<Relationship Id="rIdLogo" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/logo.png"/></Relationships>"#,
        );
    let mut reference = crate::docx::make_reference(&[
        ("word/document.xml", &wrapped),
        ("word/_rels/document.xml.rels", &rels),
    ]);
    {
        // The logo's bytes, added to the package.
        use std::io::Write;
        let mut parts = zip_parts(&reference);
        parts.insert("word/media/logo.png".into(), logo.clone());
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(&bytes).unwrap();
        }
        reference = z.finish().unwrap().into_inner();
    }
    let tmp = fixture(None);
    let path = tmp.path().join("wrapper.docx");
    std::fs::write(&path, reference).unwrap();
    let docx = overview_docx_with(tmp.path(), &path, "en");
    let body = part(&docx, "word/document.xml");
    let rels = part(&docx, "word/_rels/document.xml.rels");
    // The picture's relationship is carried over under an id of deca's, with its bytes.
    let id = vals(&body.replace("r:embed=", "w:val="), "a:blip")
        .into_iter()
        .find(|v| v.starts_with("rIdDecaWrap"))
        .unwrap_or_else(|| panic!("the wrapper's picture lost its relationship: {body:.400}"));
    assert!(
        rels.contains(&format!("Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/logo.png\"")),
        "{rels}"
    );
    let parts = zip_parts(&std::fs::read(&docx).unwrap());
    assert_eq!(parts["word/media/logo.png"], logo);
    assert!(body.find(&id).unwrap() < body.find("Recommendations at a glance").unwrap());
}
