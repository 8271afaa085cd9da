//! The Word edition as LibreOffice lays it out: a mission's reference recolours the band, the
//! table header and the tag; the contents show LibreOffice's own pages; one-pagers and the
//! overview stay one page on A4 and Letter; a brief's small print never stands alone on its last
//! page; a letterhead shows on pages 1 and 2 of every kind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;
use crate::word::{docx_files, part};

/// The built-in reference with its brand colours replaced, as a mission's reference.
fn recoloured_reference(dir: &Path) -> PathBuf {
    let styles =
        std::fs::read_to_string(root().join("templates/docx/reference/word/styles.xml")).unwrap();
    let styles = styles
        .replace("002F6C", "1B7F3A")
        .replace("BA0C2F", "E07000");
    let bytes = crate::docx::make_reference(&[("word/styles.xml", &styles)]);
    let path = dir.join("recoloured.docx");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The share of a PNG's pixels that are (near) a colour.
fn share_of(png: &Path, rgb: [u8; 3]) -> f64 {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px = &buf[..info.buffer_size()];
    let mut hits = 0usize;
    let n = px.len() / channels;
    for c in px.chunks(channels) {
        if (0..3).all(|k| (i16::from(c[k]) - i16::from(rgb[k])).abs() <= 6) {
            hits += 1;
        }
    }
    hits as f64 / n as f64
}

#[test]
fn a_mission_reference_recolours_the_band_the_table_header_and_the_tag() {
    if !have(&["soffice", "pdftoppm"]) {
        return;
    }
    let tmp = fixture(None);
    let reference = recoloured_reference(tmp.path());
    let docx = overview_docx_with(tmp.path(), &reference, "en");
    let doc = part(&docx, "word/document.xml");
    assert!(doc.contains("<w:tblStyle w:val=\"DecaBand\"/>"));
    assert!(doc.contains("<w:tblStyle w:val=\"DecaTable\"/>"));
    assert!(doc.contains("<w:rStyle w:val=\"Tag\"/>"));
    let pdf = libreoffice_pdf(&docx, tmp.path());
    // Table cells keep their styles' fonts in LibreOffice: Caladea (Cambria) for the cells,
    // bold for the recommendations' titles, Carlito (Calibri) bold for the header row. (The
    // priority marks, ●, come from a fallback font: Caladea has no such glyph.)
    if have(&["pdffonts"]) {
        let fonts = stdout(&Command::new("pdffonts").arg(&pdf).output().unwrap());
        for face in ["Caladea-Regular", "Caladea-Bold", "Carlito-Bold"] {
            assert!(fonts.contains(face), "no {face}: {fonts}");
        }
    }
    let png = tmp.path().join("page");
    let o = Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .output()
        .unwrap();
    assert!(o.status.success());
    let png = png.with_extension("png");
    // The band and the header row in the mission's green, the tag in its orange, and none of
    // deca's navy or red left.
    assert!(share_of(&png, [0x1B, 0x7F, 0x3A]) > 0.03, "no green band");
    assert!(share_of(&png, [0xE0, 0x70, 0x00]) > 0.0002, "no orange tag");
    assert_eq!(
        share_of(&png, [0x00, 0x2F, 0x6C]),
        0.0,
        "deca's navy is left"
    );
    assert_eq!(
        share_of(&png, [0xBA, 0x0C, 0x2F]),
        0.0,
        "deca's red is left"
    );
}

/// The outline (bookmarks) of a PDF: (title, page) of each entry down to `depth` levels.
fn outline(pdf: &Path, depth: usize) -> Vec<(String, usize)> {
    let o = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(pdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "qpdf failed");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    fn walk(items: &serde_json::Value, depth: usize, out: &mut Vec<(String, usize)>) {
        if depth == 0 {
            return;
        }
        for i in items.as_array().into_iter().flatten() {
            if let (Some(t), Some(p)) = (i["title"].as_str(), i["destpageposfrom1"].as_u64()) {
                out.push((t.to_string(), p as usize));
            }
            walk(&i["kids"], depth - 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&json["outlines"], depth, &mut out);
    out
}

#[test]
fn the_contents_show_the_pages_libreoffice_lays_the_report_out_on() {
    if !have(&["soffice", "qpdf", "pdftotext"]) {
        return;
    }
    let docx = peru_build().join("peru/en/report.docx");
    let tmp = tempfile::tempdir().unwrap();
    let pdf = libreoffice_pdf(&docx, tmp.path());
    let squash = |s: &str| -> String { s.split_whitespace().collect::<String>() };
    // The contents, as LibreOffice printed them: every entry's title, its dot leader, its page.
    let o = Command::new("pdftotext")
        .args(["-layout", "-f", "3", "-l", "4"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    // The contents without white space, and where each of its lines starts: a page number
    // ends at the end of its line.
    let mut contents = String::new();
    let mut line_starts = BTreeSet::new();
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        line_starts.insert(contents.len());
        contents.push_str(&squash(line));
    }
    assert!(
        contents.starts_with("PeruDigital") || contents.contains("Contents"),
        "{contents}"
    );
    let entries: Vec<String> = docx_paragraphs(&std::fs::read(&docx).unwrap())
        .into_iter()
        .filter(|(s, _)| s == "TOC1" || s == "TOC2")
        .map(|(_, t)| t.trim().to_string())
        .collect();
    // Every heading the PDF's contents list is listed.
    let pdf_report = peru_build().join("peru/en/report.pdf");
    let typst_outline = outline(&pdf_report, 2);
    assert_eq!(entries.len(), typst_outline.len(), "{entries:?}");
    let pages = outline(&pdf, 9);
    for title in &entries {
        let key = squash(title);
        // The title, then its dot leader (so "Recommendations" is not "Recommendations at a
        // glance").
        let at = contents
            .find(&format!("{key}.."))
            .unwrap_or_else(|| panic!("the contents lack {title:?}"));
        let from = at + key.len();
        let after = contents[from..].trim_start_matches('.');
        let start = contents.len() - after.len();
        let shown: String = after
            .char_indices()
            .take_while(|(i, c)| {
                c.is_ascii_digit() && (*i == 0 || !line_starts.contains(&(start + i)))
            })
            .map(|(_, c)| c)
            .collect();
        let shown: usize = shown
            .parse()
            .unwrap_or_else(|_| panic!("{title:?} shows no page: {after:.40}"));
        let laid_out = pages
            .iter()
            .find(|(t, _)| squash(t) == key)
            .unwrap_or_else(|| panic!("LibreOffice's outline lacks {title:?}"))
            .1;
        assert_eq!(shown, laid_out, "{title:?}");
    }
}

#[test]
fn one_pagers_and_the_overview_are_one_page_on_a4_and_letter() {
    if !have(&["soffice"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("peru"));
    copy_dir(
        &root().join("tests/fixtures/marenland"),
        &tmp.path().join("marenland"),
    );
    let mut docx = Vec::new();
    // Marenland's `national-payments-switch` fits Letter in no PDF (its build stops with the
    // overflow error, by design of the fixture): the other eleven are built on Letter.
    let marenland: Vec<String> = crate::fixture::RECOMMENDATIONS
        .iter()
        .filter(|r| **r != "national-payments-switch")
        .flat_map(|r| ["--recommendation".to_string(), r.to_string()])
        .collect();
    for (name, paper) in [
        ("peru", "letter"),
        ("marenland", "letter"),
        ("marenland", "a4"),
    ] {
        let out = tmp.path().join(format!("{name}-{paper}"));
        let mut args: Vec<String> = [
            "build",
            name,
            "--format",
            "docx",
            "--kind",
            "onepager",
            "--kind",
            "overview",
            "--paper",
            paper,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
        if (name, paper) == ("marenland", "letter") {
            args.extend(marenland.iter().cloned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        docx.extend(docx_files(&out).into_iter().map(|(d, _)| d));
    }
    // Peru on A4 comes from the shared build.
    docx.extend(
        docx_files(peru_build())
            .into_iter()
            .filter(|(_, a)| a["kind"] == "onepager" || a["kind"] == "overview")
            .map(|(d, _)| d),
    );
    docx.sort();
    assert_eq!(docx.len(), 2 * 2 * 11 + 13 + 12);
    for (d, pages) in libreoffice_page_counts(&docx) {
        assert_eq!(pages, 1, "{} is {pages} pages in LibreOffice", d.display());
    }
}

/// A letterhead made in LibreOffice (tests/fixtures/reference/letterhead-split.fodt converted to
/// .docx): Letter paper, a logo and a `{{title}}` split across runs in the header, PAGE and
/// NUMPAGES in the footer, and no first-page header of its own (issue 12: page 1 lost it).
#[test]
fn a_letterhead_shows_on_pages_1_and_2_of_every_kind_and_sets_the_paper() {
    if !have(&["soffice", "pdftotext", "pdfimages", "pdfinfo"]) {
        return;
    }
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let reference = root().join("tests/fixtures/reference/letterhead-split.docx");
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .lang("en")
        .arg("--reference-docx")
        .arg(reference.to_str().unwrap())
        .out(&out)
        .ok();
    // One warning lists the missing styles, Word's internal ones aside, and says how to start
    // from a complete reference.
    let err = stderr(&o);
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    assert!(
        err.contains("lacks 45 styles deca uses (`BackCover`, `BandContext`, `Bibliography`,"),
        "{err}"
    );
    assert!(
        !err.contains("DefaultParagraphFont") && !err.contains("TableNormal"),
        "{err}"
    );
    assert!(
        err.contains("`deca templates export DIR` writes the built-in reference document"),
        "{err}"
    );
    let mut kinds = BTreeSet::new();
    for (docx, a) in docx_files(&out) {
        kinds.insert(a["kind"].as_str().unwrap().to_string());
        // The PDF twin takes the letterhead's paper (US Letter).
        let info = Command::new("pdfinfo")
            .arg(docx.with_extension("pdf"))
            .output()
            .unwrap();
        assert!(stdout(&info).contains("612 x 792 pts"), "{}", stdout(&info));
        let pdf = libreoffice_pdf(&docx, tmp.path());
        let pages = pdf_pages(&pdf);
        for page in 1..=pages.min(2) {
            let o = Command::new("pdftotext")
                .args(["-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let text = normalize(&String::from_utf8_lossy(&o.stdout));
            assert!(
                text.contains(
                    "Mission to Testland — Testland Digital Ecosystem Country Assessment"
                ),
                "{} page {page} lacks the letterhead's header: {text:.200}",
                docx.display()
            );
            assert!(!text.contains("{{"), "{text}");
            let images = Command::new("pdfimages")
                .args(["-list", "-f", &page.to_string(), "-l", &page.to_string()])
                .arg(&pdf)
                .output()
                .unwrap();
            // Two heading lines, then one line per image.
            assert!(
                stdout(&images).lines().count() > 2,
                "{} page {page} lacks the letterhead's logo",
                docx.display()
            );
        }
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// Word lays a brief out itself, so the PDF's refit cannot keep the small print off a page of
/// its own: the last source entry goes with it instead. The Spanish integrity brief on Letter
/// once ended on a page of small print alone in LibreOffice.
#[test]
fn a_briefs_small_print_never_stands_alone_on_its_last_page() {
    if !have(&["soffice", "pdftotext"]) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut docx: Vec<(PathBuf, String)> = Vec::new();
    for (name, dir, paper) in [
        (
            "peru",
            root().join("data/peru"),
            deca::edition::Paper::Letter,
        ),
        ("peru", root().join("data/peru"), deca::edition::Paper::A4),
        (
            "marenland",
            root().join("tests/fixtures/marenland"),
            deca::edition::Paper::A4,
        ),
    ] {
        let out = tmp.path().join(format!("{name}-{paper:?}"));
        let paper_flag = if paper == deca::edition::Paper::A4 {
            "a4"
        } else {
            "letter"
        };
        BuildCmd::new(&root(), dir.to_str().unwrap())
            .format("docx")
            .kind("brief")
            .arg("--paper")
            .arg(paper_flag)
            .out(&out)
            .ok();
        for d in crate::ir::planned(&dir, paper) {
            if d.kind != deca::edition::Kind::Brief {
                continue;
            }
            let mut last = None;
            deca::ir::visit(&d.blocks, &mut |b| {
                if let deca::ir::Block::Sources { entries } = b {
                    last = entries.last().map(|e| e.cite.clone());
                }
            });
            let file = out
                .join(name)
                .join(&d.lang)
                .join(format!("{}.docx", d.name));
            docx.push((file, last.expect("a brief lists its sources")));
        }
    }
    assert!(docx.len() >= 14, "{} briefs", docx.len());
    let files: Vec<PathBuf> = docx.iter().map(|(f, _)| f.clone()).collect();
    let pdfs = libreoffice_pdfs(&files, &tmp.path().join("lo"));
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    for ((file, cite), pdf) in docx.iter().zip(&pdfs) {
        let n = pdf_pages(pdf);
        let o = Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(pdf)
            .arg("-")
            .output()
            .unwrap();
        let last_page = squeeze(&String::from_utf8_lossy(&o.stdout));
        assert!(
            last_page.contains(&squeeze(cite)),
            "{}: p. {n} in LibreOffice does not hold the last source ({cite}), only what follows it",
            file.display()
        );
    }
}
