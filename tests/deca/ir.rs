//! The document model as templates see it: every planned document of the bundled assessment,
//! in both languages and on both papers, is valid against the schema `deca schema --ir`
//! prints, and the model makes the page decisions a reader sees.

use std::path::Path;

use deca::edition::{Kind, Paper};
use deca::ir::{Block, Document};

use crate::support::*;

/// Every document of an assessment, planned in every language on a paper.
pub fn planned(dir: &Path, paper: Paper) -> Vec<Document> {
    let loaded = deca::model::load(dir, Path::new("peru"));
    let a = loaded.assessment.expect("the assessment loads");
    let templates = deca::templates::TemplateSet::builtin();
    let mut out = Vec::new();
    for lang in a.languages() {
        let (locale, _) = deca::i18n::Locale::load(&templates, lang).unwrap();
        let ctx = deca::plan::Ctx {
            a: &a,
            locale: &locale,
            paper,
        };
        for t in deca::plan::targets(&a) {
            out.push(deca::plan::document(&ctx, &t));
        }
    }
    out
}

#[test]
fn every_planned_document_matches_the_ir_schema() {
    let schema = deca::ir::schema();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for paper in [Paper::A4, Paper::Letter] {
        for doc in planned(&root().join("data/peru"), paper) {
            let json = serde_json::to_value(&doc).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&json)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{} ({}): {errors:?}", doc.name, doc.lang);
        }
    }
    let o = run(&root(), &["schema", "--ir"]);
    assert_eq!(o.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(printed, schema);
}

/// PDF/UA and screen readers rely on an unbroken heading outline; Typst's UA-1 check lets a
/// skipped level through, so the model is held to it here, on both assessments.
#[test]
fn headings_start_at_level_one_and_never_skip_a_level() {
    for dir in ["data/peru", "tests/fixtures/marenland"] {
        for doc in planned(&root().join(dir), Paper::A4) {
            let mut prev = 0u8;
            for (level, text) in doc.headings() {
                assert!(
                    level >= 1 && level <= prev + 1,
                    "{dir} {} ({}): heading \"{text}\" is level {level} after level {prev}",
                    doc.name,
                    doc.lang
                );
                prev = level;
            }
        }
    }
}

#[test]
fn the_model_owns_the_page_geometry() {
    for (paper, width) in [(Paper::A4, 210.0), (Paper::Letter, 215.9)] {
        for doc in planned(&root().join("data/peru"), paper) {
            let p = &doc.page;
            assert_eq!(p.width, width);
            let used = p.margin.left + p.text_width + p.wide + p.margin.right;
            assert!(
                (used - p.width).abs() < 0.01,
                "{}: {used} of {}",
                doc.name,
                p.width
            );
            match doc.kind {
                // A readable measure, with room beside it for figures.
                Kind::Report | Kind::Brief => {
                    assert!(p.text_width < 125.0 && p.wide > 30.0, "{}", doc.name);
                }
                Kind::Onepager | Kind::Overview => assert_eq!(p.wide, 0.0),
            }
            // Briefs, one-pagers and the overview open with a title band, the report with a cover.
            assert_eq!(doc.front.cover, doc.kind == Kind::Report);
            // One-page documents carry no running header; the report's names its chapter.
            assert_eq!(p.header.visible, !doc.kind.is_one_page());
            assert_eq!(p.header.chapter, doc.kind == Kind::Report);
        }
    }
}

#[test]
fn every_figure_sits_in_the_finding_that_cites_it_and_is_referred_to() {
    let docs = planned(&root().join("data/peru"), Paper::A4);
    let report = docs
        .iter()
        .find(|d| d.kind == Kind::Report && d.lang == "en")
        .unwrap();
    // Walk the report: the current finding's anchor, and each figure's place.
    let mut finding = None;
    let mut placed = Vec::new();
    deca::ir::visit(&report.blocks, &mut |b| match b {
        Block::Heading {
            level: 2,
            anchor: Some(a),
            ..
        } if a.starts_with("finding-") => finding = Some(a.clone()),
        Block::Heading { level: 1, .. } => finding = None,
        Block::Figure(f) => placed.push((f.anchor.clone(), f.label.clone(), finding.clone())),
        Block::FigureRow { figures } => {
            for f in figures {
                placed.push((f.anchor.clone(), f.label.clone(), finding.clone()));
            }
        }
        _ => {}
    });
    let a = deca::model::load(&root().join("data/peru"), Path::new("peru"))
        .assessment
        .unwrap();
    assert_eq!(placed.len(), a.indicators.len(), "{placed:?}");
    for (n, (anchor, label, in_finding)) in placed.iter().enumerate() {
        assert_eq!(
            label,
            &format!("Figure {}", n + 1),
            "figures are numbered in reading order"
        );
        let id = anchor.strip_prefix("figure-").unwrap();
        let owner = a
            .findings
            .iter()
            .find(|f| f.indicators.iter().any(|i| i.value == id))
            .unwrap();
        assert_eq!(
            in_finding.as_deref(),
            Some(format!("finding-{}", owner.id.value).as_str())
        );
    }
}
