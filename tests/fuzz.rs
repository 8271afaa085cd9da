//! Fuzzing on stable Rust, as property tests (proptest): the YAML loader, the rich-text parser
//! and the reference-document reader never panic on any input, and any text in a data field
//! comes out of the DOCX and the PDF as itself (less what XML cannot carry).
//!
//! A short budget runs with `cargo test`. For a longer run:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use deca::diag::SourceFile;
use deca::source::FileKind;
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// YAML-looking text: keys, indentation, flow collections, anchors, quotes and escapes.
fn yamlish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "findings:",
        "- id: a",
        "  number: 1",
        "title:",
        " ",
        "  ",
        "\n",
        "- ",
        ": ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: *a",
        "!!str ",
        "!tag ",
        "'",
        "\"",
        "\\u00e9",
        "\\x07",
        "#",
        "|",
        ">-",
        "~",
        "null",
        "yes",
        "NO",
        "0777",
        "1.10",
        "-.inf",
        "é",
        "😀",
        "\t",
        "---",
        "...",
        "? ",
        "%YAML 1.2",
        "en:",
        "es:",
    ]);
    prop::collection::vec(
        prop_oneof![atoms.prop_map(str::to_string), "\\PC{0,8}"],
        0..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn the_yaml_loader_never_panics(text in yamlish()) {
        let file = SourceFile::new("fuzz.yaml", text);
        if let Ok(tree) = deca::source::parse_tree(&file) {
            for kind in FileKind::ALL {
                let _ = deca::model::check_structure(&file, kind, tree.as_ref());
            }
        }
        let _ = deca::source::load_typed::<deca::model::raw::FindingsFile>(&file);
    }

    #[test]
    fn the_rich_text_parser_never_panics(text in "\\PC{0,200}") {
        let r = deca::model::rich::parse(&text);
        let _ = deca::model::rich::citations(&r.blocks);
    }

    #[test]
    fn plain_words_come_through_rich_text_unchanged(words in prop::collection::vec("[A-Za-zÀ-ÿ]{1,12}", 1..30)) {
        let text = words.join(" ");
        let r = deca::model::rich::parse(&text);
        prop_assert_eq!(
            r.blocks,
            vec![deca::model::rich::Block::Paragraph { content: vec![deca::model::rich::Inline::text(text)] }]
        );
    }

    #[test]
    fn the_reference_reader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = deca::render::docx::reference::read(&bytes, "fuzz", false);
    }

    #[test]
    fn the_reference_reader_never_panics_on_damaged_documents(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)) {
        let mut bytes = deca::templates::REFERENCE_DOCX.to_vec();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = deca::render::docx::reference::read(&bytes, "fuzz", false);
    }
}

/// What a text becomes in a document: without the characters XML cannot carry, with white
/// space folded (a line break in data is a space in a title).
fn sanitised(s: &str) -> String {
    deca::model::text::sanitize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Undoes the typographic setting deca applies to prose (quotes, apostrophes, ellipses,
/// no-break spaces), so output compares with the text as written.
fn untypeset(s: &str) -> String {
    s.replace(['“', '”'], "\"")
        .replace(['‘', '’'], "'")
        .replace('…', "...")
        .replace('\u{a0}', " ")
}

struct Rig {
    dir: tempfile::TempDir,
    typst: Arc<deca::render::typst::Typst>,
    reference: deca::render::docx::Reference,
}

const CREATED: &str = "2024-03-15T00:00:00Z";

fn session(assets: &std::collections::BTreeMap<String, Vec<u8>>) -> deca::render::typst::Session {
    deca::render::typst::Session::new(
        deca::templates::TemplateSet::builtin(),
        assets.clone(),
        deca::render::typst::Moment {
            year: 2024,
            month: 3,
            day: 15,
            hour: 0,
            minute: 0,
            second: 0,
        },
        vec!["ua-1".into(), "a-2a".into()],
    )
}

fn rig() -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        std::fs::create_dir_all(dir.path().join("demo")).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join("demo").join(e.file_name())).unwrap();
        }
        Rig {
            dir,
            typst: Arc::new(deca::render::typst::Typst::in_process(Duration::from_secs(
                60,
            ))),
            reference: deca::render::docx::builtin_reference(),
        }
    })
}

