//! The second test assessment, Marenland (tests/fixtures/marenland): English only, two
//! pillars, its own theme and logo, every chart kind, and one-pagers that need shrinking. Every
//! document kind builds from it in both formats, and each one-page kind stays on one page in
//! Typst's PDF and in LibreOffice's rendering of the DOCX.

use std::path::{Path, PathBuf};

use crate::support::*;

/// The fixture's recommendation ids, in file order. The last, `national-payments-switch`,
/// fits one A4 page only at the smallest text size, and no Letter page.
pub const RECOMMENDATIONS: [&str; 12] = [
    "second-cable",
    "ring-the-outer-group",
    "satellite-backup",
    "power-for-towers",
    "cheaper-data",
    "skills-for-older-people",
    "content-in-local-languages",
    "agents-on-every-island",
    "merchant-payments",
    "remittance-costs",
    "island-digital-centres",
    "national-payments-switch",
];

/// The fixture's folder.
pub fn marenland_dir() -> PathBuf {
    root().join("tests/fixtures/marenland")
}

/// Marenland built once (every kind, both formats) for the tests that only read outputs.
/// Returns the output folder.
pub fn marenland_build() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let dir = shared_dir("marenland");
        copy_dir(&marenland_dir(), &dir.join("marenland"));
        let out = dir.join("out");
        BuildCmd::new(&dir, "marenland").out(&out).ok();
        out
    })
}

fn doc(name: &str) -> PathBuf {
    marenland_build().join("marenland/en").join(name)
}

