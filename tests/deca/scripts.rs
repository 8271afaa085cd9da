//! Text in any script: a document mixing a dozen scripts is a valid PDF/UA-1 file whose text
//! reads back in logical order; an Arabic-language document runs right to left in the PDF and
//! the DOCX; and text that no font can display is reported at its field before any PDF is made.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Where Debian's fonts-noto-cjk puts its fonts; the tests pass it with `--font-path`.
const CJK_FONTS: &str = "/usr/share/fonts/opentype/noto";

/// Each script's sample, as the reader must get it back (logical order).
const SAMPLES: &[(&str, &str)] = &[
    ("Arabic", "مرحبا بالعالم"),
    ("Hebrew", "שלום עולם"),
    ("Devanagari", "नमस्ते दुनिया"),
    ("Ethiopic", "ሰላም ለዓለም"),
    ("Thai", "สวัสดีชาวโลก"),
    ("Khmer", "សួស្តីពិភពលោក"),
    ("CJK", "数字经济 デジタル 디지털"),
    ("Cyrillic", "Привіт, світе"),
    ("Greek", "Γειά σου κόσμε"),
    ("Emoji", "🌍📱✅"),
];

/// The base fixture with the English body of finding `payments` in every sample script.
fn mixed() -> tempfile::TempDir {
    let tmp = fixture(None);
    let text: Vec<String> = SAMPLES.iter().map(|(s, t)| format!("{s}: {t}.")).collect();
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "      en: Digital payments per person tripled [@central-bank].",
        &format!(
            "      en: \"Digital payments per person tripled [@central-bank]. {}\"",
            text.join(" ")
        ),
    );
    tmp
}

/// Whether the CJK fonts are installed; without them a test is skipped, unless
/// DECA_REQUIRE_TOOLS=1.
fn have_cjk_fonts() -> bool {
    if Path::new(CJK_FONTS)
        .join("NotoSansCJK-Regular.ttc")
        .is_file()
    {
        return true;
    }
    if std::env::var("DECA_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("fonts-noto-cjk is not installed ({CJK_FONTS})");
    }
    eprintln!("skipped: fonts-noto-cjk is not installed");
    false
}