/// Any text (scripts written left to right, symbols, emoji, controls, markup characters) in a
/// title comes out in the DOCX and the PDF as its sanitised self.
fn text_roundtrip(text: &str) -> Result<(), TestCaseError> {
    let rig = rig();
    let case = tempfile::tempdir_in(rig.dir.path()).unwrap();
    let demo = case.path().join("demo");
    std::fs::create_dir_all(&demo).unwrap();
    for e in std::fs::read_dir(rig.dir.path().join("demo")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), demo.join(e.file_name())).unwrap();
    }
    let title = yaml_quoted(text);
    let recs = std::fs::read_to_string(demo.join("recommendations.yaml")).unwrap();
    let recs = recs.replacen(
        "    title: {en: Connect the villages, es: Conectar las aldeas}",
        &format!("    title: {title}"),
        1,
    );
    std::fs::write(demo.join("recommendations.yaml"), recs).unwrap();

    let loaded = deca::model::load(&demo, Path::new("demo"));
    let Some(a) = loaded.assessment else {
        // Only an empty title may be refused.
        prop_assert!(
            text.trim().is_empty() || sanitised(text).is_empty(),
            "refused {text:?}: {:?}",
            loaded.diagnostics
        );
        return Ok(());
    };
    let templates = deca::templates::TemplateSet::builtin();
    let (locale, _) = deca::i18n::Locale::load(&templates, "en").unwrap();
    let ctx = deca::plan::Ctx {
        a: &a,
        locale: &locale,
        paper: deca::edition::Paper::A4,
    };
    let doc = deca::plan::document(
        &ctx,
        &deca::plan::Target {
            kind: deca::edition::Kind::Onepager,
            item: Some("village-access".into()),
        },
    );
    let want = sanitised(text);

    let session = Arc::new(session(&a.assets));
    let raster = deca::render::typst::TypstRaster {
        typst: rig.typst.clone(),
        session: session.clone(),
        cache: Arc::new(deca::render::typst::RasterCache::new()),
    };
    let docx = deca::render::docx::render(&doc, &raster, &rig.reference, None, CREATED)
        .map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
    let parts = zip_parts(&docx);
    let xml = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    let title_para = xml
        .split("<w:pStyle w:val=\"Title\" />")
        .nth(1)
        .or_else(|| xml.split("<w:pStyle w:val=\"Title\"/>").nth(1))
        .unwrap();
    // From the first run to the end of the paragraph: a well-formed run of elements.
    let title_para =
        &title_para[title_para.find("<w:r").unwrap_or(0)..title_para.find("</w:p>").unwrap()];
    let mut got = String::new();
    let mut reader = quick_xml::Reader::from_str(title_para);
    let mut in_t = false;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"w:t" => in_t = true,
            Ok(quick_xml::events::Event::End(e)) if e.name().as_ref() == b"w:t" => in_t = false,
            Ok(quick_xml::events::Event::Text(t)) if in_t => got.push_str(&t.unescape().unwrap()),
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    prop_assert_eq!(
        untypeset(&got)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        want.clone(),
        "DOCX title of {:?}",
        text
    );

    let compiled = deca::render::typst::compile_here(
        &session,
        &deca::render::typst::main_template(doc.kind),
        &serde_json::to_vec(&doc).unwrap(),
        None,
    )
    .map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
    // Text runs split where fonts change (a combining mark, an emoji); compare without spaces.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let pdf_text = squash(&untypeset(
        &deca::render::typst::page_texts(&compiled).join(""),
    ));
    prop_assert!(
        pdf_text.contains(&squash(&want)),
        "the PDF text lacks {want:?} (from {text:?})"
    );
    Ok(())
}

/// A YAML double-quoted scalar for any text: characters YAML may not hold raw are escaped.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{20}'..='\u{7E}'
            | '\u{A0}'..='\u{D7FF}'
            | '\u{E000}'..='\u{FFFD}'
            | '\u{10000}'.. => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out.push('"');
    out
}

fn zip_parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

/// Characters from many scripts and classes, but no right-to-left scripts: the PDF's text
/// runs are in visual order, so a right-to-left run would read reversed.
fn any_text() -> impl Strategy<Value = String> {
    let classes = prop_oneof![
        "[a-zA-Z0-9 ]{1,6}",
        "[À-ɏ]{1,4}",
        "[Α-ω]{1,4}",
        "[А-я]{1,4}",
        "[一-龥]{1,3}",
        "[#$\\[\\]*_`<>\\\\{}()/@&%!~^|=+\"']{1,4}",
        "[\\u{1F600}-\\u{1F64F}]{1,2}",
        "[\\u{0}-\\u{1F}\\u{7F}]{1,2}",
        "[\\u{300}-\\u{36F}]{1}",
        Just("<!-- x -->".to_string()),
        Just("#read(\"/etc/passwd\")".to_string()),
        Just("$x$".to_string()),
    ];
    prop::collection::vec(classes, 1..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(24), ..ProptestConfig::default() })]

    #[test]
    fn any_text_comes_out_as_its_sanitised_self(text in any_text()) {
        text_roundtrip(&text)?;
    }
}
