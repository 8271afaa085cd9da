//! Hostile input and crash safety: markup in data stays literal, templates cannot escape,
//! nothing is fetched, hostile reference documents are refused, XML-illegal characters are
//! removed, runaway templates are stopped, and a killed build leaves only complete files.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::support::*;

const INJECTIONS: [&str; 9] = [
    r#"#read("/etc/passwd")"#,
    r#"#include "x.typ""#,
    r#"#import "@preview/x:1.0.0""#,
    r#"#eval("1+1")"#,
    "#show: none",
    r"]$\`{",
    "<!--raw-typst #panic()-->",
    "*not bold*",
    "<b>bold?</b>",
];

/// Text with typographic quotes and apostrophes written straight.
fn straight_quotes(s: &str) -> String {
    s.replace(['“', '”'], "\"").replace(['‘', '’'], "'")
}

/// The injected assessment's English report (PDF and DOCX), built into `out/`.
fn injected_report() -> tempfile::TempDir {
    let tmp = injected();
    BuildCmd::new(tmp.path(), "demo")
        .kind("report")
        .lang("en")
        .arg("--out")
        .arg("out")
        .ok();
    tmp
}

/// Puts each injection string into a plain-text field (a title) and into rich text.
fn injected() -> tempfile::TempDir {
    let tmp = fixture(None);
    let f = tmp.path().join("demo/findings.yaml");
    let titles: Vec<String> = INJECTIONS
        .iter()
        .map(|s| s.replace('\\', "\\\\").replace('"', "\\\""))
        .collect();
    edit(
        &f,
        "    title: {en: Villages lag behind cities, es: Las aldeas van detrás de las ciudades}",
        &format!("    title: \"Villages {}\"", titles[..5].join(" ")),
    );
    edit(
        &f,
        "    title: {en: Payments went digital, es: Los pagos se digitalizaron}",
        &format!("    title: \"Payments {}\"", titles[5..].join(" ")),
    );
    // Rich text: code spans keep their backticks, raw HTML and comments stay text.
    edit(
        &f,
        "      en: Digital payments per person tripled [@central-bank].",
        "      en: |\n        Payments tripled [@central-bank]. #read(\"/etc/passwd\") and $x$ and <b>tag</b> and <!-- note --> and `code` and [x](javascript:alert(1)) and [y](file:///etc/passwd) and [ok](https://example.org/ok).",
    );
    tmp
}

#[test]
fn markup_in_data_stays_literal_in_the_pdf_and_the_docx() {
    let tmp = injected_report();
    let docx = std::fs::read(tmp.path().join("out/demo/en/report.docx")).unwrap();
    // Straight quotes are set as typographic ones, in both formats: compare without them.
    let text: String = straight_quotes(
        &docx_paragraphs(&docx)
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert!(
        docx_paragraphs(&docx)
            .iter()
            .any(|(_, t)| t.contains("#read(“/etc/passwd”)"))
    );
    for s in INJECTIONS {
        assert!(text.contains(s), "the DOCX lacks {s:?} as text");
    }
    {
        let s = "#read(\"/etc/passwd\") and $x$ and <b>tag</b> and <!-- note --> and `code` and [x](javascript:alert(1)) and [y](file:///etc/passwd) and ok.";
        assert!(text.contains(s), "the DOCX lacks {s:?} as text");
    }
    if have(&["pdftotext"]) {
        let pdf = straight_quotes(&pdf_text(&tmp.path().join("out/demo/en/report.pdf")));
        for s in INJECTIONS {
            assert!(pdf.contains(s), "the PDF lacks {s:?} as text");
        }
        // Compared without white space: a line may break inside the literal link syntax.
        let bare = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            bare(&pdf).contains(&bare(
                "`code` and [x](javascript:alert(1)) and [y](file:///etc/passwd) and ok."
            )),
            "rich text not literal"
        );
        assert!(!pdf.contains("root:x:0:0"), "/etc/passwd was read");
    }
}

#[test]
fn only_http_https_and_mailto_become_links() {
    let tmp = injected_report();
    let parts = zip_parts(&std::fs::read(tmp.path().join("out/demo/en/report.docx")).unwrap());
    let rels = String::from_utf8(parts["word/_rels/document.xml.rels"].clone()).unwrap();
    assert!(rels.contains("Target=\"https://example.org/ok\""));
    assert!(
        !rels.contains("javascript:") && !rels.contains("file:"),
        "{rels}"
    );
    if let Some(raw) = uncompressed_pdf(&tmp.path().join("out/demo/en/report.pdf")) {
        assert!(
            raw.contains("/URI (https://example.org/ok)"),
            "the https link is missing"
        );
        assert!(
            !raw.contains("/URI (javascript") && !raw.contains("/URI (file"),
            "a link with another scheme"
        );
    }
}

