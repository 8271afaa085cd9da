//! Reading Word files: their zip parts and body paragraphs, LibreOffice's PDF of them, and the
//! parity of their text with the PDF's.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

/// The base fixture's overview in `lang` as a Word file made with the reference document at
/// `reference`, built into `dir/out`; its path.
pub fn overview_docx_with(dir: &Path, reference: &Path, lang: &str) -> PathBuf {
    let out = dir.join("out");
    BuildCmd::new(dir, "demo")
        .format("docx")
        .kind("overview")
        .lang(lang)
        .arg("--reference-docx")
        .arg(reference)
        .out(&out)
        .ok();
    out.join("demo").join(lang).join("overview.docx")
}

/// Every part of a zip, by name.
pub fn zip_parts(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().to_string(), b);
    }
    out
}

/// Checks a part is well-formed XML 1.0 (strictly: no character XML forbids).
pub fn assert_xml(name: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not UTF-8"));
    for c in text.chars() {
        assert!(
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..),
            "{name} holds U+{:04X}, which XML 1.0 forbids",
            c as u32
        );
    }
    let mut r = quick_xml::Reader::from_str(text);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed: {e}"),
        }
    }
}

/// The paragraphs of a DOCX body as (style id, text), in order.
pub fn docx_paragraphs(bytes: &[u8]) -> Vec<(String, String)> {
    let parts = zip_parts(bytes);
    let doc = String::from_utf8_lossy(&parts["word/document.xml"]).into_owned();
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(&doc);
    let mut in_p = 0;
    let mut in_t = false;
    let mut in_instr = false;
    let mut style = String::new();
    let mut text = String::new();
    loop {
        match r.read_event().unwrap() {
            quick_xml::events::Event::Start(e) => match e.name().as_ref() {
                b"w:p" => {
                    in_p += 1;
                    if in_p == 1 {
                        style.clear();
                        text.clear();
                    }
                }
                b"w:t" => in_t = true,
                b"w:instrText" => in_instr = true,
                _ => {}
            },
            quick_xml::events::Event::Empty(e) => match e.name().as_ref() {
                b"w:pStyle" if in_p == 1 => {
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"w:val" {
                            style = a.unescape_value().unwrap().to_string();
                        }
                    }
                }
                b"w:br" | b"w:tab" if in_p > 0 => text.push(' '),
                b"w:footnoteReference" if in_p > 0 => text.push(FOOTNOTE_MARK),
                _ => {}
            },
            quick_xml::events::Event::Text(t) if in_t && !in_instr => {
                text.push_str(&t.unescape().unwrap());
            }
            quick_xml::events::Event::End(e) => match e.name().as_ref() {
                b"w:p" => {
                    in_p -= 1;
                    if in_p == 0 {
                        out.push((
                            if style.is_empty() {
                                "Normal".into()
                            } else {
                                style.clone()
                            },
                            text.clone(),
                        ));
                    }
                }
                b"w:t" => in_t = false,
                b"w:instrText" => in_instr = false,
                _ => {}
            },
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Converts DOCX files to PDF with LibreOffice; returns each PDF's path, in order. One run per
/// folder (a start per file would take minutes, and files of different folders may share
/// names), each in a profile of its own.
pub fn libreoffice_pdfs(docx: &[PathBuf], out_dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<&Path> = docx.iter().map(|d| d.parent().unwrap()).collect();
    dirs.sort();
    dirs.dedup();
    let mut pdfs = vec![PathBuf::new(); docx.len()];
    for (k, dir) in dirs.iter().enumerate() {
        let these: Vec<usize> = (0..docx.len())
            .filter(|&i| docx[i].parent() == Some(dir))
            .collect();
        let to = out_dir.join(k.to_string());
        let profile = tempfile::tempdir().unwrap();
        let o = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.path().display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&to)
            .args(these.iter().map(|&i| &docx[i]))
            .output()
            .unwrap();
        for i in these {
            let pdf = to.join(docx[i].file_stem().unwrap()).with_extension("pdf");
            assert!(
                pdf.exists(),
                "LibreOffice did not convert {}: {}",
                docx[i].display(),
                String::from_utf8_lossy(&o.stderr)
            );
            pdfs[i] = pdf;
        }
    }
    pdfs
}

/// Converts a DOCX to PDF with LibreOffice in its own profile; returns the PDF's path.
pub fn libreoffice_pdf(docx: &Path, out_dir: &Path) -> PathBuf {
    libreoffice_pdfs(&[docx.to_path_buf()], out_dir).remove(0)
}

/// The page count of each DOCX file as LibreOffice lays it out.
pub fn libreoffice_page_counts(docx: &[PathBuf]) -> Vec<(PathBuf, usize)> {
    let out = tempfile::tempdir().unwrap();
    let pdfs = libreoffice_pdfs(docx, out.path());
    docx.iter()
        .cloned()
        .zip(pdfs.iter().map(|p| super::pdf_pages(p)))
        .collect()
}

/// The text of a DOCX's body paragraphs (headings, paragraphs, lists, tables, captions) must
/// appear in the PDF's text in the same order: the two formats say the same thing. White
/// space is ignored (line breaks differ between layouts) and footnote markers split a
/// paragraph (the PDF prints their numbers inline).
pub fn assert_parity(docx: &Path, pdf: &Path) {
    let squash = |s: &str| -> String {
        s.chars()
            // Hyphens go too: Typst repeats a hyphen where it breaks a URL across lines.
            .filter(|c| {
                !c.is_whitespace()
                    && !matches!(c, '-' | '\u{2010}' | '\u{00AD}' | '\u{2060}' | '\u{200B}')
            })
            .flat_map(char::to_lowercase)
            .collect()
    };
    let paras = docx_paragraphs(&std::fs::read(docx).unwrap());
    let o = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let pdf_text = squash(&without_running_lines(&String::from_utf8_lossy(&o.stdout)));
    let mut at = 0usize;
    for (style, text) in paras {
        // The table of contents lists the same headings with PDF-only page numbers.
        if style.starts_with("TOC") {
            continue;
        }
        for fragment in text.split(FOOTNOTE_MARK) {
            let needle = squash(fragment);
            if needle.is_empty() {
                continue;
            }
            // Figures float in the PDF: their captions must be there, wherever they landed.
            if style == "Caption" {
                assert!(
                    pdf_text.contains(&needle),
                    "{}: caption {fragment:?} is not in the PDF",
                    docx.display()
                );
                continue;
            }
            // Word by word, in order, with anything between: a floated figure may interrupt a
            // paragraph in the PDF's text stream.
            for word in fragment.split_whitespace() {
                let w = squash(word);
                if w.is_empty() {
                    continue;
                }
                match pdf_text[at..].find(&w) {
                    Some(k) => at += k + w.len(),
                    None => panic!(
                        "{}: the word {word:?} of paragraph ({style}) {fragment:?} is not in the PDF after byte {at}: {:?}",
                        docx.display(),
                        pdf_text[at..].chars().take(120).collect::<String>()
                    ),
                }
            }
        }
    }
}

/// Stands where a DOCX paragraph has a footnote reference.
pub const FOOTNOTE_MARK: char = '\u{1}';