/// Runs deca without any font path from the environment.
fn deca(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .env_remove("DECA_FONT_PATH")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// The mixed-script assessment's English report in `format`, built into `out/` with the CJK
/// fonts of this machine.
fn mixed_report(format: &str) -> tempfile::TempDir {
    let tmp = mixed();
    let o = deca(
        tmp.path(),
        &[
            "build",
            "demo",
            "--out",
            "out",
            "--kind",
            "report",
            "--lang",
            "en",
            "--format",
            format,
            "--font-path",
            CJK_FONTS,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    tmp
}

/// pdftotext's reading of a PDF (its default mode reorders right-to-left runs into logical
/// order, as a reader's copy and paste does), normalised.
fn reading_order_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    // pdftotext wraps right-to-left runs in embedding marks.
    normalize(&String::from_utf8_lossy(&o.stdout).replace(['\u{202B}', '\u{202C}'], ""))
}

#[test]
fn mixed_scripts_make_a_pdf_ua_file_whose_text_reads_in_logical_order() {
    if !have(&["pdftotext", "pdffonts", "qpdf"]) || !have_cjk_fonts() {
        return;
    }
    let tmp = mixed_report("pdf");
    let pdf = tmp.path().join("out/demo/en/report.pdf");

    let text = reading_order_text(&pdf);
    for (script, sample) in SAMPLES {
        // Typst maps each glyph of a Khmer cluster to the whole cluster, so extraction repeats
        // parts of it (an upstream ToUnicode limitation); the glyphs themselves are checked
        // below through the embedded font.
        if *script == "Khmer" {
            continue;
        }
        assert!(
            text.contains(&format!("{script}: {sample}.")),
            "the {script} text does not read back in order: {text}"
        );
    }

    // Every glyph comes from an embedded font, and each script from the font deca picked.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    for line in fonts.lines().skip(2) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "font not embedded: {line}");
        assert_eq!(cols[n - 3], "yes", "font without a Unicode map: {line}");
    }
    for family in [
        "NotoNaskhArabic",
        "NotoSerifHebrew",
        "NotoSerifDevanagari",
        "NotoSerifEthiopic",
        "NotoSerifThai",
        "NotoSerifKhmer",
        "NotoEmoji",
        "CJK",
        "Carlito",
    ] {
        assert!(
            fonts.contains(family),
            "no {family} font in the PDF:\n{fonts}"
        );
    }

    // The PDF/UA-1 claims deca makes by default, and the structure they rest on.
    let q = uncompressed_pdf(&pdf).unwrap();
    assert!(
        q.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "no PDF/UA-1 identifier"
    );
    assert!(q.contains("/StructTreeRoot"), "not tagged");
    assert!(q.contains("/Marked true"), "not marked");
    assert!(q.contains("/Lang (en"), "no document language");
    assert!(
        q.contains("/DisplayDocTitle true"),
        "the title is not displayed"
    );
}

/// One word of a PDF with its page and box (points from the top left).
struct Word {
    page: usize,
    x_min: f64,
    text: String,
}

fn words(pdf: &Path) -> (Vec<Word>, f64) {
    let o = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout).into_owned();
    let attr = |tag: &str, name: &str| -> f64 {
        let k = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[k..k + tag[k..].find('"').unwrap()].parse().unwrap()
    };
    let mut page = 0;
    let mut width = 0.0;
    let mut out = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            width = attr(line, "width");
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').unwrap();
            out.push(Word {
                page,
                x_min: attr(rest, "xMin"),
                text: rest[close + 1..].trim_end_matches("</word>").to_string(),
            });
        }
    }
    (out, width)
}

/// The Arabic fixture in a temporary folder as `arabic/`, its language renamed if asked.
fn arabic(lang: &str, locale_dir: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("arabic");
    copy_dir(&root().join("tests/fixtures/arabic"), &dir);
    if lang != "ar" {
        edit(
            &dir.join("assessment.yaml"),
            "languages: [ar]",
            &format!("languages: [{lang}]"),
        );
        std::fs::rename(
            dir.join("templates/locales/ar.yaml"),
            dir.join(format!("templates/locales/{lang}.yaml")),
        )
        .unwrap();
    }
    if let Some(d) = locale_dir {
        edit(
            &dir.join(format!("templates/locales/{lang}.yaml")),
            "minimum-grouping-digits: 1\n",
            &format!("minimum-grouping-digits: 1\ndir: {d}\n"),
        );
    }
    tmp
}

