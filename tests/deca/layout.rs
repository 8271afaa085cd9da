//! Layout rules a reader sees, checked on the PDFs as poppler reads them (word boxes from
//! `pdftotext -bbox-layout`), for the bundled assessment in both languages and the second
//! fixture assessment, on A4 and US Letter:
//! - page 1 of a brief, one-pager or overview opens with its title band;
//! - a report page names the chapter it is in, and a chapter's opening page has no header;
//! - a heading is never the last line of a page;
//! - no glyph falls outside the page's text area;
//! - body text runs 65–75 characters a line;
//! - no page but a chapter's last is less than 60% full;
//! - quotes are typographic, citations and number–unit pairs never break, and source titles
//!   are not hyphenated;
//! - a source entry is never split across pages;
//! - a brief's small print never stands alone on its last page.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use deca::edition::{Kind, Paper};
use deca::ir::{Block, Document, Inline};

use crate::support::*;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// A line of text on a page, in points from the top left.
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// A page's size and lines in reading order.
#[derive(Debug, Clone)]
struct Page {
    width: f64,
    height: f64,
    lines: Vec<Line>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let k = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    tag[k..k + tag[k..].find('"').unwrap()].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The pages of a PDF with their lines, as pdftotext lays them out.
fn pages(pdf: &Path) -> Vec<Page> {
    let o = std::process::Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    let html = String::from_utf8_lossy(&o.stdout);
    let mut out: Vec<Page> = Vec::new();
    let mut line: Option<Line> = None;
    for raw in html.lines() {
        let l = raw.trim();
        if l.starts_with("<page ") {
            out.push(Page {
                width: attr(l, "width"),
                height: attr(l, "height"),
                lines: Vec::new(),
            });
        } else if l.starts_with("<line ") {
            line = Some(Line {
                x0: attr(l, "xMin"),
                y0: attr(l, "yMin"),
                x1: attr(l, "xMax"),
                y1: attr(l, "yMax"),
                text: String::new(),
            });
        } else if let Some(rest) = l.strip_prefix("<word ") {
            let close = rest.find('>').unwrap();
            let word = unescape(rest[close + 1..].trim_end_matches("</word>"));
            if let Some(line) = &mut line {
                if !line.text.is_empty() {
                    line.text.push(' ');
                }
                line.text.push_str(&word);
            }
        } else if l == "</line>"
            && let Some(done) = line.take()
        {
            out.last_mut().unwrap().lines.push(done);
        }
    }
    out
}

/// A set of documents built once: PDFs and their planned IR, by file stem and language.
struct Edition {
    out: PathBuf,
    name: String,
    docs: Vec<Document>,
}

impl Edition {
    fn pdf(&self, d: &Document) -> PathBuf {
        self.out
            .join(&self.name)
            .join(&d.lang)
            .join(format!("{}.pdf", d.name))
    }
}

fn build(dir: &Path, name: &str, paper: Paper) -> Edition {
    let out = shared_dir(&format!("layout-{name}-{paper:?}")).join("out");
    let paper_flag = match paper {
        Paper::A4 => "a4",
        Paper::Letter => "letter",
    };
    BuildCmd::new(&root(), dir.to_str().unwrap())
        .format("pdf")
        .arg("--paper")
        .arg(paper_flag)
        .out(&out)
        .ok();
    Edition {
        out,
        name: name.to_string(),
        docs: crate::ir::planned(dir, paper),
    }
}

/// Peru on A4 and Letter, and the second fixture assessment on A4 (its longest one-pager is
/// written to fit A4 only at the smallest text size, so on Letter it refuses to build).
fn editions() -> &'static [Edition] {
    static E: OnceLock<Vec<Edition>> = OnceLock::new();
    E.get_or_init(|| {
        let peru = root().join("data/peru");
        let maren = root().join("tests/fixtures/marenland");
        vec![
            build(&peru, "peru", Paper::A4),
            build(&peru, "peru", Paper::Letter),
            build(&maren, "marenland", Paper::A4),
        ]
    })
}

