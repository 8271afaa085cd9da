//! Text that is legal data comes out intact: every URL is a working link in the PDF and the
//! DOCX, unbroken words and URLs wrap inside the text column, and rich text decodes entities
//! and backslash escapes as the README says while plain text stays as written.

use std::path::Path;

use crate::support::*;

const WORD: usize = 300;

fn long_word() -> String {
    "Kwa".repeat(WORD / 3)
}

fn long_url() -> String {
    format!("https://example.org/{}", "q".repeat(480))
}

/// The base fixture with hard URLs, an overlong word and URL, and entities and escapes.
fn hard_text() -> tempfile::TempDir {
    let tmp = fixture(None);
    let demo = tmp.path().join("demo");
    edit(
        &demo.join("sources.yaml"),
        "url: https://bank.example.org/payments",
        "url: \"https://bank.example.org/pay?a=1&b=2#section-3\"",
    );
    let sources = std::fs::read_to_string(demo.join("sources.yaml")).unwrap()
        + &format!(
            "  - id: long\n    publisher: Long Office\n    title: Long\n    url: {}\n  - id: peru\n    publisher: Wikipedia\n    title: Perú\n    url: https://es.wikipedia.org/wiki/Perú\n",
            long_url()
        );
    std::fs::write(demo.join("sources.yaml"), sources).unwrap();
    edit(
        &demo.join("findings.yaml"),
        "      en: Digital payments per person tripled [@central-bank].",
        &format!(
            "      en: >-\n        Digital payments per person tripled [@central-bank; @long; @peru].\n        See [the quote](https://x.example.org/say?q=\"hi\"&lang=es) and\n        <{}> and {} end. AT&amp;T &#233;t&eacute; \\*not bold\\*.",
            long_url(),
            long_word()
        ),
    );
    edit(
        &demo.join("findings.yaml"),
        "title: {en: Payments went digital, es: Los pagos se digitalizaron}",
        "title: {en: \"Payments at AT&amp;T\", es: Los pagos se digitalizaron}",
    );
    // In a heading, in references to it and in a figure's title.
    edit(
        &demo.join("findings.yaml"),
        "title: {en: Villages lag behind cities,",
        &format!("title: {{en: Villages lag behind {},", long_word()),
    );
    edit(
        &demo.join("indicators.yaml"),
        "label: {en: Internet use by area,",
        &format!("label: {{en: Internet use by {},", long_word()),
    );
    edit(
        &demo.join("recommendations.yaml"),
        "      - {en: Fund a pilot., es: Financiar un piloto.}",
        &format!(
            "      - {{en: \"Fund {} and <{}>.\", es: Financiar un piloto.}}",
            long_word(),
            long_url()
        ),
    );
    // In a title band (the one-pager's), where the title is set large in white.
    edit(
        &demo.join("recommendations.yaml"),
        "title: {en: Connect the villages,",
        &format!("title: {{en: Connect the {},", long_word()),
    );
    tmp
}

fn build(tmp: &Path) -> std::path::PathBuf {
    let out = tmp.join("out");
    BuildCmd::new(tmp, "demo").out(&out).lang("en").ok();
    out.join("demo/en")
}

/// The targets every link of the report points to, in the form both formats must carry.
fn expected_targets() -> Vec<String> {
    vec![
        "https://bank.example.org/pay?a=1&b=2#section-3".to_string(),
        "https://x.example.org/say?q=%22hi%22&lang=es".to_string(),
        "https://es.wikipedia.org/wiki/Per%C3%BA".to_string(),
        long_url(),
    ]
}

/// The external hyperlink targets of a DOCX, unescaped.
fn docx_link_targets(docx: &Path) -> Vec<String> {
    let parts = zip_parts(&std::fs::read(docx).unwrap());
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_xml(name, bytes);
        }
    }
    let rels = String::from_utf8(parts["word/_rels/document.xml.rels"].clone()).unwrap();
    let mut out = Vec::new();
    let mut r = quick_xml::Reader::from_str(&rels);
    loop {
        match r.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e) => {
                let mut target = None;
                let mut link = false;
                for a in e.attributes().flatten() {
                    let v = a.unescape_value().unwrap().to_string();
                    match a.key.as_ref() {
                        b"Target" => target = Some(v),
                        b"Type" => link = v.ends_with("/hyperlink"),
                        _ => {}
                    }
                }
                if link {
                    out.extend(target);
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The `/URI` of every link annotation of a PDF.
fn pdf_link_targets(q: &str) -> Vec<String> {
    q.match_indices("/URI (")
        .map(|(i, m)| {
            let rest = &q[i + m.len()..];
            let mut s = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => s.extend(chars.next()),
                    ')' => break,
                    c => s.push(c),
                }
            }
            s
        })
        .collect()
}