#[test]
fn check_passes_with_the_counts_of_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&marenland_dir(), &tmp.path().join("marenland"));
    let o = run(tmp.path(), &["check", "marenland"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "marenland: ok: 6 findings, 12 recommendations, 2 priorities, 5 indicators, 4 sources\n"
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn every_kind_builds_in_both_formats() {
    let m = manifest(marenland_build());
    let mut paths: Vec<String> = m["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    let mut stems = vec![
        "report".to_string(),
        "overview".to_string(),
        "brief-resilience".to_string(),
        "brief-inclusion".to_string(),
    ];
    for r in RECOMMENDATIONS {
        stems.push(format!("onepager-{r}"));
    }
    let mut expected: Vec<String> = stems
        .iter()
        .flat_map(|s| {
            ["pdf", "docx"]
                .into_iter()
                .map(move |ext| format!("marenland/en/{s}.{ext}"))
        })
        .collect();
    expected.sort();
    assert_eq!(paths, expected);
    for p in &paths {
        let bytes = std::fs::read(marenland_build().join(p)).unwrap();
        if p.ends_with(".pdf") {
            assert!(bytes.starts_with(b"%PDF-"), "{p} is not a PDF");
        } else {
            for (name, part) in zip_parts(&bytes) {
                if name.ends_with(".xml") || name.ends_with(".rels") {
                    assert_xml(&format!("{p}:{name}"), &part);
                }
            }
        }
    }
}

#[test]
fn the_report_says_what_the_data_says_in_both_formats() {
    if !have(&["pdftotext"]) {
        return;
    }
    let pdf = doc("report.pdf");
    let text = pdf_text(&pdf);
    for needle in [
        "Marenland Digital Ecosystem Country Assessment",
        "Pillar 1: Networks and access",
        "Pillar 2: Digital money and trade",
        "Finding 6: Merchants still work in cash",
        "Recommendation 12: Build a national switch so every wallet and bank account can pay every other",
        "Marenland is a fictional country.",
    ] {
        assert!(text.contains(needle), "the report PDF lacks {needle:?}");
    }
    assert_parity(&doc("report.docx"), &pdf);
}

#[test]
fn one_pagers_and_the_overview_are_one_page_and_two_of_them_were_shrunk() {
    let m = manifest(marenland_build());
    let floor = *deca::render::typst::fit::SCALES.last().unwrap();
    let mut one_page = 0;
    for a in m["artifacts"].as_array().unwrap() {
        let kind = a["kind"].as_str().unwrap();
        if kind != "onepager" && kind != "overview" {
            continue;
        }
        let path = a["path"].as_str().unwrap();
        assert_eq!(a["pages"], 1, "{path}");
        if path.ends_with(".pdf") {
            if have(&["pdfinfo"]) {
                assert_eq!(pdf_pages(&marenland_build().join(path)), 1, "{path}");
            }
            one_page += 1;
        }
        let scale = a.get("text-scale").and_then(serde_json::Value::as_f64);
        match a["recommendation"].as_str() {
            Some("island-digital-centres") => {
                let s = scale.expect("the long one-pager is shrunk");
                assert!(s < 1.0 && s > floor, "{path} was set at {s}");
            }
            Some("national-payments-switch") => {
                assert_eq!(scale, Some(floor), "{path} fits only at the floor");
            }
            // Short ones grow to fill their page, by 12% at most.
            Some("cheaper-data") => assert_eq!(scale, Some(1.12), "{path} is short"),
            _ => assert!(
                scale.is_none_or(|s| s > 1.0 && s <= 1.12),
                "{path} needs no shrinking, yet was set at {scale:?}"
            ),
        }
    }
    assert_eq!(one_page, 13);
}

/// The one-page DOCX files, by file stem, whose PDF needed shrinking (`shrunk`) or not (set at
/// full size or grown).
fn one_page_docx(shrunk: bool) -> Vec<PathBuf> {
    let m = manifest(marenland_build());
    let mut out: Vec<PathBuf> = m["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "docx" && (a["kind"] == "onepager" || a["kind"] == "overview"))
        .filter(|a| a["text-scale"].as_f64().is_some_and(|s| s < 1.0) == shrunk)
        .map(|a| marenland_build().join(a["path"].as_str().unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn one_pagers_and_the_overview_are_one_page_in_libreoffice() {
    if !have(&["soffice", "pdfinfo"]) {
        return;
    }
    let docx = one_page_docx(false);
    assert_eq!(docx.len(), 11);
    for (d, pages) in libreoffice_page_counts(&docx) {
        assert_eq!(pages, 1, "{} is {pages} pages in LibreOffice", d.display());
    }
}

/// The two one-pagers Typst had to shrink are one page in Word's layout too: the DOCX measures
/// its own fit (issue 12).
#[test]
fn shrunk_one_pagers_are_one_page_in_libreoffice() {
    if !have(&["soffice", "pdfinfo"]) {
        return;
    }
    let docx = one_page_docx(true);
    assert_eq!(docx.len(), 2);
    for (d, pages) in libreoffice_page_counts(&docx) {
        assert_eq!(pages, 1, "{} is {pages} pages in LibreOffice", d.display());
    }
}

#[test]
fn a_source_url_with_query_and_fragment_links_whole_in_the_pdf() {
    let Some(q) = uncompressed_pdf(&doc("report.pdf")) else {
        return;
    };
    assert!(
        q.contains("/URI (https://mca.example.org/returns?year=2024&format=pdf#table-3)"),
        "the PDF link lost part of the URL"
    );
    // The one-pager prints the address in its sources strip, wrapped where it must be.
    let text: String = pdf_text(&doc("onepager-second-cable.pdf"))
        .split_whitespace()
        .collect();
    assert!(
        text.contains("https://cables.example.net/studies/marenland"),
        "{text}"
    );
}

#[test]
fn the_theme_colours_and_the_svg_logo_are_used() {
    let Some(q) = uncompressed_pdf(&doc("onepager-second-cable.pdf")) else {
        return;
    };
    // The primary colour #0B5D4B fills the title band.
    assert!(
        uses_colour(&q, [0x0B, 0x5D, 0x4B]),
        "nothing is painted in the theme's primary colour"
    );
    assert!(
        uses_colour(&q, [0xE0, 0x7A, 0x1F]),
        "nothing is painted in the theme's accent colour"
    );
    // The logo is drawn with its alt text in the structure tree.
    assert!(
        q.contains("Marenland Communications Authority logo, a green wave under an orange sun"),
        "the logo's alt text is missing"
    );
    let docx = std::fs::read(doc("onepager-second-cable.docx")).unwrap();
    let parts = zip_parts(&docx);
    assert!(
        parts.keys().any(|k| k.starts_with("word/media/")),
        "the DOCX holds no picture for the logo"
    );
}

/// Whether a content stream sets an RGB fill colour (`r g b scn` or `r g b rg`) close to `rgb`.
pub fn uses_colour(pdf: &str, rgb: [u8; 3]) -> bool {
    let tokens: Vec<&str> = pdf.split_ascii_whitespace().collect();
    tokens.windows(4).any(|w| {
        (w[3] == "scn" || w[3] == "rg")
            && (0..3).all(|i| {
                w[i].parse::<f64>()
                    .is_ok_and(|v| (v - rgb[i] as f64 / 255.0).abs() < 0.002)
            })
    })
}
