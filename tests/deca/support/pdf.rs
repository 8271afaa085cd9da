//! Reading PDFs as readers do: text by pdftotext, pages, the uncompressed object tree by qpdf.

use std::path::Path;
use std::process::Command;

use super::*;

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

/// Number of pages of a PDF, as pdfinfo reads it.
pub fn pdf_pages(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo could not read {}", pdf.display()))
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
