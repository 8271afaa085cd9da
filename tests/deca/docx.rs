//! DOCX output: the package's parts and structure, parity with the PDF, a user's reference
//! document, and LibreOffice opening every file with one-pagers on one page.

use crate::support::*;

fn part(parts: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("missing part {name}"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn every_part_is_well_formed_and_the_structure_is_word_s() {
    let out = peru_build();
    let bytes = std::fs::read(out.join("peru/en/report.docx")).unwrap();
    let parts = zip_parts(&bytes);
    for (name, b) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_xml(name, b);
        }
    }
    let names: Vec<&str> = parts.keys().map(String::as_str).collect();
    for required in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/numbering.xml",
        "word/footnotes.xml",
        "word/settings.xml",
        "word/theme/theme1.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "docProps/core.xml",
    ] {
        assert!(names.contains(&required), "missing {required}: {names:?}");
    }
    let doc = part(&parts, "word/document.xml");
    // Headings in Heading 1–3 styles.
    for h in ["Heading1", "Heading2", "Heading3"] {
        assert!(
            doc.contains(&format!("<w:pStyle w:val=\"{h}\"/>")),
            "no {h}"
        );
    }
    // Real numbering: list paragraphs carry numPr, and numbering.xml defines decimal and bullets.
    assert!(doc.contains("<w:numPr>"));
    let numbering = part(&parts, "word/numbering.xml");
    assert!(numbering.contains("w:val=\"bullet\"") && numbering.contains("w:val=\"decimal\""));
    // Footnotes are Word footnotes.
    assert!(doc.contains("<w:footnoteReference"));
    assert!(part(&parts, "word/footnotes.xml").contains("w:type=\"separator\""));
    // Links are hyperlinks with external relationships; cross-references use bookmarks.
    let rels = part(&parts, "word/_rels/document.xml.rels");
    assert!(rels.contains("TargetMode=\"External\""));
    assert!(
        doc.contains("<w:hyperlink w:anchor=\"_Ref_finding_"),
        "internal links to bookmarks"
    );
    assert!(doc.contains("<w:bookmarkStart w:id="));
    assert!(doc.contains("PAGEREF _Ref_finding_"));
    // Figures carry alt text.
    let pictures: Vec<&str> = doc
        .split("<wp:docPr ")
        .skip(1)
        .map(|s| &s[..s.find("/>").unwrap()])
        .collect();
    assert!(pictures.len() >= 3, "{} pictures", pictures.len());
    for p in &pictures {
        assert!(
            p.contains(" descr=\"") && !p.contains(" descr=\"\""),
            "a picture without alt text: {p}"
        );
    }
    assert!(!doc.contains("descr=\"\""), "a picture without alt text");
    // The contents: entries linking to their headings, each page a PAGEREF field with no
    // shown value until Word or LibreOffice lays the file out.
    assert!(doc.contains("<w:pStyle w:val=\"TOC1\"/>"));
    assert!(doc.contains(" PAGEREF _Ref_finding_"));
    assert!(
        !doc.contains(" TOC \\o"),
        "a TOC field LibreOffice would freeze"
    );
    // Properties and language.
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>Peru Digital Ecosystem Country Assessment</dc:title>"));
    assert!(core.contains("<dc:language>en-US</dc:language>"));
    assert!(core.contains(
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-01T00:00:00Z</dcterms:created>"
    ));
    assert!(core.contains("<cp:keywords>Peru, Digital Ecosystem Country Assessment"));
    assert!(part(&parts, "word/styles.xml").contains("<w:lang w:val=\"en-US\""));
}

#[test]
fn the_overview_table_repeats_its_header_row() {
    let bytes = std::fs::read(peru_build().join("peru/en/overview.docx")).unwrap();
    let doc = part(&zip_parts(&bytes), "word/document.xml");
    assert!(doc.contains("<w:tblHeader/>"), "no repeating header row");
    assert!(doc.contains("<w:tblStyle w:val=\"DecaTable\"/>"));
}

#[test]
fn headings_and_paragraphs_match_the_pdf() {
    if !have(&["pdftotext"]) {
        return;
    }
    let out = peru_build();
    for a in manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "docx")
    {
        let docx = out.join(a["path"].as_str().unwrap());
        let pdf = docx.with_extension("pdf");
        assert_parity(&docx, &pdf);
    }
}