/// Every document with its pages.
fn each(mut f: impl FnMut(&Document, &[Page], &str)) {
    if !have(&["pdftotext"]) {
        return;
    }
    for e in editions() {
        for d in &e.docs {
            let pdf = e.pdf(d);
            let ps = pages(&pdf);
            let what = format!("{}/{}/{} on {}", e.name, d.lang, d.name, d.page.paper);
            f(d, &ps, &what);
        }
    }
}

/// Plain text of inlines, as printed (no-break spaces as spaces).
fn plain(v: &[Inline]) -> String {
    deca::model::rich::plain_text(v).replace('\u{a0}', " ")
}

/// Words for comparing text regardless of line breaks.
fn words(s: &str) -> Vec<String> {
    s.replace(['\u{a0}', '\u{ad}'], " ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The headings of a document as (level, new page, text).
fn headings(d: &Document) -> Vec<(u8, bool, String)> {
    let mut out = Vec::new();
    deca::ir::visit(&d.blocks, &mut |b| {
        if let Block::Heading {
            level,
            content,
            new_page,
            ..
        } = b
        {
            out.push((*level, *new_page, plain(content)));
        }
    });
    out
}

/// Where a heading's lines start on a page: the index of the first line of a run of lines
/// that reads the heading, and the index of its last line.
fn find_heading(page: &Page, text: &str) -> Option<(usize, usize)> {
    let want = words(text);
    for i in 0..page.lines.len() {
        let mut got: Vec<String> = Vec::new();
        for (j, l) in page.lines.iter().enumerate().skip(i) {
            got.extend(words(&l.text));
            if got.len() >= want.len() {
                if got == want {
                    return Some((i, j));
                }
                break;
            }
            if !want.starts_with(&got) {
                break;
            }
        }
    }
    None
}

/// The body area of a page in points: between the top and bottom margins.
fn body_area(d: &Document, p: &Page) -> (f64, f64) {
    (
        d.page.margin.top * PT_PER_MM - 2.0,
        p.height - d.page.margin.bottom * PT_PER_MM + 2.0,
    )
}

/// The pages the table of contents is on (their lines repeat every heading).
fn toc_pages(d: &Document, ps: &[Page]) -> Vec<usize> {
    let contents = d.labels.get("contents").cloned().unwrap_or_default();
    if !d.blocks.iter().any(|b| matches!(b, Block::Toc)) {
        return Vec::new();
    }
    let first = ps
        .iter()
        .position(|p| p.lines.iter().any(|l| l.text == contents))
        .expect("the contents page");
    // The contents run until the first chapter opens.
    let mut out = vec![first];
    let chapters: Vec<String> = headings(d)
        .into_iter()
        .filter(|h| h.1)
        .map(|h| h.2)
        .collect();
    for (k, p) in ps.iter().enumerate().skip(first + 1) {
        if chapters.iter().any(|c| find_heading(p, c).is_some()) {
            break;
        }
        out.push(k);
    }
    out
}

/// The page each chapter opens on (0-based), in order.
fn chapter_pages(d: &Document, ps: &[Page]) -> Vec<(usize, String)> {
    let toc = toc_pages(d, ps);
    let mut out = Vec::new();
    let mut from = 0;
    for (_, new_page, text) in headings(d) {
        if !new_page {
            continue;
        }
        let at = (from..ps.len())
            .filter(|k| !toc.contains(k))
            .find(|&k| find_heading(&ps[k], &text).is_some())
            .unwrap_or_else(|| panic!("chapter {text:?} is not on any page"));
        out.push((at, text));
        from = at;
    }
    out
}

#[test]
fn page_one_of_every_brief_one_pager_and_overview_opens_with_its_title_band() {
    each(|d, ps, what| {
        if d.front.cover {
            return;
        }
        let p = &ps[0];
        let (first, _) = find_heading(p, &d.front.title)
            .unwrap_or_else(|| panic!("{what}: the title is not on page 1"));
        let title = &p.lines[first];
        // The band is the top of the page: the title sits in its first quarter, and above it
        // only the band's kicker and tag.
        assert!(
            title.y0 < p.height * 0.25,
            "{what}: the title starts {:.0} pt down a {:.0} pt page",
            title.y0,
            p.height
        );
        // Above the title: only the band's kicker and status tag.
        let mut band = words(&d.front.kicker.to_uppercase());
        band.extend(d.front.tag.iter().flat_map(|t| words(&t.to_uppercase())));
        for l in &p.lines[..first] {
            assert!(
                words(&l.text).iter().all(|w| band.contains(w)),
                "{what}: {:?} is above the title band",
                l.text
            );
        }
    });
}

#[test]
fn a_report_page_names_its_chapter_and_a_chapter_opening_page_has_no_header() {
    each(|d, ps, what| {
        if d.kind != Kind::Report {
            return;
        }
        let chapters = chapter_pages(d, ps);
        let (top, _) = body_area(d, &ps[0]);
        let first_chapter = chapters[0].0;
        // From the first chapter to the page before the back cover.
        for (k, p) in ps.iter().enumerate().take(ps.len() - 1).skip(first_chapter) {
            let header: Vec<&Line> = p.lines.iter().filter(|l| l.y1 < top).collect();
            let opening = chapters.iter().find(|c| c.0 == k);
            if let Some((_, title)) = opening {
                assert!(
                    header.is_empty(),
                    "{what} p. {}: chapter {title:?} opens here under a running header {:?}",
                    k + 1,
                    header.iter().map(|l| &l.text).collect::<Vec<_>>()
                );
                continue;
            }
            let current = &chapters.iter().rev().find(|c| c.0 < k).unwrap().1;
            let text = header
                .iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let want = words(&format!("{} {current}", d.page.header.left));
            assert_eq!(
                words(&text),
                want,
                "{what} p. {}: the running header does not name the chapter",
                k + 1
            );
        }
    });
}

#[test]
fn a_heading_is_never_the_last_line_of_a_page() {
    each(|d, ps, what| {
        let toc = toc_pages(d, ps);
        let texts: Vec<String> = headings(d).into_iter().map(|h| h.2).collect();
        for (k, p) in ps.iter().enumerate() {
            if toc.contains(&k) {
                continue;
            }
            let (_, bottom) = body_area(d, p);
            let body: Vec<&Line> = p.lines.iter().filter(|l| l.y1 < bottom).collect();
            let body_page = Page {
                lines: body.iter().map(|l| (*l).clone()).collect(),
                ..p.clone()
            };
            for t in &texts {
                if let Some((_, last)) = find_heading(&body_page, t) {
                    assert!(
                        last + 1 < body_page.lines.len(),
                        "{what} p. {}: heading {t:?} is the last line of the page",
                        k + 1
                    );
                }
            }
        }
    });
}

#[test]
fn no_glyph_falls_outside_the_text_area() {
    each(|d, ps, what| {
        for (k, p) in ps.iter().enumerate() {
            // The report's cover and back cover are full-bleed designs with their own margins.
            if d.kind == Kind::Report && (k == 0 || k + 1 == ps.len()) {
                continue;
            }
            // A hyphen or stop may hang into the margin by a fraction of a millimetre (optical
            // margin alignment); a word that does not fit would run well past it.
            let hang = PT_PER_MM;
            let left = d.page.margin.left * PT_PER_MM - hang;
            let right = p.width - d.page.margin.right * PT_PER_MM + hang;
            for l in &p.lines {
                assert!(
                    l.x0 >= left && l.x1 <= right && l.y0 >= 0.0 && l.y1 <= p.height,
                    "{what} p. {}: {:?} runs outside the text area ({:.1}–{:.1} pt of {:.1}–{:.1})",
                    k + 1,
                    l.text,
                    l.x0,
                    l.x1,
                    left,
                    right
                );
            }
        }
    });
}

#[test]
fn body_text_runs_65_to_75_characters_a_line() {
    each(|d, ps, what| {
        if d.kind != Kind::Report {
            return;
        }
        let left = d.page.margin.left * PT_PER_MM;
        let column = d.page.text_width * PT_PER_MM;
        // Full, justified lines of the text column.
        let mut counts: Vec<usize> = ps
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| {
                (l.x0 - left).abs() < 1.0
                    && l.x1 - l.x0 > column * 0.97
                    && l.x1 - l.x0 < column + 2.0
            })
            .map(|l| l.text.chars().count())
            .collect();
        counts.sort();
        assert!(counts.len() > 100, "{what}: {} body lines", counts.len());
        let median = counts[counts.len() / 2];
        assert!(
            (65..=75).contains(&median),
            "{what}: body lines run {median} characters (median of {})",
            counts.len()
        );
    });
}

#[test]
fn no_page_but_a_chapters_last_is_less_than_60_percent_full() {
    each(|d, ps, what| {
        // The rule is the report's; a brief keeps each finding and recommendation whole.
        if d.kind != Kind::Report {
            return;
        }
        let chapters = chapter_pages(d, ps);
        let toc = toc_pages(d, ps);
        // A page is a chapter's last when the next one opens a chapter (or is the end).
        let last_of_chapter = |k: usize| k + 2 >= ps.len() || chapters.iter().any(|c| c.0 == k + 1);
        let first = chapters.first().map_or(0, |c| c.0);
        for (k, p) in ps.iter().enumerate().skip(first) {
            if last_of_chapter(k) || toc.contains(&k) {
                continue;
            }
            let (top, bottom) = body_area(d, p);
            let lowest = p
                .lines
                .iter()
                .filter(|l| l.y0 > top && l.y1 < bottom)
                .map(|l| l.y1)
                .fold(top, f64::max);
            let fill = (lowest - top) / (bottom - top);
            assert!(
                fill >= 0.6,
                "{what} p. {}: the page is {:.0}% full",
                k + 1,
                fill * 100.0
            );
        }
    });
}

#[test]
fn quotes_are_typographic_and_citations_and_units_never_break() {
    each(|d, ps, what| {
        let text: String = ps
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // Straight quotes survive only inside web addresses.
        for l in text.lines() {
            for w in l.split_whitespace() {
                if w.contains("://") || w.contains("www.") {
                    continue;
                }
                assert!(
                    !w.contains(['"', '\'']),
                    "{what}: straight quote in {w:?} ({l:?})"
                );
            }
        }
        // What the document model joins with a no-break space (inside a citation, a number
        // and its unit, "p. 12") is never split across lines.
        let mut joined: Vec<Vec<String>> = Vec::new();
        let mut all = String::new();
        let mut take = |t: &str| {
            all.push_str(t);
            all.push('\n');
            for tok in t.split([' ', '\n']) {
                let parts: Vec<String> = tok
                    .trim_start_matches('(')
                    .trim_end_matches([')', ';', ',', '.'])
                    .split('\u{a0}')
                    .map(str::to_string)
                    .collect();
                if parts.len() > 1 && parts.iter().all(|p| !p.is_empty()) {
                    joined.push(parts);
                }
            }
        };
        deca::ir::visit(&d.blocks, &mut |b| match b {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                take(&deca::model::rich::plain_text(content));
            }
            Block::Facts { items } => items
                .iter()
                .for_each(|f| take(&deca::model::rich::plain_text(&f.value))),
            Block::Sources { entries } => entries
                .iter()
                .for_each(|e| take(&deca::model::rich::plain_text(&e.content))),
            _ => {}
        });
        // A phrase the text also writes with plain spaces elsewhere may break there.
        let all = all.replace('\n', " ");
        joined.retain(|parts| !all.contains(&parts.join(" ")));
        let lines: Vec<String> = text.lines().map(|l| l.replace('\u{a0}', " ")).collect();
        for pair in lines.windows(2) {
            for parts in &joined {
                for k in 1..parts.len() {
                    let (a, b) = (parts[..k].join(" "), parts[k..].join(" "));
                    assert!(
                        !(pair[0].ends_with(&a) && pair[1].starts_with(&b)),
                        "{what}: {:?} is split across lines: {:?} / {:?}",
                        parts.join(" "),
                        pair[0],
                        pair[1]
                    );
                }
            }
        }
    });
}

