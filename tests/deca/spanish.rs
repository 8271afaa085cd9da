//! The Spanish edition and charts: no fallbacks for Peru, Spanish labels, dates and numbers in
//! both formats, chart alt text in the PDF structure and the DOCX.

use crate::support::*;

#[test]
fn spanish_documents_build_without_fallback_warnings() {
    let tmp = peru();
    let o = BuildCmd::new(tmp.path(), "peru")
        .loud()
        .lang("es")
        .arg("--strict")
        .arg("--json")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let warnings: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| l.contains("\"event\":\"warning\""))
        .map(str::to_string)
        .collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn spanish_labels_dates_and_numbers_appear_in_both_formats() {
    if !have(&["pdftotext"]) {
        return;
    }
    let out = peru_build();
    let pdf = pdf_text(&out.join("peru/es/report.pdf"));
    for needle in [
        "Resumen ejecutivo",
        "Contenido",
        "Hallazgo 1:",
        "Recomendación 1:",
        "1 de noviembre de 2026",
        "Página 3 de",
        "Anexo: Fuentes",
        "89,2 %",
        // Figure labels are set in small capitals above the chart's title.
        "GRÁFICO 1 Uso de internet",
        "Fuente:",
    ] {
        assert!(
            pdf.contains(needle),
            "the Spanish report PDF lacks {needle:?}"
        );
    }
    let docx: String = docx_paragraphs(&std::fs::read(out.join("peru/es/report.docx")).unwrap())
        .into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "Resumen ejecutivo",
        "Hallazgo 1:",
        "Publicado el 1 de noviembre de 2026",
        "Gráfico 1 Uso de internet",
        "Anexo: Fuentes",
    ] {
        assert!(
            docx.contains(needle),
            "the Spanish report DOCX lacks {needle:?}"
        );
    }
    let footer = String::from_utf8(
        zip_parts(&std::fs::read(out.join("peru/es/report.docx")).unwrap())["word/footer1.xml"]
            .clone(),
    )
    .unwrap();
    assert!(
        footer.contains("Página </w:t>")
            && footer.contains(" PAGE ")
            && footer.contains(" de </w:t>"),
        "{footer}"
    );
    let styles = String::from_utf8(
        zip_parts(&std::fs::read(out.join("peru/es/report.docx")).unwrap())["word/styles.xml"]
            .clone(),
    )
    .unwrap();
    assert!(styles.contains("<w:lang w:val=\"es-PE\""));
}

#[test]
fn chart_alt_text_is_in_the_pdf_structure_and_the_docx() {
    let out = peru_build();
    let docx = String::from_utf8(
        zip_parts(&std::fs::read(out.join("peru/es/report.docx")).unwrap())["word/document.xml"]
            .clone(),
    )
    .unwrap();
    // Every picture has alt text; the charts' read their values.
    let alts: Vec<&str> = docx
        .split(" descr=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(
        alts.iter()
            .any(|a| a.starts_with("Gráfico de barras") && a.len() > 40),
        "{alts:?}"
    );
    // Uncompressed, the structure tree shows the figure's /Alt.
    let Some(raw) = uncompressed_pdf(&out.join("peru/es/report.pdf")) else {
        return;
    };
    assert!(raw.contains("/Alt"), "no /Alt in the PDF structure");
    assert!(raw.contains("/S /Figure"), "no Figure structure element");
}

#[test]
fn generated_alt_text_reads_the_values() {
    let tmp = fixture(None);
    // Three values: drawn as a chart (two would be number tiles).
    edit(
        &tmp.path().join("demo/indicators.yaml"),
        "      - {en: Villages, es: Aldeas}",
        "      - {en: Villages, es: Aldeas}\n      - {en: Towns, es: Pueblos}",
    );
    edit(
        &tmp.path().join("demo/indicators.yaml"),
        "values: [90.0, 50.0]",
        "values: [90.0, 50.0, 70.0]",
    );
    for (lang, alt) in [
        (
            "en",
            "descr=\"Bar chart: Internet use by area. Cities 90%, Villages 50%, Towns 70%.\"",
        ),
        (
            "es",
            "descr=\"Gráfico de barras: Uso de internet por área. Ciudades 90\u{a0}%, Aldeas 50\u{a0}%, Pueblos 70\u{a0}%.\"",
        ),
    ] {
        BuildCmd::new(tmp.path(), "demo")
            .kind("report")
            .format("docx")
            .arg("--lang")
            .arg(lang)
            .arg("--out")
            .arg("out")
            .ok();
        let docx = String::from_utf8(
            zip_parts(
                &std::fs::read(tmp.path().join(format!("out/demo/{lang}/report.docx"))).unwrap(),
            )["word/document.xml"]
                .clone(),
        )
        .unwrap();
        assert!(
            docx.contains(alt),
            "{lang}: {}",
            &docx[docx.find("descr").unwrap()..][..160]
        );
    }
}

#[test]
fn a_new_language_can_be_added_with_a_locale_file() {
    let tmp = fixture(None);
    edit(
        &tmp.path().join("demo/assessment.yaml"),
        "languages: [en, es]",
        "languages: [en, es, sw]",
    );
    let locales = tmp.path().join("demo/templates/locales");
    std::fs::create_dir_all(&locales).unwrap();
    let en = String::from_utf8(
        deca::templates::TemplateSet::builtin()
            .get("locales/en.yaml")
            .unwrap()
            .bytes
            .to_vec(),
    )
    .unwrap();
    let sw = en
        .replace("name: English", "name: Kiswahili")
        .replace("  contents: Contents", "  contents: Yaliyomo")
        .replace("region: US", "region: KE");
    std::fs::write(locales.join("sw.yaml"), sw).unwrap();
    BuildCmd::new(tmp.path(), "demo")
        .lang("sw")
        .kind("report")
        .format("docx")
        .arg("--out")
        .arg("out")
        .ok();
    let paras =
        docx_paragraphs(&std::fs::read(tmp.path().join("out/demo/sw/report.docx")).unwrap());
    assert!(
        paras
            .iter()
            .any(|(s, t)| s == "TOCHeading" && t == "Yaliyomo"),
        "{paras:?}"
    );
    // Without a locale file, the language is an error that says what to add.
    std::fs::remove_file(locales.join("sw.yaml")).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .lang("sw")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: no labels for language `sw`"),
        "{}",
        stderr(&o)
    );
}
