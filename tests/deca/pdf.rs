//! PDF output: every kind builds, one-pagers and the overview are one page, the text is there,
//! readers accept the files, data stays literal, builds are deterministic, and failures
//! (template errors, overflowing one-pagers) are reported and change nothing.

use crate::support::*;

#[test]
fn every_kind_builds_and_one_page_documents_are_one_page() {
    let out = peru_build();
    let m = manifest(out);
    let artifacts = m["artifacts"].as_array().unwrap();
    // 2 languages × (report + 3 briefs + 10 one-pagers + overview) × 2 formats.
    assert_eq!(artifacts.len(), 2 * 15 * 2);
    for a in artifacts {
        let pages = a["pages"].as_u64().unwrap();
        match a["kind"].as_str().unwrap() {
            "onepager" | "overview" => assert_eq!(pages, 1, "{}", a["path"]),
            "brief" => assert!((2..=4).contains(&pages), "{} has {pages} pages", a["path"]),
            "report" => assert!(pages >= 20, "{} has {pages} pages", a["path"]),
            k => panic!("unexpected kind {k}"),
        }
    }
    if have(&["pdfinfo"]) {
        for a in artifacts.iter().filter(|a| a["format"] == "pdf") {
            let o = std::process::Command::new("pdfinfo")
                .arg(out.join(a["path"].as_str().unwrap()))
                .output()
                .unwrap();
            let info = String::from_utf8_lossy(&o.stdout);
            assert!(
                info.contains(&format!("Pages:           {}\n", a["pages"])),
                "{}: {info}",
                a["path"]
            );
        }
    }
}

#[test]
fn the_report_holds_every_finding_and_recommendation() {
    if !have(&["pdftotext"]) {
        return;
    }
    let text = pdf_text(&peru_build().join("peru/en/report.pdf"));
    for needle in [
        "Executive summary",
        "Contents",
        "Finding 1: Thirty years of steady digital progress have left Peru with a landscape of contrasts",
        "Finding 8:",
        "Recommendation 1: Back affordable connectivity models for Amazon and Andean communities",
        "Recommendation 10:",
        "Annex: Sources",
        "Pillar 2: Digital Society, Rights, and Governance",
        "This edition’s recommendations are illustrative",
        "63 key informant interviews",
        "Page 3 of",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}");
    }
    // A recommendation shows the findings it answers with their pages in the report.
    assert!(text.contains("Responds to findings Finding 3: The Amazon rainforest and the Andes defeat the usual models for connecting rural areas (p. "), "cross-reference with page missing");
}

#[test]
fn one_pagers_cite_the_report_pages_of_their_findings() {
    if !have(&["pdftotext"]) {
        return;
    }
    let text = pdf_text(&peru_build().join("peru/en/onepager-rural-connectivity-models.pdf"));
    assert!(text.contains("Why it matters"), "{text}");
    assert!(text.contains("Who should act"), "{text}");
    assert!(text.contains("(report, p. "), "{text}");
    assert!(text.contains("RECOMMENDATION 1"), "{text}");
}

#[test]
fn readers_accept_every_pdf() {
    if !have(&["qpdf", "pdffonts", "pdfinfo"]) {
        return;
    }
    let out = peru_build();
    for a in manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "pdf")
    {
        let path = out.join(a["path"].as_str().unwrap());
        let q = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            q.status.success(),
            "qpdf rejects {}: {}",
            path.display(),
            stdout(&q)
        );
        let f = std::process::Command::new("pdffonts")
            .arg(&path)
            .output()
            .unwrap();
        for line in stdout(&f).lines().skip(2) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let emb = cols[cols.len() - 5];
            assert_eq!(
                emb,
                "yes",
                "font not embedded in {}: {line}",
                path.display()
            );
        }
        let i = std::process::Command::new("pdfinfo")
            .arg(&path)
            .output()
            .unwrap();
        let info = stdout(&i);
        assert!(
            info.contains("Tagged:          yes"),
            "{}: {info}",
            path.display()
        );
        assert!(
            info.lines()
                .any(|l| l.starts_with("Title:") && l.len() > 20),
            "{}: {info}",
            path.display()
        );
        // A document with bookmarks opens with them shown, read from the catalog as qpdf
        // resolves it (the incremental update's, not the original's).
        let catalog = catalog(&path);
        if catalog.contains("/Outlines") {
            assert!(
                catalog.contains("/PageMode /UseOutlines"),
                "{} opens without its bookmarks: {catalog}",
                path.display()
            );
        } else {
            assert!(
                !a["kind"].as_str().unwrap().contains("report"),
                "{}",
                path.display()
            );
        }
        // PDF/UA-1 and PDF/A-2a claims in the XMP metadata.
        let bytes = std::fs::read(&path).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{} lacks the PDF/UA claim",
            path.display()
        );
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>")
                && raw.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
            "{} lacks the PDF/A-2a claim",
            path.display()
        );
        assert!(
            raw.contains("<dc:language>") || raw.contains("/Lang"),
            "{} has no language",
            path.display()
        );
    }
}

