//! deca.toml and its profiles (issue 15, item 3): `--profile lima` builds exactly the Lima
//! edition, flags override the file, the file is found from a subfolder, `deca check` reports
//! its problems at their place, and `deca schema` covers it.

use std::path::Path;

use crate::support::*;

/// A project like a mission's: the Peru data under `data/`, the Lima letterhead, and
/// tests/fixtures/projects/<case>/deca.toml at the top.
fn project(case: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("data/peru"));
    let letterheads = tmp.path().join("letterheads");
    std::fs::create_dir_all(&letterheads).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/reference/letterhead.docx"),
        letterheads.join("lima.docx"),
    )
    .unwrap();
    std::fs::copy(
        root()
            .join("tests/fixtures/projects")
            .join(case)
            .join("deca.toml"),
        tmp.path().join("deca.toml"),
    )
    .unwrap();
    tmp
}

/// Every file under a folder, relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn profile_lima_builds_exactly_the_lima_edition() {
    let tmp = project("lima");
    let o = run(tmp.path(), &["build", "--profile", "lima"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Only the profile's out folder was written, and it holds one document.
    assert_eq!(
        files(&tmp.path().join("output")),
        [
            "lima/SHA256SUMS",
            "lima/manifest.json",
            "lima/peru/es/brief-integrity.docx"
        ]
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("output/lima/manifest.json")).unwrap(),
    )
    .unwrap();
    let artifacts = manifest["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 1);
    let a = &artifacts[0];
    assert_eq!(
        (
            a["kind"].as_str(),
            a["lang"].as_str(),
            a["format"].as_str(),
            a["priority"].as_str()
        ),
        (Some("brief"), Some("es"), Some("docx"), Some("integrity"))
    );
    // On the Lima letterhead: the reference document's header, placeholders filled.
    let parts = zip_parts(
        &std::fs::read(tmp.path().join("output/lima/peru/es/brief-integrity.docx")).unwrap(),
    );
    let header = String::from_utf8_lossy(&parts["word/header1.xml"]).into_owned();
    assert!(
        header.contains("Mission to Perú — Nota informativa: Integridad pública"),
        "{header}"
    );
}

#[test]
fn flags_override_the_profile_and_the_file_is_found_from_a_subfolder() {
    let tmp = project("lima");
    let sub = tmp.path().join("data/peru");
    let o = run(
        &sub,
        &[
            "build",
            "--profile",
            "lima",
            "--format",
            "pdf",
            "--out",
            "mine",
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // --out is relative to where deca runs; the profile's other settings still apply.
    assert_eq!(
        files(&sub.join("mine")),
        ["SHA256SUMS", "manifest.json", "peru/es/brief-integrity.pdf"]
    );
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn without_a_profile_the_top_level_applies() {
    let tmp = project("lima");
    let o = run(
        tmp.path(),
        &[
            "build", "--kind", "overview", "--lang", "en", "--format", "pdf", "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        files(&tmp.path().join("output")),
        ["SHA256SUMS", "manifest.json", "peru/en/overview.pdf"]
    );
}

#[test]
fn an_unknown_profile_is_a_usage_error_with_a_suggestion() {
    let tmp = project("lima");
    let o = run(tmp.path(), &["build", "--profile", "lma"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: unknown profile `lma`\n = hint: did you mean `lima`?\n\n"
    );
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn a_profile_without_a_project_file_says_what_is_missing() {
    let tmp = fixture(None);
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--profile")
        .arg("lima")
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --profile lima needs a project file, and no deca.toml was found here or in a parent folder\n = hint: create deca.toml with a `[profile.lima]` table; the README's \"Save an edition as a profile\" shows one\n\n"
    );
}

#[test]
fn check_validates_the_project_file_with_located_errors() {
    let tmp = project("invalid");
    let o = run(tmp.path(), &["check", "--format", "short"]);
    let got = format!(
        "exit: {}\n--- stderr\n{}--- stdout\n{}",
        o.status.code().unwrap_or(-1),
        stderr(&o),
        stdout(&o)
    );
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/projects/invalid/expected.txt"))
            .unwrap();
    assert_eq!(got, expected);
    // A build refuses the same file before doing anything.
    let o = run(tmp.path(), &["build", "--profile", "lima"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: unknown paper `a5`\n  --> deca.toml:2:9\n"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn a_misspelt_key_is_located_and_a_valid_file_is_summarised() {
    let tmp = project("lima");
    let o = run(tmp.path(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "deca.toml: ok: 1 profile (lima)\ndata/peru: ok: 8 findings, 10 recommendations, 3 priorities, 8 indicators, 41 sources\n"
    );
    edit(&tmp.path().join("deca.toml"), "lang = ", "langs = ");
    let o = run(tmp.path(), &["check", "--format", "short"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "deca.toml:8:1: error: invalid project file: unknown field `langs`, expected one of `description`, `data`, `out`, `paper`, `kind`, `format`, `lang`, `priority`, `recommendation`, `templates`, `reference-docx`, `pdf-standard`, `timeout`, `strict`, `profile` (hint: deca.toml takes the keys of `deca schema --out DIR`'s deca.schema.json; see the README's profile section)\n"
    );
}

#[test]
fn schema_covers_the_project_file() {
    let tmp = project("lima");
    let o = run(tmp.path(), &["schema", "--out", "schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("schema/deca.schema.json\n"),
        "{}",
        stdout(&o)
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("schema/deca.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let as_json = |text: &str| -> serde_json::Value {
        serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
    };
    let good = std::fs::read_to_string(tmp.path().join("deca.toml")).unwrap();
    assert!(validator.is_valid(&as_json(&good)));
    let bad = good.replace("lang = ", "langs = ");
    assert!(!validator.is_valid(&as_json(&bad)));
    let bad = good.replace("out = \"output/lima\"", "out = 3");
    assert!(!validator.is_valid(&as_json(&bad)));
}
