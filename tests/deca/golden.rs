//! Golden files: the document model of each kind, as the templates receive it, compared with
//! `tests/golden/<case>/ir.json` structurally (JSON values, not bytes), so a change to what a
//! document says or how it is composed shows up as a reviewable diff. `DECA_BLESS=1 cargo test
//! --test deca golden` rewrites the files; see tests/README.md.

use std::path::{Path, PathBuf};

use deca::edition::{Kind, Paper};
use serde_json::Value;

use crate::support::*;

/// Whether this run rewrites golden files instead of comparing with them.
pub fn blessing() -> bool {
    std::env::var("DECA_BLESS").is_ok_and(|v| v == "1")
}

/// The folder of a golden case.
pub fn case_dir(case: &str) -> PathBuf {
    root().join("tests/golden").join(case)
}

/// The first place two JSON values differ, as a path and both values.
fn first_difference(path: &str, want: &Value, got: &Value) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for k in a.keys().chain(b.keys()) {
                let here = format!("{path}.{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => {
                        if let Some(d) = first_difference(&here, x, y) {
                            return Some(d);
                        }
                    }
                    (x, y) => return Some(format!("{here}: expected {x:?}, got {y:?}")),
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if let Some(d) = first_difference(&format!("{path}[{i}]"), x, y) {
                    return Some(d);
                }
            }
            (a.len() != b.len())
                .then(|| format!("{path}: expected {} items, got {}", a.len(), b.len()))
        }
        _ => (want != got).then(|| format!("{path}: expected {want}, got {got}")),
    }
}

/// Compares a value with a golden JSON file, or writes it when blessing.
pub fn assert_golden_json(file: &Path, got: &Value) {
    if blessing() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, serde_json::to_string_pretty(got).unwrap() + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(file).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run `DECA_BLESS=1 cargo test --test deca golden` to write it",
            file.display()
        )
    });
    let want: Value = serde_json::from_str(&text).unwrap();
    if let Some(d) = first_difference("$", &want, got) {
        panic!(
            "{} differs at {d}\nreview the change, then run `DECA_BLESS=1 cargo test --test deca golden`",
            file.display()
        );
    }
}

/// The planned document of a kind, by its file stem and language.
fn planned(dir: &str, paper: Paper, lang: &str, name: &str) -> Value {
    let docs = crate::ir::planned(&root().join(dir), paper);
    let doc = docs
        .into_iter()
        .find(|d| d.lang == lang && d.name == name)
        .unwrap_or_else(|| panic!("no document {name} in {lang}"));
    serde_json::to_value(&doc).unwrap()
}

#[test]
fn every_kind_plans_the_document_its_golden_file_holds() {
    let cases = [
        ("peru-en-report", "data/peru", Paper::A4, "en", "report"),
        (
            "peru-es-brief-integrity",
            "data/peru",
            Paper::A4,
            "es",
            "brief-integrity",
        ),
        (
            "peru-en-onepager-rural-connectivity-models",
            "data/peru",
            Paper::A4,
            "en",
            "onepager-rural-connectivity-models",
        ),
        (
            "peru-en-overview-letter",
            "data/peru",
            Paper::Letter,
            "en",
            "overview",
        ),
        (
            "marenland-en-brief-inclusion",
            "tests/fixtures/marenland",
            Paper::A4,
            "en",
            "brief-inclusion",
        ),
    ];
    let mut kinds = Vec::new();
    for (case, dir, paper, lang, name) in cases {
        let got = planned(dir, paper, lang, name);
        kinds.push(got["kind"].as_str().unwrap().to_string());
        assert_golden_json(&case_dir(case).join("ir.json"), &got);
    }
    // Every kind has a golden case.
    for k in Kind::ALL {
        assert!(
            kinds.iter().any(|x| x == k.name()),
            "no golden case for {}",
            k.name()
        );
    }
}

#[test]
fn a_changed_document_is_reported_at_its_first_difference() {
    let want = serde_json::json!({"blocks": [{"type": "heading", "level": 1}, {"type": "toc"}]});
    let got = serde_json::json!({"blocks": [{"type": "heading", "level": 2}, {"type": "toc"}]});
    assert_eq!(
        first_difference("$", &want, &got).as_deref(),
        Some("$.blocks[0].level: expected 1, got 2")
    );
    assert_eq!(first_difference("$", &want, &want), None);
}