/// The document catalog of a PDF, as qpdf shows it.
fn catalog(path: &std::path::Path) -> String {
    let show = |what: &str| {
        let o = std::process::Command::new("qpdf")
            .arg(format!("--show-object={what}"))
            .arg(path)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let trailer = show("trailer");
    let root = trailer
        .split("/Root ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no /Root in {trailer}"))
        .to_string();
    show(&root)
}

#[test]
fn builds_are_byte_identical_and_independent_of_the_working_directory() {
    let tmp = fixture(None);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    BuildCmd::new(tmp.path(), "demo").out(&a).ok();
    // From another folder, with absolute paths and one job.
    let elsewhere = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    BuildCmd::new(elsewhere.path(), demo.to_str().unwrap())
        .out(&b)
        .arg("--jobs")
        .arg("1")
        .ok();
    let fa = files_under(&a);
    assert_eq!(fa, files_under(&b));
    assert!(fa.len() > 10);
    for f in fa {
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{} differs between runs",
            f.display()
        );
    }
}

#[test]
fn source_date_epoch_sets_the_document_date() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = bin()
        .current_dir(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args([
            "build",
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let raw = String::from_utf8_lossy(&std::fs::read(out.join("demo/en/overview.pdf")).unwrap())
        .into_owned();
    assert!(
        raw.contains("/CreationDate(D:20231114221320Z"),
        "the PDF is not dated by SOURCE_DATE_EPOCH"
    );
    assert!(
        raw.contains("<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"),
        "the XMP is not dated by SOURCE_DATE_EPOCH"
    );
    let docx = zip_parts(&std::fs::read(out.join("demo/en/overview.docx")).unwrap());
    assert!(String::from_utf8_lossy(&docx["docProps/core.xml"]).contains("2023-11-14T22:13:20Z"));
}

#[test]
fn a_broken_template_is_reported_at_its_line_and_changes_nothing() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    BuildCmd::new(tmp.path(), "demo").out(&out).ok();
    let before = snapshot(&out);
    let templates = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("overview.typ"),
        "#import \"common/theme.typ\": *\n\n#let x = (1, 2\n#undefined-function()\n",
    )
    .unwrap();
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("--> demo/templates/typst/overview.typ:3:10"),
        "{err}"
    );
    assert!(err.contains("error: "), "{err}");
    let after = snapshot(&out);
    assert!(before == after, "a failed build changed the output folder");
}

#[test]
fn a_one_pager_that_cannot_fit_names_the_field_to_shorten() {
    let tmp = fixture(None);
    lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, 70);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo")
        .kind("onepager")
        .lang("en")
        .format("pdf")
        .out(&out)
        .run();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: recommendation `village-access` (en) does not fit on one page: even at 82% text size it overflows by about "),
        "{err}"
    );
    assert!(err.contains("from field `rationale` on"), "{err}");
    assert!(err.contains("--> demo/recommendations.yaml:9:7"), "{err}");
    assert!(err.contains("shorten `rationale`"), "{err}");
    assert!(!out.join("demo").exists(), "a failed build wrote documents");
}

#[test]
fn long_content_shrinks_to_fit_on_one_page() {
    let tmp = fixture(None);
    lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, 45);
    let out = tmp.path().join("out");
    BuildCmd::new(tmp.path(), "demo")
        .arg("--recommendation")
        .arg("village-access")
        .lang("en")
        .out(&out)
        .ok();
    let m = manifest(&out);
    for a in m["artifacts"].as_array().unwrap() {
        assert_eq!(a["pages"], 1);
        let scale = a["text-scale"].as_f64().expect("the text was shrunk");
        assert!((0.82..1.0).contains(&scale), "{scale}");
    }
    // A short one-pager grows to fill its page, by 12% at most.
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--recommendation")
        .arg("payment-rails")
        .lang("en")
        .format("pdf")
        .out(&out)
        .run();
    assert_eq!(o.status.code(), Some(0));
    let grown = manifest(&out)["artifacts"][0]["text-scale"].as_f64();
    assert_eq!(grown, Some(1.12), "the short one-pager fills its page");
    assert!(
        !stdout(&o).contains("text size") && !stderr(&o).contains("text size"),
        "grown text is no news"
    );
    // Full size is the default the manifest leaves out: no document says 1.0.
    for a in manifest(peru_build())["artifacts"].as_array().unwrap() {
        assert_ne!(a["text-scale"].as_f64(), Some(1.0), "{a}");
    }
}

/// Runs the PDF/UA checkers readers' tools rely on (pdfua's machine checks and outloud's
/// PDF/UA-1 and WCAG rules) on every PDF of a build: none may report an error.
fn assert_accessible(out: &std::path::Path) {
    let pdfs: Vec<String> = manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["format"] == "pdf")
        .map(|a| out.join(a["path"].as_str().unwrap()).display().to_string())
        .collect();
    for pdf in &pdfs {
        let o = std::process::Command::new("pdfua")
            .args(["check", pdf])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("result: PASS"),
            "pdfua on {pdf}:\n{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = std::process::Command::new("outloud")
        .args(["--quiet", "--fail-on", "error"])
        .args(&pdfs)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "outloud reports errors:\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn accessibility_checkers_find_no_errors_in_either_assessment() {
    if !have(&["pdfua", "outloud"]) {
        return;
    }
    assert_accessible(peru_build());
    assert_accessible(crate::fixture::marenland_build());
}