#[test]
fn docx_files_are_byte_identical_across_builds() {
    let tmp = fixture(None);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    for out in [&a, &b] {
        BuildCmd::new(tmp.path(), "demo")
            .format("docx")
            .out(out)
            .ok();
    }
    for f in files_under(&a) {
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
}

/// A reference document made in LibreOffice (tests/fixtures/reference/letterhead.fodt converted
/// to .docx): custom heading font and colour, a logo in the header, a PAGE field in the footer,
/// placeholders in both.
#[test]
fn a_reference_document_restyles_and_its_letterhead_survives() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let reference = root().join("tests/fixtures/reference/letterhead.docx");
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .format("docx")
        .kind("brief")
        .lang("en")
        .arg("--reference-docx")
        .arg(reference.to_str().unwrap())
        .out(&out)
        .ok();
    let err = stderr(&o);
    assert!(
        err.contains("lacks 45 styles deca uses (`BackCover`, `BandContext`, `Bibliography`,"),
        "{err}"
    );
    let parts = zip_parts(&std::fs::read(out.join("demo/en/brief-integrity.docx")).unwrap());
    let styles = part(&parts, "word/styles.xml");
    let h1 = &styles[styles.find("w:styleId=\"Heading1\"").unwrap()..];
    let h1 = &h1[..h1.find("</w:style>").unwrap()];
    assert!(h1.contains("DejaVu Serif"), "{h1}");
    assert!(h1.contains("008040"), "{h1}");
    assert!(
        !styles.contains("<w:numPr>"),
        "the reference's heading numbering points into a part deca does not carry"
    );
    // Header: the logo (its own relationship and media) and filled placeholders.
    let header = part(&parts, "word/header1.xml");
    assert!(header.contains("<w:drawing>"));
    assert!(
        header.contains("Mission to Testland — Brief: Public integrity"),
        "{header}"
    );
    let header_rels = part(&parts, "word/_rels/header1.xml.rels");
    let target = header_rels
        .split("Target=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        parts.contains_key(&format!("word/{target}")),
        "the logo is missing"
    );
    // Footer: date filled, the PAGE field kept.
    let footer = part(&parts, "word/footer1.xml");
    assert!(footer.contains("15 March 2024"), "{footer}");
    assert!(footer.contains(" PAGE "), "{footer}");
    // Page setup (US Letter in the reference) carries over.
    assert!(part(&parts, "word/document.xml").contains("<w:pgSz w:w=\"12240\" w:h=\"15840\""));
    for (name, b) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_xml(name, b);
        }
    }
}

#[test]
fn placeholders_split_across_runs_are_filled_and_unknown_ones_are_errors() {
    let tmp = fixture(None);
    let reference = make_reference(&[(
        "word/header1.xml",
        r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{docu</w:t></w:r><w:r><w:t>ment}} · {{coun</w:t></w:r><w:r><w:t>try}}</w:t></w:r></w:p></w:hdr>"#,
    )]);
    let ref_path = tmp.path().join("ref.docx");
    std::fs::write(&ref_path, reference).unwrap();
    let docx = overview_docx_with(tmp.path(), &ref_path, "es");
    let parts = zip_parts(&std::fs::read(docx).unwrap());
    let header = part(&parts, "word/header1.xml");
    // Each value goes into the run where its placeholder starts, keeping that run's formatting.
    assert!(
        header.contains(
            "<w:b/></w:rPr><w:t xml:space=\"preserve\">Recomendaciones de un vistazo</w:t>"
        ),
        "{header}"
    );
    assert!(
        header.contains("<w:t xml:space=\"preserve\"> · Testland</w:t>"),
        "{header}"
    );
    assert!(!header.contains("{{") && !header.contains("}}"), "{header}");

    let bad = make_reference(&[(
        "word/footer1.xml",
        r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{{missions}}</w:t></w:r></w:p></w:ftr>"#,
    )]);
    std::fs::write(&ref_path, bad).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .format("docx")
        .kind("overview")
        .arg("--reference-docx")
        .arg(ref_path.to_str().unwrap())
        .out(&tmp.path().join("out"))
        .run();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: unknown placeholder `{{missions}}` in `word/footer1.xml` of the reference document"), "{}", stderr(&o));
}

/// The built-in reference with some parts replaced.
pub fn make_reference(replace: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut parts = zip_parts(deca::templates::REFERENCE_DOCX);
    for (name, text) in replace {
        parts.insert(name.to_string(), text.as_bytes().to_vec());
    }
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn libreoffice_opens_every_docx_and_one_pagers_stay_one_page() {
    if !have(&["soffice", "pdfinfo", "pdftotext"]) {
        return;
    }
    let out = peru_build();
    let converted = tempfile::tempdir().unwrap();
    let artifacts: Vec<serde_json::Value> = manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "docx")
        .cloned()
        .collect();
    for lang in ["en", "es"] {
        let dir = converted.path().join(lang);
        std::fs::create_dir_all(&dir).unwrap();
        let docs: Vec<std::path::PathBuf> = artifacts
            .iter()
            .filter(|a| a["lang"] == lang)
            .map(|a| out.join(a["path"].as_str().unwrap()))
            .collect();
        let profile = tempfile::tempdir().unwrap();
        let o = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.path().display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .args(&docs)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        for a in artifacts.iter().filter(|a| a["lang"] == lang) {
            let name = std::path::Path::new(a["path"].as_str().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_string();
            let pdf = dir.join(format!("{name}.pdf"));
            assert!(pdf.exists(), "LibreOffice did not convert {name}");
            let info = std::process::Command::new("pdfinfo")
                .arg(&pdf)
                .output()
                .unwrap();
            let pages: usize = stdout(&info)
                .lines()
                .find(|l| l.starts_with("Pages:"))
                .unwrap()[6..]
                .trim()
                .parse()
                .unwrap();
            if matches!(a["kind"].as_str(), Some("onepager") | Some("overview")) {
                assert_eq!(pages, 1, "{lang}/{name} is {pages} pages in LibreOffice");
            }
            let text = pdf_text(&pdf);
            let docx_paras =
                docx_paragraphs(&std::fs::read(out.join(a["path"].as_str().unwrap())).unwrap());
            let heading = docx_paras
                .iter()
                .find(|(s, _)| s == "Title")
                .map(|(_, t)| normalize(t))
                .unwrap();
            assert!(
                text.contains(&heading),
                "{lang}/{name}: LibreOffice's text lacks the title {heading:?}"
            );
        }
    }
}
