//! Languages beyond English and Spanish: the built-in French, Portuguese and Arabic locales
//! (labels, dates, numbers, punctuation) in the built PDF and DOCX, language codes with a
//! region, locale overrides for a language deca does not ship, and `check` saying what `build`
//! would say about a language without labels.

use std::path::Path;

use crate::support::*;

/// The base fixture with its second language renamed from `es` to `lang` (the Spanish text
/// stands in for the translation), a four-digit value, and a citation of two sources.
fn fixture_in(lang: &str) -> tempfile::TempDir {
    let tmp = fixture(None);
    let demo = tmp.path().join("demo");
    for e in std::fs::read_dir(&demo).unwrap() {
        let p = e.unwrap().path();
        let s = std::fs::read_to_string(&p).unwrap();
        let s = s
            .replace("languages: [en, es]", &format!("languages: [en, {lang}]"))
            .replace(", es: ", &format!(", {lang}: "));
        let lines: Vec<String> = s
            .lines()
            .map(|l| match l.trim_start().strip_prefix("es:") {
                Some(rest) => format!("{}{lang}:{rest}", &l[..l.len() - l.trim_start().len()]),
                None => l.to_string(),
            })
            .collect();
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    }
    edit(
        &demo.join("indicators.yaml"),
        "values: [90.0, 50.0]",
        "values: [1234.5, 50.0]",
    );
    edit(
        &demo.join("indicators.yaml"),
        "format: percent",
        "format: number",
    );
    edit(
        &demo.join("recommendations.yaml"),
        "no está conectada [@stats-office].",
        "no está conectada [@stats-office; @central-bank].",
    );
    tmp
}