#[test]
fn templates_cannot_read_outside_their_folder() {
    for body in [
        "#read(\"../../x\")\n",
        "#read(\"/etc/passwd\")\n",
        "#image(\"/etc/hostname\")\n",
    ] {
        let (tmp, o) = template_case("overview.typ", body);
        assert_eq!(o.status.code(), Some(1), "{body}");
        let err = stderr(&o);
        assert!(err.contains("access denied"), "{body}: {err}");
        assert!(
            err.contains("demo/templates/typst/overview.typ:1:"),
            "{body}: {err}"
        );
        assert!(!tmp.path().join("out/demo").exists());
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_templates_folder_is_refused() {
    let tmp = fixture(None);
    let secret = tempfile::tempdir().unwrap();
    std::fs::write(secret.path().join("secret.typ"), "secret").unwrap();
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(secret.path().join("secret.typ"), dir.join("overview.typ")).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("error: demo/templates/typst/overview.typ: access denied: `demo/templates/typst/overview.typ` resolves to "), "{err}");
    assert!(err.contains("outside the templates folder"), "{err}");
}

#[test]
fn packages_fail_at_once_without_network() {
    let started = Instant::now();
    let (_tmp, o) = template_case("overview.typ", "#import \"@preview/cetz:0.3.0\": canvas\n");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("packages are not available: deca works offline and serves no packages (@preview/cetz:0.3.0)"), "{}", stderr(&o));
}

#[test]
fn a_runaway_template_is_stopped_by_the_time_limit() {
    let tmp = fixture(None);
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("overview.typ"),
        "#let n = 0\n#for i in range(50000000) { n = n + i }\n#n\n",
    )
    .unwrap();
    let started = Instant::now();
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .format("pdf")
        .arg("--timeout")
        .arg("1")
        .arg("--out")
        .arg("out")
        .run();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: demo/templates/typst/overview.typ: template `typst/overview.typ` ran longer than the time limit (1 s) and was stopped (in demo/en/overview.pdf)"), "{}", stderr(&o));
    assert!(!tmp.path().join("out/demo").exists(), "partial output");
    // Runaway recursion is stopped by Typst itself, with its location.
    let (_t, o) = template_case("overview.typ", "#let f(n) = f(n + 1)\n#f(0)\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("maximum function call depth exceeded"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn scalars_that_look_like_other_things_stay_text_or_fail_clearly() {
    let tmp = fixture(None);
    let p = tmp.path().join("demo/recommendations.yaml");
    edit(
        &p,
        "    timeframe: {en: Short term, es: Corto plazo}",
        "    timeframe: {en: NO, es: 0777}",
    );
    BuildCmd::new(tmp.path(), "demo")
        .kind("onepager")
        .format("docx")
        .arg("--out")
        .arg("out")
        .ok();
    let en = docx_paragraphs(
        &std::fs::read(tmp.path().join("out/demo/en/onepager-village-access.docx")).unwrap(),
    );
    assert!(en.iter().any(|(_, t)| t == "NO"), "{en:?}");
    let es = docx_paragraphs(
        &std::fs::read(tmp.path().join("out/demo/es/onepager-village-access.docx")).unwrap(),
    );
    assert!(es.iter().any(|(_, t)| t == "0777"), "{es:?}");
}

#[test]
fn xml_illegal_characters_are_removed_with_a_warning() {
    let tmp = fixture(None);
    let p = tmp.path().join("demo/findings.yaml");
    edit(
        &p,
        "    title: {en: Payments went digital, es: Los pagos se digitalizaron}",
        "    title: {en: \"Payments\\a went\\x01 digital\\x0C\", es: \"Pagos\\0 digitales\"}",
    );
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("report")
        .arg("--out")
        .arg("out")
        .ok();
    let err = stderr(&o);
    assert!(err.contains("warning: `title` of finding 2 (`payments`) in `en` contains characters documents cannot carry (U+0007, U+0001, U+000C); they are removed"), "{err}");
    assert!(err.contains("warning: `title` of finding 2 (`payments`) in `es` contains characters documents cannot carry (U+0000); they are removed"), "{err}");
    for lang in ["en", "es"] {
        let parts = zip_parts(
            &std::fs::read(tmp.path().join(format!("out/demo/{lang}/report.docx"))).unwrap(),
        );
        for (name, b) in &parts {
            if name.ends_with(".xml") || name.ends_with(".rels") {
                assert_xml(name, b);
            }
        }
        assert!(
            tmp.path()
                .join(format!("out/demo/{lang}/report.pdf"))
                .exists()
        );
    }
    let paras =
        docx_paragraphs(&std::fs::read(tmp.path().join("out/demo/en/report.docx")).unwrap());
    assert!(
        paras
            .iter()
            .any(|(_, t)| t == "Finding 2: Payments went digital"),
        "{paras:?}"
    );
}

