//! `deca check`: the Peru data is valid; each kind of invalid input fails at the right place
//! with the exact message; limits hold; output formats.

use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn peru_is_valid_with_a_one_line_summary() {
    let o = run(&root(), &["check", "data/peru"]);
    assert_eq!(stderr(&o), "");
    assert_eq!(
        stdout(&o),
        "data/peru: ok: 8 findings, 10 recommendations, 3 priorities, 8 indicators, 41 sources\n"
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn the_default_folder_is_data() {
    let o = run(&root(), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("data/peru: ok: "), "{}", stdout(&o));
}

#[test]
fn the_base_fixture_is_valid() {
    let tmp = fixture(None);
    let o = run(tmp.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Every folder in tests/fixtures/invalid: the exact short-format output and exit code.
#[test]
fn each_invalid_case_reports_every_problem_exactly() {
    let dir = root().join("tests/fixtures/invalid");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = fixture(Some(case));
        let o = run(tmp.path(), &["check", "demo", "--format", "short"]);
        let got = format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            o.status.code().unwrap_or(-1),
            stderr(&o),
            stdout(&o)
        );
        let expected = std::fs::read_to_string(dir.join(case).join("expected.txt")).unwrap();
        if got != expected {
            failures.push(format!("== {case}\n-- expected\n{expected}\n-- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_human_format_shows_a_snippet_a_caret_and_a_hint() {
    let tmp = fixture(Some("unknown-field"));
    let o = run(tmp.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "error: unknown field `titel` in finding 1 (`rural-gap`)\n  --> demo/findings.yaml:5:5\n  |\n5 |     titel: {en: Villages lag behind cities, es: Las aldeas van detrás de las ciudades}\n  |     ^^^^^ unknown field\n  |\n  = hint: did you mean `title`? it is required here; rename `titel` to `title`\n"
        ),
        "{err}"
    );
}

#[test]
fn a_duplicate_key_names_both_lines() {
    let tmp = fixture(Some("duplicate-key"));
    let o = run(tmp.path(), &["check", "demo"]);
    let err = stderr(&o);
    assert!(
        err.contains("3 |     title: Public integrity\n  |     ----- first defined here"),
        "{err}"
    );
    assert!(
        err.contains("5 |     title: Integrity\n  |     ^^^^^ defined again here"),
        "{err}"
    );
}

#[test]
fn json_format_is_machine_readable() {
    let tmp = fixture(Some("numbering"));
    let o = run(tmp.path(), &["check", "demo", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "demo/findings.yaml");
    assert_eq!(d["line"], 18);
    assert_eq!(d["column"], 13);
    assert_eq!(
        d["message"],
        "finding number 3 is out of sequence: there are 2 findings"
    );
    assert_eq!(v["assessments"][0]["errors"], 2);
}

#[test]
fn yes_no_on_off_stay_strings() {
    let tmp = fixture(None);
    let p = tmp.path().join("demo/recommendations.yaml");
    edit(
        &p,
        "    timeframe: {en: Short term, es: Corto plazo}",
        "    timeframe: {en: yes, es: no}",
    );
    edit(
        &p,
        "      - {en: Ministry of Communications, es: Ministerio de Comunicaciones}",
        "      - {en: on, es: off}",
    );
    let o = run(tmp.path(), &["check", "demo"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_file_over_the_size_cap_is_rejected_before_parsing() {
    let tmp = fixture(None);
    let p = tmp.path().join("demo/sources.yaml");
    let mut big = std::fs::read_to_string(&p).unwrap();
    big.push_str(&format!("# {}\n", "x".repeat(3 * 1024 * 1024)));
    std::fs::write(&p, big).unwrap();
    let started = Instant::now();
    let o = run(tmp.path(), &["check", "demo", "--format", "short"]);
    assert!(
        // The guard, not the speed, is under test: a bomb that got through would run for
        // minutes or exhaust memory; 10 s leaves room for a loaded CI machine.
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(o.status.code(), Some(1));
    let len = std::fs::metadata(&p).unwrap().len();
    assert_eq!(
        stderr(&o),
        format!(
            "demo/sources.yaml: error: file is too large ({len} bytes; the limit is 2097152 bytes) (hint: split the content, or check that this is the right file)\n"
        )
    );
}

#[test]
fn deep_nesting_is_rejected_quickly() {
    let tmp = fixture(None);
    let p = tmp.path().join("demo/sources.yaml");
    let deep = format!("sources: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(&p, deep).unwrap();
    let started = Instant::now();
    let o = run(tmp.path(), &["check", "demo", "--format", "short"]);
    assert!(
        // The guard, not the speed, is under test: a bomb that got through would run for
        // minutes or exhaust memory; 10 s leaves room for a loaded CI machine.
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("demo/sources.yaml:1:"), "{err}");
    assert!(
        err.contains("error: YAML exceeds a safety limit on nesting depth"),
        "{err}"
    );
    assert!(err.contains("nesting is limited to 32 levels"), "{err}");
}

#[test]
fn an_alias_bomb_is_rejected_quickly() {
    let tmp = fixture(Some("alias-bomb"));
    let started = Instant::now();
    let o = run(tmp.path(), &["check", "demo"]);
    assert!(
        // The guard, not the speed, is under test: a bomb that got through would run for
        // minutes or exhaust memory; 10 s leaves room for a loaded CI machine.
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        stderr(&o).contains("YAML exceeds a safety limit on alias expansion"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let o = run(&root(), &["check", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: `no/such/folder` does not exist\n = hint: give an assessment folder (with assessment.yaml) or a folder of them\n\n"
    );
    let o = run(&root(), &["check", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&root(), &["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn translations_table_shows_completeness() {
    let o = run(&root(), &["check", "data/peru", "--translations"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("  en           377         377        0    100.0%\n"),
        "{out}"
    );
    assert!(
        out.contains("  es           377         377        0    100.0%\n"),
        "{out}"
    );
    let tmp = fixture(None);
    let o = run(tmp.path(), &["check", "demo", "--translations"]);
    assert!(
        stdout(&o).contains("  es            42          32       10     76.2%\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn strict_turns_missing_translations_into_errors() {
    let tmp = fixture(None);
    let o = run(
        tmp.path(),
        &["check", "demo", "--strict", "--format", "short"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("demo/assessment.yaml:1:10: error: `country` has no `es` translation; the `en` text is used (hint: add `es:` beside `en:` in this field)\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 10, "{err}");
}

#[test]
fn schemas_are_up_to_date_and_accept_the_data() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(&root(), &["schema", "--out", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    for kind in deca::source::FileKind::ALL {
        let name = kind.schema_file_name();
        let generated = std::fs::read_to_string(tmp.path().join(&name)).unwrap();
        let committed = std::fs::read_to_string(root().join("data/schema").join(&name)).unwrap();
        assert_eq!(
            generated, committed,
            "data/schema/{name} is stale: run `deca schema --out data/schema`"
        );
        let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

/// An independent validator (Python's jsonschema) accepts the bundled data.
#[test]
fn an_independent_validator_accepts_the_data() {
    let check = std::process::Command::new("python3")
        .args(["-c", "import jsonschema, yaml"])
        .output();
    if !check.is_ok_and(|o| o.status.success()) {
        if std::env::var("DECA_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
            panic!("python3 with jsonschema and yaml is required");
        }
        eprintln!("skipped: python3 jsonschema/yaml not installed");
        return;
    }
    let script = r#"
import json, sys, yaml, jsonschema, pathlib
root = pathlib.Path(sys.argv[1])
bad = 0
for f in sorted((root / "data/peru").glob("*.yaml")):
    schema = json.loads((root / "data/schema" / (f.stem + ".schema.json")).read_text())
    data = yaml.safe_load(f.read_text())
    v = jsonschema.Draft202012Validator(schema)
    for e in v.iter_errors(data):
        print(f.name, list(e.path), e.message); bad += 1
sys.exit(1 if bad else 0)
"#;
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn the_readme_documents_every_field() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("<!-- fields:start -->\n").unwrap() + "<!-- fields:start -->\n".len();
    let end = readme.find("<!-- fields:end -->").unwrap();
    assert_eq!(
        &readme[start..end],
        deca::model::schema::markdown(),
        "README's field reference is stale: regenerate it with `deca schema --markdown`"
    );
    // The README's first lines give the two commands.
    let head: Vec<&str> = readme.lines().take(6).collect();
    assert!(
        head.iter()
            .any(|l| l.starts_with("cargo run --release -- build")),
        "{head:?}"
    );
    assert!(head.iter().any(|l| l.starts_with("cargo test")), "{head:?}");
}

#[test]
fn init_scaffolds_an_assessment_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["init", "data/kenya", "--country", "Kenya"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read_to_string(tmp.path().join("data/kenya/findings.yaml")).unwrap();
    assert!(first.starts_with("# yaml-language-server: $schema=../schema/findings.schema.json\n"));
    assert!(tmp.path().join("data/schema/findings.schema.json").exists());
    assert!(tmp.path().join("data/kenya/README.md").exists());
    let o = run(tmp.path(), &["check", "data/kenya"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A second init into the same folder refuses.
    let o = run(tmp.path(), &["init", "data/kenya", "--country", "Kenya"]);
    assert_eq!(o.status.code(), Some(2));
}

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#002F6C"/></svg>"##;

/// A change to the base fixture, and whether `check` accepts it.
struct Case {
    name: &'static str,
    change: fn(&std::path::Path),
    passes_check: bool,
}

fn languages(demo: &std::path::Path, list: &str) {
    edit(
        &demo.join("assessment.yaml"),
        "languages: [en, es]",
        &format!("languages: {list}"),
    );
}

fn nested_list(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("        {}- level {}", "  ".repeat(i), i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

fn rationale(demo: &std::path::Path, text: &str) {
    edit(
        &demo.join("recommendations.yaml"),
        "      en: Closed wallets keep costs high.",
        &format!("      en: {text}"),
    );
}

fn logo(demo: &std::path::Path, path: &str) {
    std::fs::create_dir_all(demo.join("images")).unwrap();
    std::fs::write(demo.join("images/logo.svg"), LOGO).unwrap();
    std::fs::write(
        demo.join("theme.yaml"),
        format!("logo:\n  path: {path}\n  alt: Logo\n"),
    )
    .unwrap();
}

/// The data that used to pass `check` and then fail `build` (issue 10), and its neighbours on
/// either side of the line.
const CASES: &[Case] = &[
    Case {
        name: "French, Portuguese and Arabic editions",
        change: |d| languages(d, "[en, es, fr, pt, ar]"),
        passes_check: true,
    },
    Case {
        name: "a language with a region",
        change: |d| languages(d, "[en, es, es-MX]"),
        passes_check: true,
    },
    Case {
        name: "a language without labels",
        change: |d| languages(d, "[en, es, sw]"),
        passes_check: false,
    },
    Case {
        name: "a logo written ./images/logo.svg",
        change: |d| logo(d, "./images/logo.svg"),
        passes_check: true,
    },
    Case {
        name: "a logo written with backslashes",
        change: |d| logo(d, "images\\logo.svg"),
        passes_check: true,
    },
    Case {
        name: "an unquoted colour",
        change: |d| std::fs::write(d.join("theme.yaml"), "colors:\n  primary: #006400\n").unwrap(),
        passes_check: false,
    },
    Case {
        name: "a quoted colour",
        change: |d| {
            std::fs::write(d.join("theme.yaml"), "colors:\n  primary: \"#006400\"\n").unwrap();
        },
        passes_check: true,
    },
    Case {
        name: "URLs with &, quotes, # and accents",
        change: |d| {
            edit(
                &d.join("sources.yaml"),
                "url: https://bank.example.org/payments",
                "url: \"https://bank.example.org/pay?a=1&b=\\\"q\\\"#top\"",
            );
            rationale(
                d,
                "\"See [Perú](https://es.wikipedia.org/wiki/Perú?q=ñ&x=\\\"1\\\"#é).\"",
            );
        },
        passes_check: true,
    },
    Case {
        name: "a 500-character URL and a 300-character word",
        change: |d| {
            let url = format!("https://example.org/{}", "a".repeat(480));
            rationale(d, &format!("\"<{url}> {}\"", "Kwa".repeat(100)));
        },
        passes_check: true,
    },
    Case {
        name: "lists nested 3 levels",
        change: |d| rationale(d, &format!("|\n{}", nested_list(3))),
        passes_check: true,
    },
    Case {
        name: "lists nested 4 levels",
        change: |d| rationale(d, &format!("|\n{}", nested_list(4))),
        passes_check: false,
    },
    Case {
        name: "lists nested 30 levels",
        change: |d| rationale(d, &format!("|\n{}", nested_list(30))),
        passes_check: false,
    },
    Case {
        name: "formatting nested 6 levels",
        change: |d| rationale(d, "\"*a **b *c **d *e **f x** e* d** c* b** a*\""),
        passes_check: true,
    },
    Case {
        name: "formatting nested 7 levels",
        change: |d| rationale(d, "\"**a *b **c *d **e *f **g x** f* e** d* c** b* a**\""),
        passes_check: false,
    },
    Case {
        name: "entities and escapes",
        change: |d| rationale(d, "\"AT&amp;T &#233; \\\\*not bold\\\\* &nosuch; <b>\""),
        passes_check: true,
    },
];

/// Whatever `check` accepts, `build` builds: every case is checked, and each that passes is
/// built in every kind, language and format.
#[test]
fn every_case_that_passes_check_builds() {
    let mut failures = Vec::new();
    for case in CASES {
        let tmp = fixture(None);
        (case.change)(&tmp.path().join("demo"));
        let check = run(tmp.path(), &["check", "demo", "--format", "short"]);
        let passed = check.status.code() == Some(0);
        if passed != case.passes_check {
            failures.push(format!(
                "{}: check {} ({})",
                case.name,
                if passed { "passed" } else { "failed" },
                stderr(&check)
            ));
            continue;
        }
        if !passed {
            continue;
        }
        let build = BuildCmd::new(tmp.path(), "demo")
            .arg("--out")
            .arg("out")
            .run();
        if build.status.code() != Some(0) {
            failures.push(format!(
                "{}: check passed, build failed:\n{}",
                case.name,
                stderr(&build)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