/// Builds every document of `lang`; returns the output folder of that language.
fn build_lang(tmp: &Path, lang: &str, formats: &[&str]) -> std::path::PathBuf {
    let out = tmp.join("out");
    let mut args = vec![
        "build",
        "demo",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        lang,
    ];
    for f in formats {
        args.extend(["--format", f]);
    }
    let o = run(tmp, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out.join("demo").join(lang)
}

/// Every paragraph of a DOCX, joined by newlines.
fn docx_text(path: &Path) -> String {
    docx_paragraphs(&std::fs::read(path).unwrap())
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a PDF carries a glyph for `c`: pdftotext turns a narrow no-break space into a
/// space or nothing, so the fonts' ToUnicode maps are read instead.
fn pdf_has_char(pdf: &Path, c: char) -> Option<bool> {
    let q = uncompressed_pdf(pdf)?;
    Some(q.to_uppercase().contains(&format!("<{:04X}>", c as u32)))
}

#[test]
fn french_editions_have_french_dates_numbers_and_punctuation() {
    let tmp = fixture_in("fr");
    let o = run(tmp.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = build_lang(tmp.path(), "fr", &[]);

    let report = docx_text(&out.join("report.docx"));
    for want in [
        // The figure's values: French grouping and decimal comma.
        "1\u{202f}234,5",
        "Pilier 1\u{202f}: Infraestructura",
        "Constatation 1\u{202f}: Las aldeas van detrás de las ciudades",
        "Publié le 15 mars 2024",
        "Annexe\u{202f}: sources",
    ] {
        assert!(report.contains(want), "{want:?} not in:\n{report}");
    }
    let onepager = docx_text(&out.join("onepager-village-access.docx"));
    for want in [
        // A citation does not break inside a label: no-break spaces in "ONE 2023".
        "(ONE\u{a0}2023\u{202f}; BCT\u{a0}2023)",
        "ONE\u{a0}2023\u{202f}: Testland Statistics Office, Household survey 2023",
        "Recommandation 1",
    ] {
        assert!(onepager.contains(want), "{want:?} not in:\n{onepager}");
    }
    if !have(&["pdftotext"]) {
        return;
    }
    let pdf = pdf_text(&out.join("report.pdf"));
    for want in [
        "Publié le 15 mars 2024",
        "Pilier 1 : Infraestructura",
        "Page 3 sur",
    ] {
        assert!(pdf.contains(want), "{want:?} not in the PDF:\n{pdf}");
    }
    assert!(pdf.contains("1 234,5"), "{pdf}");
    if let Some(has) = pdf_has_char(&out.join("report.pdf"), '\u{202f}') {
        assert!(has, "the report has no narrow no-break space");
    }
}

#[test]
fn portuguese_editions_have_portuguese_dates_numbers_and_punctuation() {
    let tmp = fixture_in("pt");
    let out = build_lang(tmp.path(), "pt", &[]);
    let report = docx_text(&out.join("report.docx"));
    for want in [
        "1.234,5",
        "Pilar 1: Infraestructura",
        "Constatação 1: Las aldeas",
        "Publicado em 15 de março de 2024",
    ] {
        assert!(report.contains(want), "{want:?} not in:\n{report}");
    }
    if !have(&["pdftotext"]) {
        return;
    }
    let pdf = pdf_text(&out.join("report.pdf"));
    assert!(pdf.contains("15 de março de 2024"), "{pdf}");
    assert!(pdf.contains("Página 3 de"), "{pdf}");
    assert!(pdf.contains("1.234,5"), "{pdf}");
}

/// Both Arabic editions build; the Word edition carries the Arabic labels and date (the PDF's
/// right-to-left text is read back in the scripts tests).
#[test]
fn arabic_editions_have_arabic_labels_and_dates() {
    let tmp = fixture_in("ar");
    let out = build_lang(tmp.path(), "ar", &[]);
    let report = docx_text(&out.join("report.docx"));
    for want in [
        "المحور 1: Infraestructura",
        "النتيجة 1: Las aldeas",
        "نُشر في 15 مارس 2024",
    ] {
        assert!(report.contains(want), "{want:?} not in:\n{report}");
    }
    let onepager = docx_text(&out.join("onepager-village-access.docx"));
    assert!(
        onepager.contains("(ONE\u{a0}2023؛") && onepager.contains("BCT\u{a0}2023)"),
        "{onepager}"
    );
}

/// A region (`es-PE`) takes its language's labels; Typst and Word get the language and the
/// region apart.
#[test]
fn a_language_with_a_region_builds_with_its_language_labels() {
    let tmp = fixture_in("es-PE");
    let o = run(tmp.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = build_lang(tmp.path(), "es-PE", &[]);
    let report = docx_text(&out.join("report.docx"));
    assert!(
        report.contains("Publicado el 15 de marzo de 2024"),
        "{report}"
    );
    let styles = String::from_utf8(
        zip_parts(&std::fs::read(out.join("report.docx")).unwrap())
            .remove("word/styles.xml")
            .unwrap(),
    )
    .unwrap();
    assert!(styles.contains("w:val=\"es-PE\""), "{styles}");
    if let Some(q) = uncompressed_pdf(&out.join("report.pdf")) {
        assert!(q.contains("/Lang (es-PE)"), "no /Lang (es-PE) in the PDF");
    }
}

/// `check` fails on a language without labels with the words `build` uses, so nothing that
/// passes `check` fails `build` for it.
#[test]
fn check_and_build_say_the_same_about_a_language_without_labels() {
    let tmp = fixture_in("sw");
    let check = run(tmp.path(), &["check", "demo", "--format", "short"]);
    assert_eq!(check.status.code(), Some(1));
    let message = "error: no labels for language `sw` (hint: add templates/locales/sw.yaml in the assessment folder (copy locales/en.yaml from `deca templates export DIR` and translate it))";
    assert_eq!(
        stderr(&check),
        format!("demo/assessment.yaml:5:17: {message}\n")
    );
    let build = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(build.status.code(), Some(1));
    let err = stderr(&build);
    assert!(
        err.contains("error: no labels for language `sw`\n")
            && err.contains("add templates/locales/sw.yaml in the assessment folder"),
        "{err}"
    );
}

/// A language deca does not ship works from a locale file in the assessment's templates
/// folder; labels it lacks are warned about, the same way by `check` and `build`.
#[test]
fn a_locale_file_adds_a_language() {
    let tmp = fixture_in("sw");
    let locales = tmp.path().join("demo/templates/locales");
    std::fs::create_dir_all(&locales).unwrap();
    let mut en = std::fs::read_to_string(root().join("templates/locales/en.yaml")).unwrap();
    en = en
        .replace("name: English", "name: Kiswahili")
        .replace(
            "  finding-n: \"Finding {n}\"",
            "  finding-n: \"Matokeo {n}\"",
        )
        .replace("  contents: Contents\n", "");
    std::fs::write(locales.join("sw.yaml"), en).unwrap();
    let check = run(tmp.path(), &["check", "demo", "--format", "short"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let warning = "demo/templates/locales/sw.yaml: warning: label `contents` is missing for `sw`; the English label is used (hint: add `contents:` under `labels:`)\n";
    assert_eq!(stderr(&check), warning);
    let out = build_lang(tmp.path(), "sw", &["docx"]);
    let report = docx_text(&out.join("report.docx"));
    assert!(report.contains("Matokeo 1: Las aldeas"), "{report}");
}