/// Builds a zip from (name, bytes) entries, stored (no compression) or deflated.
fn zip(entries: &[(&str, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn hostile_reference_documents_are_refused_quickly() {
    let base: Vec<(String, Vec<u8>)> = zip_parts(deca::templates::REFERENCE_DOCX)
        .into_iter()
        .collect();
    fn with<'a>(
        base: &'a [(String, Vec<u8>)],
        extra: Vec<(&'a str, Vec<u8>)>,
    ) -> Vec<(&'a str, Vec<u8>)> {
        let mut entries: Vec<(&str, Vec<u8>)> =
            base.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        entries.extend(extra);
        entries
    }
    let many: Vec<(String, Vec<u8>)> = (0..1500)
        .map(|i| (format!("word/media/x{i}.bin"), vec![0u8]))
        .collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("dotdot", zip(&with(&base, vec![("../../evil.xml", b"<x/>".to_vec())]), false), "has an entry named `../../evil.xml` that points outside the package"),
        ("absolute", zip(&with(&base, vec![("/tmp/evil.xml", b"<x/>".to_vec())]), false), "has an entry named `/tmp/evil.xml` that points outside the package"),
        ("many", zip(&with(&base, many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect()), false), "entries; the limit is 1000"),
        ("bomb", zip(&with(&base, vec![("word/media/bomb.bin", vec![0u8; 40 * 1024 * 1024])]), true), "entry `word/media/bomb.bin` inflates past 33554432 bytes"),
        (
            "dtd",
            zip(&with(&base, vec![("word/extra.xml", b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".to_vec())]), false),
            "part `word/extra.xml` declares a DTD or entities, which deca does not accept",
        ),
        ("not-a-zip", b"PK\x03\x04 this is not a zip".to_vec(), "is not a valid Word file"),
    ];
    for (name, bytes, expected) in cases {
        let tmp = fixture(None);
        let reference = tmp.path().join(format!("{name}.docx"));
        std::fs::write(&reference, &bytes).unwrap();
        let started = Instant::now();
        let o = BuildCmd::new(tmp.path(), "demo")
            .loud()
            .arg("--reference-docx")
            .arg(reference.to_str().unwrap())
            .arg("--out")
            .arg("out")
            .run();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{name} took {:?}",
            started.elapsed()
        );
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!(
                "error: reference document {}: ",
                reference.display()
            )),
            "{name}: {err}"
        );
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            !tmp.path().join("out").exists(),
            "{name}: something was written"
        );
        assert!(
            !tmp.path().join("evil.xml").exists()
                && !std::path::Path::new("/tmp/evil.xml").exists()
        );
    }
}

#[test]
fn output_does_not_depend_on_the_wall_clock() {
    let tmp = fixture(None);
    let o = BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(0));
    let today = time::OffsetDateTime::now_utc().date();
    let stamp = format!(
        "{:04}{:02}{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let iso = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    for f in files_under(&tmp.path().join("out")) {
        let bytes = std::fs::read(tmp.path().join("out").join(&f)).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            !raw.contains(&format!("D:{stamp}")) && !raw.contains(&iso),
            "{} holds today's date",
            f.display()
        );
        if f.extension().is_some_and(|e| e == "docx") {
            for (name, part) in zip_parts(&bytes) {
                assert!(
                    !String::from_utf8_lossy(&part).contains(&iso),
                    "{}:{name} holds today's date",
                    f.display()
                );
            }
        }
    }
}

