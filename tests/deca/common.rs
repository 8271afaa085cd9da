//! Helpers shared by the integration tests: fixtures in temporary folders, running the binary,
//! reading PDFs and DOCX files, and tools that may be missing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `deca` binary under test.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deca"));
    // GitHub's runner sets GITHUB_ACTIONS, which adds annotations to deca's output.
    c.env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GITHUB_ACTIONS");
    c
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding the base fixture as `demo/`, with a case's files laid over it.
/// A case file named `x.yaml.delete` removes `x.yaml`.
pub fn fixture(case: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    copy_dir(&root().join("tests/fixtures/base"), &demo);
    if let Some(case) = case {
        let dir = root().join("tests/fixtures/invalid").join(case);
        for e in std::fs::read_dir(&dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().to_string();
            if name == "expected.txt" {
                continue;
            }
            match name.strip_suffix(".delete") {
                Some(target) => std::fs::remove_file(demo.join(target)).unwrap(),
                None => {
                    std::fs::copy(dir.join(&name), demo.join(&name)).unwrap();
                }
            }
        }
    }
    tmp
}

/// A temporary copy of the bundled Peru assessment as `peru/`.
pub fn peru() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("peru"));
    tmp
}

/// Runs deca in a folder.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Edits a file in place by replacing text (which must occur).
pub fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(
        s.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// Makes a recommendation's English rationale in the base fixture `sentences` sentences long,
/// to push its one-pager towards (or past) the page.
pub fn lengthen_rationale(tmp: &Path, rationale: &str, sentences: usize) {
    let long = "Villages are half offline, and every month without a connection widens the gap in services, prices and voice. ".repeat(sentences);
    edit(
        &tmp.join("demo/recommendations.yaml"),
        &format!("      en: {rationale}"),
        &format!("      en: {long}"),
    );
}

/// The English rationales of the base fixture's two recommendations.
pub const VILLAGE_RATIONALE: &str = "Villages are half offline [@stats-office].";
pub const PAYMENT_RATIONALE: &str = "Closed wallets keep costs high.";

/// Whether external tools are installed. Without them a test is skipped, unless
/// DECA_REQUIRE_TOOLS=1 (as in CI), where their absence is a failure.
pub fn have(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools
        .iter()
        .filter(|t| {
            Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {t}"))
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("DECA_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("required tools are missing: {missing:?}");
    }
    eprintln!("skipped: {missing:?} not installed");
    false
}

/// Text of a PDF by pdftotext, normalised: no soft hyphens, word joiners or ligature
/// breaks, single spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    normalize(&String::from_utf8_lossy(&o.stdout))
}

/// Joins hyphenated line ends and folds white space, so texts from different layouts compare.
pub fn normalize(s: &str) -> String {
    // A soft hyphen at a line end marks a word Typst hyphenated: join its halves.
    let s = s
        .replace("\u{00AD}\n", "")
        .replace("\u{00AD}\r\n", "")
        .replace(['\u{00AD}', '\u{2060}', '\u{200B}'], "")
        .replace('\u{00A0}', " ")
        .replace("-\n", "-");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Number of pages of a PDF.
pub fn pdf_pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    // Count page objects: "/Type /Page" not followed by "s".
    let s = String::from_utf8_lossy(&bytes);
    let mut n = 0;
    for (i, _) in s.match_indices("/Type /Page") {
        if !s[i + "/Type /Page".len()..].starts_with('s') {
            n += 1;
        }
    }
    n
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

/// Converts a DOCX to PDF with LibreOffice in its own profile; returns the PDF's path.
pub fn libreoffice_pdf(docx: &Path, out_dir: &Path) -> PathBuf {
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out_dir)
        .arg(docx)
        .output()
        .unwrap();
    let pdf = out_dir
        .join(docx.file_stem().unwrap())
        .with_extension("pdf");
    assert!(
        pdf.exists(),
        "LibreOffice did not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    pdf
}

/// A scratch folder for builds shared by several tests of one run: under cargo's own
/// temporary folder in `target/`, emptied at the start of each run, so nothing accumulates
/// in the system's temporary folder.
pub fn shared_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("deca-{}", std::process::id()))
        .join(name);
    // Folders of earlier runs (other process ids) go first.
    if let Ok(entries) = std::fs::read_dir(env!("CARGO_TARGET_TMPDIR")) {
        let mine = format!("deca-{}", std::process::id());
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.starts_with("deca-") && n != mine {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bundled Peru assessment built once (all kinds, both languages, both formats) for the
/// tests that only read outputs. Returns the output folder.
pub fn peru_build() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let dir = shared_dir("peru");
        let out = dir.join("out");
        let o = run(
            &root(),
            &[
                "build",
                "data/peru",
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        out
    })
}

/// The manifest of a build.
pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// Every file under a folder, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A PDF's objects uncompressed by qpdf, to search its structure tree and annotations; `None`
/// when qpdf is not installed (and not required).
pub fn uncompressed_pdf(pdf: &Path) -> Option<String> {
    if !have(&["qpdf"]) {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let qdf = tmp.path().join("q.pdf");
    let o = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&qdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "qpdf failed on {}", pdf.display());
    Some(String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned())
}

/// Every file under a folder with its bytes, to compare the folder before and after a run.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
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

/// Drops running headers and footers: a page's first or last line whose shape (digits aside)
/// is the first or last line of another page too (page 1 opens with a cover or title band).
pub fn without_running_lines(text: &str) -> String {
    let pages: Vec<Vec<&str>> = text
        .split('\u{c}')
        .map(|p| p.lines().filter(|l| !l.trim().is_empty()).collect())
        .collect();
    // A run of digits counts as one: page 9 and page 10 have the same footer. Only the
    // start of a line counts: a running header keeps the document's title and changes its
    // chapter.
    let shape = |l: &str| {
        let mut s = String::new();
        for c in l.chars().take(28) {
            if !c.is_ascii_digit() {
                s.push(c);
            } else if !s.ends_with('#') {
                s.push('#');
            }
        }
        s
    };
    let mut edges: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // Page 1's lines are a cover's or a title band's, never furniture.
    for p in pages.iter().skip(1) {
        // A page of one line counts it once.
        let mut on_page: Vec<String> = [p.first(), p.last()]
            .into_iter()
            .flatten()
            .map(|l| shape(l))
            .collect();
        on_page.dedup();
        for key in on_page {
            *edges.entry(key).or_default() += 1;
        }
    }
    // Furniture repeats: a chapter's running header on its pages, the footer on all. A
    // chapter's title opens its first page and then heads the pages that follow: the first
    // time a repeated first line appears, it is the heading itself, and stays.
    let running = |l: &&str| edges.get(&shape(l)).is_some_and(|n| *n >= 2);
    let mut seen_first: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = String::new();
    for (n, p) in pages.iter().enumerate() {
        let mut lines: Vec<&str> = p.clone();
        // Page 1 opens with a cover or a title band, never a running header.
        while n > 0 && lines.first().is_some_and(&running) && !seen_first.insert(shape(lines[0])) {
            lines.remove(0);
        }
        while lines.last().is_some_and(&running) {
            lines.pop();
        }
        for l in lines {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Stands where a DOCX paragraph has a footnote reference.
pub const FOOTNOTE_MARK: char = '\u{1}';