#[test]
fn source_titles_are_not_hyphenated() {
    each(|d, ps, what| {
        let Some(sources) = headings(d)
            .into_iter()
            .find(|h| h.2 == d.labels["annex-sources"] || h.2 == d.labels["sources"])
        else {
            return;
        };
        let start = ps
            .iter()
            .rposition(|p| find_heading(p, &sources.2).is_some())
            .unwrap();
        let (heading, _) = find_heading(&ps[start], &sources.2).unwrap();
        for (k, p) in ps.iter().enumerate().skip(start) {
            let from = if k == start { heading } else { 0 };
            for l in &p.lines[from..] {
                assert!(
                    !l.text.ends_with('\u{ad}'),
                    "{what} p. {}: a source is hyphenated: {:?}",
                    k + 1,
                    l.text
                );
            }
        }
    });
}

#[test]
fn a_source_entry_is_never_split_across_pages() {
    // The Spanish integrity brief on Letter once left the last line of its last entry alone
    // on page 4, above the colophon.
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    each(|d, ps, what| {
        let mut entries = Vec::new();
        deca::ir::visit(&d.blocks, &mut |b| {
            if let Block::Sources { entries: e } = b {
                entries.extend(e.iter().cloned());
            }
        });
        for e in &entries {
            let whole = squeeze(&format!("{} {}", e.cite, plain(&e.content)));
            // The entry starts on the last page with a line that begins with its label
            // (citations in the text come before the list).
            let start = ps.iter().rposition(|p| {
                p.lines
                    .iter()
                    .any(|l| squeeze(&l.text).starts_with(&squeeze(&e.cite)))
            });
            let Some(k) = start else {
                panic!("{what}: no line starts with the source label {:?}", e.cite);
            };
            let page = squeeze(
                &ps[k]
                    .lines
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            assert!(
                page.contains(&whole),
                "{what}: source {:?} does not end on p. {}, where it starts",
                e.cite,
                k + 1
            );
        }
    });
}

#[test]
fn a_brief_never_ends_on_a_page_of_small_print_alone() {
    // The Spanish integrity brief on A4 and Letter once put its disclaimer alone on page 4.
    let squeeze = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let mut briefs = 0;
    each(|d, ps, what| {
        if d.kind != Kind::Brief {
            return;
        }
        let Some(disclaimer) = &d.back.disclaimer else {
            return;
        };
        briefs += 1;
        let first_words: String = squeeze(disclaimer).chars().take(30).collect();
        let last = ps.last().expect("a brief has pages");
        let (top, bottom) = body_area(d, last);
        let body: Vec<&Line> = last
            .lines
            .iter()
            .filter(|l| l.y0 >= top && l.y1 <= bottom)
            .collect();
        let opens = body.first().map(|l| squeeze(&l.text)).unwrap_or_default();
        assert!(
            ps.len() == 1 || !opens.starts_with(&first_words),
            "{what}: p. {} holds only the small print",
            ps.len()
        );
        // The small print is on the last page, so the check above looked at it.
        assert!(
            squeeze(&body.iter().map(|l| l.text.as_str()).collect::<String>())
                .contains(&first_words),
            "{what}: the disclaimer is not on the last page"
        );
    });
    if have(&["pdftotext"]) {
        assert!(briefs >= 12, "{briefs} briefs checked");
    }
}