#[test]
fn every_url_is_a_working_link_in_pdf_and_docx() {
    let tmp = hard_text();
    let out = build(tmp.path());
    let docx = docx_link_targets(&out.join("report.docx"));
    for want in expected_targets() {
        assert!(docx.contains(&want), "{want} not among {docx:#?}");
    }
    assert!(docx.iter().all(|t| t.is_ascii()), "{docx:#?}");
    if let Some(q) = uncompressed_pdf(&out.join("report.pdf")) {
        let pdf = pdf_link_targets(&q);
        for want in expected_targets() {
            assert!(pdf.contains(&want), "{want} not among {pdf:#?}");
        }
        assert!(pdf.iter().all(|t| t.is_ascii()), "{pdf:#?}");
    }
}

/// The left and right margins (mm) the document model sets for a document of the fixture.
fn margins_mm(demo: &Path, name: &str) -> (f64, f64) {
    let doc = crate::ir::planned(demo, deca::edition::Paper::A4)
        .into_iter()
        .find(|d| d.name == name && d.lang == "en")
        .unwrap_or_else(|| panic!("no planned document {name}"));
    (doc.page.margin.left, doc.page.margin.right)
}

/// Every word pdftotext finds outside the text column, as (page, word, xmin, xmax).
fn words_outside(
    pdf: &Path,
    (left_mm, right_mm): (f64, f64),
    skip_covers: bool,
) -> Vec<(usize, String, f64, f64)> {
    let o = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    let (left, right) = (left_mm * 72.0 / 25.4, right_mm * 72.0 / 25.4);
    let attr = |tag: &str, name: &str| -> f64 {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    let mut out = Vec::new();
    let pages: Vec<&str> = html.split("<page ").skip(1).collect();
    for (n, page) in pages.iter().enumerate() {
        if skip_covers && (n == 0 || n + 1 == pages.len()) {
            continue;
        }
        let width = attr(page, "width");
        for word in page.split("<word ").skip(1) {
            let (x0, x1) = (attr(word, "xMin"), attr(word, "xMax"));
            // A point of tolerance for glyph overhang.
            if x0 < left - 1.0 || x1 > width - right + 1.0 {
                let text = word
                    .split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("");
                out.push((n + 1, text.chars().take(40).collect(), x0, x1));
            }
        }
    }
    out
}

#[test]
fn overlong_words_and_urls_wrap_inside_the_text_column() {
    if !have(&["pdftotext"]) {
        return;
    }
    let tmp = hard_text();
    let out = build(tmp.path());
    // The report's covers are laid out edge to edge on purpose.
    let demo = tmp.path().join("demo");
    for (name, covers) in [
        ("report", true),
        ("onepager-village-access", false),
        ("brief-integrity", false),
    ] {
        let file = format!("{name}.pdf");
        let outside = words_outside(&out.join(&file), margins_mm(&demo, name), covers);
        assert!(outside.is_empty(), "{file}: {outside:#?}");
    }
    // The long word is all there, in pieces on several lines.
    let text = pdf_text(&out.join("report.pdf")).replace(' ', "");
    assert!(text.contains(&long_word()), "the long word is not whole");
}

/// README: "Markdown's backslash escapes and HTML character references are decoded, as in
/// CommonMark"; plain text prints as written.
#[test]
fn rich_text_decodes_entities_and_escapes_and_plain_text_stays_as_written() {
    let tmp = hard_text();
    let out = build(tmp.path());
    let paras = docx_paragraphs(&std::fs::read(out.join("report.docx")).unwrap());
    let all: Vec<&str> = paras.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        all.iter().any(|t| t.contains("AT&T été *not bold*.")),
        "{all:#?}"
    );
    assert!(
        all.iter().any(|t| t.contains("Payments at AT&amp;T")),
        "{all:#?}"
    );
    if have(&["pdftotext"]) {
        let pdf = pdf_text(&out.join("report.pdf"));
        assert!(pdf.contains("AT&T été *not bold*."), "{pdf}");
        assert!(pdf.contains("Payments at AT&amp;T"), "{pdf}");
    }
    let readme = std::fs::read_to_string(root().join("README.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        readme.contains("backslash escapes (`\\*`) and HTML character references (`&amp;`, `&#233;`) are decoded"),
        "the README does not say how rich text treats entities and escapes"
    );
}