fn build_onepager(tmp: &Path, lang: &str, format: &str) -> PathBuf {
    let o = deca(
        tmp,
        &[
            "build", "arabic", "--out", "out", "--kind", "onepager", "--format", format,
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    tmp.join(format!("out/arabic/{lang}/onepager-ring.{format}"))
}

/// Word has one complex-script font slot per run: a paragraph mixing scripts is written as
/// runs of one script each, every one naming a font that has its glyphs.
#[test]
fn each_script_of_a_mixed_paragraph_gets_its_own_font_in_the_docx() {
    if !have_cjk_fonts() {
        return;
    }
    let tmp = mixed_report("docx");
    let docx = std::fs::read(tmp.path().join("out/demo/en/report.docx")).unwrap();
    let body = String::from_utf8(zip_parts(&docx)["word/document.xml"].clone()).unwrap();
    for (sample, slot) in [
        ("مرحبا", "w:cs=\"Noto Naskh Arabic\""),
        ("שלום", "w:cs=\"Noto Serif Hebrew\""),
        ("नमस्ते", "w:cs=\"Noto Serif Devanagari\""),
        ("สวัสดี", "w:cs=\"Noto Serif Thai\""),
        ("សួស្តី", "w:cs=\"Noto Serif Khmer\""),
        ("数字经济", "w:eastAsia=\"Noto Sans CJK SC\""),
    ] {
        let at = body
            .find(sample)
            .unwrap_or_else(|| panic!("{sample} is not in the body"));
        let run = &body[body[..at].rfind("<w:r>").expect("the text sits in a run")..at];
        assert!(
            run.contains(slot),
            "{sample} is in a run without {slot}: {run}"
        );
    }
}

/// Whether a page reads from the right: its headings sit against the right margin and its
/// list numbers stand on the right of the column.
fn runs_right_to_left(pdf: &Path) -> bool {
    let (words, width) = words(pdf);
    let on_page: Vec<&Word> = words.iter().filter(|w| w.page == 1).collect();
    let heading = on_page
        .iter()
        .position(|w| w.text == "Why")
        .expect("the one-pager has its “Why it matters” heading");
    let actions = on_page
        .iter()
        .position(|w| w.text == "Actions")
        .expect("the one-pager has its “Actions” heading");
    let number = on_page[actions..]
        .iter()
        .find(|w| w.text == "1" || w.text == "1.")
        .expect("a numbered action");
    let heading_right = on_page[heading].x_min > width / 2.0;
    let number_right = number.x_min > width / 2.0;
    assert_eq!(
        heading_right, number_right,
        "the heading and the list disagree on the direction"
    );
    heading_right
}

#[test]
fn an_arabic_document_runs_right_to_left_in_the_pdf() {
    if !have(&["pdftotext"]) {
        return;
    }
    let tmp = arabic("ar", None);
    let pdf = build_onepager(tmp.path(), "ar", "pdf");
    assert!(runs_right_to_left(&pdf));
    let text = reading_order_text(&pdf);
    assert!(
        text.contains("عطل وصلة واحدة يقطع كل الجزر التي تليها"),
        "the Arabic rationale does not read in logical order: {text}"
    );
}

#[test]
fn the_locale_sets_the_direction_whatever_the_language_code() {
    if !have(&["pdftotext"]) {
        return;
    }
    // Sorani Kurdish is written in Arabic script, right to left; Typst does not know it.
    let tmp = arabic("ckb", Some("rtl"));
    assert!(runs_right_to_left(&build_onepager(
        tmp.path(),
        "ckb",
        "pdf"
    )));
    // And an Arabic edition may be set left to right when its locale says so.
    let tmp = arabic("ar", Some("ltr"));
    assert!(!runs_right_to_left(&build_onepager(
        tmp.path(),
        "ar",
        "pdf"
    )));
}

#[test]
fn an_unknown_direction_in_a_locale_is_refused() {
    let tmp = arabic("ar", Some("sideways"));
    let o = deca(tmp.path(), &["build", "arabic", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("error: arabic/templates/locales/ar.yaml: unknown text direction `dir: sideways` for `ar`"),
        "{err}"
    );
    assert!(
        err.contains("hint: write `dir: rtl` (right to left) or `dir: ltr`"),
        "{err}"
    );
}

#[test]
fn an_arabic_docx_is_right_to_left_in_word_and_libreoffice() {
    let tmp = arabic("ar", None);
    let docx = build_onepager(tmp.path(), "ar", "docx");
    let parts = zip_parts(&std::fs::read(&docx).unwrap());
    let styles = String::from_utf8_lossy(&parts["word/styles.xml"]).into_owned();
    let body = String::from_utf8_lossy(&parts["word/document.xml"]).into_owned();
    let defaults =
        &styles[styles.find("<w:pPrDefault>").unwrap()..styles.find("</w:pPrDefault>").unwrap()];
    assert!(
        defaults.contains("<w:bidi/>"),
        "paragraphs are not right to left"
    );
    let sect = &body[body.rfind("<w:sectPr").unwrap()..];
    assert!(
        sect.contains("<w:bidi/>"),
        "the section is not right to left"
    );
    assert!(
        body.contains("<w:bidiVisual/>"),
        "tables are not right to left"
    );
    assert!(
        body.contains(r#"<w:rFonts w:cs="Noto Naskh Arabic"/><w:rtl/></w:rPr><w:t xml:space="preserve">إغلاق سلسلة الميكروويف في حلقة</w:t>"#),
        "the Arabic title run is not a right-to-left run with an Arabic font"
    );
    // Latin runs stay left to right.
    let why = body.find(">Why it matters<").unwrap();
    let run = &body[body[..why].rfind("<w:r>").unwrap()..why];
    assert!(
        !run.contains("<w:rtl/>"),
        "a Latin run is marked right to left: {run}"
    );
    for (name, part) in &parts {
        if name.ends_with(".xml") {
            assert_xml(name, part);
        }
    }
    if !have(&["soffice", "pdftotext"]) {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let pdf = libreoffice_pdf(&docx, out.path());
    assert!(
        runs_right_to_left(&pdf),
        "LibreOffice lays the DOCX out left to right"
    );
}

#[test]
fn text_no_font_can_display_is_one_located_error_per_field_before_any_pdf() {
    let tmp = fixture(None);
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "title: {en: Payments went digital,",
        "title: {en: Payments went digital 数字 数,",
    );
    let o = deca(tmp.path(), &["check", "demo", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    let line = "demo/findings.yaml:20:39: error: no font can display the Han characters in `title` of finding 2 (`payments`) (`en`): 数 (U+6570), 字 (U+5B57) (hint: CJK fonts are not bundled (about 20 MB a weight): install one (Debian: `apt install fonts-noto-cjk`) and pass its folder with `--font-path /usr/share/fonts/opentype/noto` (or DECA_FONT_PATH), or copy the font file into the assessment's templates/fonts/ folder)\n";
    assert_eq!(stderr(&o), line);
    assert_eq!(stdout(&o), "demo: invalid: 1 error\n");

    let o = deca(tmp.path(), &["build", "demo", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    assert!(
        err.contains("error: no font can display the Han characters in `title` of finding 2 (`payments`) (`en`): 数 (U+6570), 字 (U+5B57)\n   --> demo/findings.yaml:20:39"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists(), "the build wrote output");
}

#[test]
fn without_pdf_standards_a_missing_glyph_is_a_located_warning() {
    let tmp = fixture(None);
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "title: {en: Payments went digital,",
        "title: {en: Payments went digital \u{E000},",
    );
    let o = deca(
        tmp.path(),
        &[
            "build",
            "demo",
            "--out",
            "out",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--pdf-standard",
            "none",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: no font can display the unassigned or private-use characters in `title` of finding 2 (`payments`) (`en`): \u{E000} (U+E000); they print as empty boxes\n   --> demo/findings.yaml:20:39"),
        "{err}"
    );
    assert!(tmp.path().join("out/demo/en/overview.pdf").is_file());
}

#[test]
fn a_font_path_makes_cjk_text_valid_for_check_and_build() {
    if !have_cjk_fonts() {
        return;
    }
    let tmp = fixture(None);
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "title: {en: Payments went digital,",
        "title: {en: Payments went digital 数字,",
    );
    let o = deca(tmp.path(), &["check", "demo", "--font-path", CJK_FONTS]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = bin()
        .env("DECA_FONT_PATH", CJK_FONTS)
        .current_dir(tmp.path())
        .args([
            "build", "demo", "--out", "out", "--kind", "overview", "--lang", "en",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_missing_font_folder_is_a_usage_error() {
    let tmp = fixture(None);
    let o = deca(
        tmp.path(),
        &["build", "demo", "--font-path", "no-such-fonts"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: font folder `no-such-fonts` does not exist\n = hint: give `--font-path` a folder holding .ttf, .otf or .ttc files, e.g. /usr/share/fonts/opentype/noto\n\n"
    );
}