/// Kills builds at several moments. Afterwards every final path holds a complete old file,
/// a complete new file, or nothing, and any manifest matches the files it lists.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_only_complete_files() {
    let tmp = peru();
    let out = tmp.path().join("out");
    // The old state: a complete build, hashes recorded.
    BuildCmd::new(tmp.path(), "peru").out(&out).ok();
    let old: std::collections::HashMap<String, String> = hashes(&out);
    // The new state differs: another title.
    edit(
        &tmp.path().join("peru/assessment.yaml"),
        "title:\n  en: Peru Digital Ecosystem Country Assessment",
        "title:\n  en: Peru Digital Ecosystem Country Assessment (revised)",
    );
    let reference = tmp.path().join("new");
    BuildCmd::new(tmp.path(), "peru").out(&reference).ok();
    let new = hashes(&reference);
    for delay_ms in [30u64, 150, 400, 800, 1500, 2500] {
        let mut child = bin()
            .current_dir(tmp.path())
            .args(["build", "peru", "--out", out.to_str().unwrap(), "-q"])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        for f in files_under(&out) {
            let name = f.to_string_lossy().to_string();
            if name.starts_with(".deca-staging-") {
                continue; // a dead run's staging folder, removed by the next run
            }
            if name == "manifest.json" || name == "SHA256SUMS" {
                continue;
            }
            let h = deca::hash::sha256_hex(&std::fs::read(out.join(&f)).unwrap());
            assert!(
                old.get(&name) == Some(&h) || new.get(&name) == Some(&h),
                "after a kill at {delay_ms} ms, {name} is neither the old nor the new file"
            );
        }
        if out.join("manifest.json").exists() {
            let m = manifest(&out);
            for a in m["artifacts"].as_array().unwrap() {
                let p = out.join(a["path"].as_str().unwrap());
                let bytes = std::fs::read(&p).unwrap_or_else(|_| {
                    panic!(
                        "after a kill at {delay_ms} ms the manifest lists a missing {}",
                        p.display()
                    )
                });
                assert_eq!(
                    deca::hash::sha256_hex(&bytes),
                    a["sha256"].as_str().unwrap(),
                    "after a kill at {delay_ms} ms the manifest does not match {}",
                    p.display()
                );
            }
        }
    }
    // A run that is not killed finishes the job and cleans up.
    let o = BuildCmd::new(tmp.path(), "peru").out(&out).run();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(hashes(&out), new);
    assert!(
        !files_under(&out)
            .iter()
            .any(|f| f.to_string_lossy().starts_with(".deca")),
        "leftovers"
    );
}

fn hashes(out: &std::path::Path) -> std::collections::HashMap<String, String> {
    files_under(out)
        .into_iter()
        .map(|f| f.to_string_lossy().to_string())
        .filter(|f| f != "manifest.json" && f != "SHA256SUMS")
        .map(|f| {
            let h = deca::hash::sha256_hex(&std::fs::read(out.join(&f)).unwrap());
            (f, h)
        })
        .collect()
}

const LOGO_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#002F6C"/><circle cx="20" cy="20" r="12" fill="#BA0C2F"/></svg>"##;

#[test]
fn images_carry_alt_text_and_must_stay_inside_the_folder() {
    let tmp = fixture(None);
    let demo = tmp.path().join("demo");
    std::fs::create_dir_all(demo.join("images")).unwrap();
    std::fs::write(demo.join("images/logo.svg"), LOGO_SVG).unwrap();
    std::fs::write(
        demo.join("theme.yaml"),
        "logo:\n  path: images/logo.svg\n  alt: {en: Testland mission logo, es: Logotipo de la misión}\norganization: Testland Mission\n",
    )
    .unwrap();
    BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .kind("report")
        .lang("en")
        .arg("--out")
        .arg("out")
        .ok();
    let doc = String::from_utf8(zip_parts(&std::fs::read(tmp.path().join("out/demo/en/overview.docx")).unwrap())["word/document.xml"].clone()).unwrap();
    assert!(
        doc.contains("descr=\"Testland mission logo\""),
        "the logo lacks its alt text"
    );
    if let Some(raw) = uncompressed_pdf(&tmp.path().join("out/demo/en/report.pdf")) {
        assert!(
            raw.contains("/Alt (Testland mission logo)"),
            "the PDF logo lacks its alt text"
        );
    }

    // A path out of the folder, a symlink out of it, and a missing alt text.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.svg"), LOGO_SVG).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.svg"),
        demo.join("images/link.svg"),
    )
    .unwrap();
    std::fs::write(
        demo.join("theme.yaml"),
        "logo:\n  path: ../secret.svg\n  alt: Logo\n",
    )
    .unwrap();
    std::fs::write(
        demo.join("assessment.yaml"),
        std::fs::read_to_string(demo.join("assessment.yaml")).unwrap()
            + "cover-image:\n  path: images/link.svg\n",
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "demo", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "demo/assessment.yaml:33:1: error: missing required field `alt` in `cover-image`"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "demo/theme.yaml:2:9: error: image path `../secret.svg` leaves the assessment folder"
        ),
        "{err}"
    );
}

#[test]
fn other_pdf_standards_can_be_chosen() {
    let tmp = fixture(None);
    BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .lang("en")
        .format("pdf")
        .arg("--pdf-standard")
        .arg("a-2b")
        .arg("--out")
        .arg("out")
        .ok();
    let raw = String::from_utf8_lossy(
        &std::fs::read(tmp.path().join("out/demo/en/overview.pdf")).unwrap(),
    )
    .into_owned();
    assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    assert!(!raw.contains("<pdfuaid:part>"));
    assert_eq!(
        manifest(&tmp.path().join("out"))["artifacts"][0]["standards"],
        serde_json::json!(["PDF/A-2b"])
    );
}
