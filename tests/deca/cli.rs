//! The command line's small promises (issue 15, item 5): `--version` names Typst, a man page
//! per command whose references resolve, completion of ids and languages, plural-correct
//! messages, an assessment named by its folder, and suggestions that can be followed.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::*;

#[test]
fn version_names_the_typst_it_embeds() {
    let o = run(&root(), &["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        format!("deca {} (typst 0.15.1)\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The page names a roff file refers to: `deca\-check(1)` in SUBCOMMANDS and
/// `.BR deca\-check (1)` in SEE ALSO.
fn references(roff: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in roff.lines() {
        let line = line.trim_start_matches(".BR ").replace("\\-", "-");
        let Some(name) = line.split('(').next() else {
            continue;
        };
        let name = name.trim();
        if name.starts_with("deca") && line.contains("(1)") && !name.contains(' ') {
            out.insert(format!("{name}.1"));
        }
    }
    out
}

#[test]
fn man_writes_a_page_per_command_and_every_reference_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run(tmp.path(), &["man", "pages"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: BTreeSet<String> = std::fs::read_dir(tmp.path().join("pages"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = [
        "deca.1",
        "deca-check.1",
        "deca-build.1",
        "deca-watch.1",
        "deca-preview.1",
        "deca-schema.1",
        "deca-templates.1",
        "deca-templates-list.1",
        "deca-templates-export.1",
        "deca-init.1",
        "deca-completions.1",
        "deca-man.1",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert!(
        expected.is_subset(&written),
        "missing: {:?}",
        expected.difference(&written).collect::<Vec<_>>()
    );
    assert_eq!(
        stdout(&o).lines().count(),
        written.len(),
        "one line per page written"
    );
    let mut referenced = BTreeSet::new();
    for page in &written {
        let roff = std::fs::read_to_string(tmp.path().join("pages").join(page)).unwrap();
        let refs = references(&roff);
        for r in &refs {
            assert!(
                written.contains(r),
                "{page} refers to {r}, which was not written"
            );
        }
        if page != "deca.1" {
            assert!(
                refs.contains("deca.1"),
                "{page} does not lead back to deca(1)"
            );
        }
        referenced.extend(refs);
    }
    // Every page but the top one is reachable from another page.
    let unreached: Vec<_> = written
        .iter()
        .filter(|p| *p != "deca.1" && !referenced.contains(*p))
        .collect();
    assert!(unreached.is_empty(), "{unreached:?}");
    // The pages are valid roff: groff reports no warnings.
    if have(&["groff"]) {
        for page in &written {
            let g = std::process::Command::new("groff")
                .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
                .arg(tmp.path().join("pages").join(page))
                .output()
                .unwrap();
            assert_eq!(stderr(&g), "", "{page}");
        }
    }
}

/// Asks deca for completions the way fish's registration script does.
fn complete(dir: &Path, line: &[&str]) -> Vec<String> {
    let o = bin()
        .current_dir(dir)
        .env("COMPLETE", "fish")
        .arg("--")
        .args(line)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_ids_and_languages_from_the_data() {
    // Completion reads `data/` by default, as `deca build` does.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("data/peru"));
    let dir = tmp.path();
    assert_eq!(
        complete(dir, &["deca", "build", "--priority", ""]),
        ["alternative-development", "integrity", "environment"]
    );
    assert_eq!(
        complete(dir, &["deca", "build", "--recommendation", "rural"]),
        ["rural-connectivity-models"]
    );
    assert_eq!(
        complete(dir, &["deca", "build", "--lang", ""]),
        ["en", "es"]
    );
    // Inside the assessment folder itself, the same ids.
    assert_eq!(
        complete(
            &dir.join("data/peru"),
            &["deca", "build", "--priority", "int"]
        ),
        ["integrity"]
    );
}

#[test]
fn completions_print_a_registration_script_for_each_shell() {
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_deca deca",
        ),
        ("zsh", "compdef _clap_dynamic_completer_deca deca"),
        ("fish", "complete --keep-order --exclusive --command deca"),
    ] {
        let o = run(&root(), &["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        assert!(script.contains("COMPLETE="), "{shell}: {script}");
        assert!(script.contains(marker), "{shell}: {script}");
    }
}

#[test]
fn one_document_is_one_document() {
    let tmp = fixture(None);
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .format("pdf")
        .ok();
    let err = stderr(&o);
    assert!(err.starts_with("building 1 document\n"), "{err}");
    assert!(err.contains("\nbuilt 1 document in "), "{err}");
    assert!(err.ends_with(" into output (0 warnings)\n"), "{err}");
}

#[test]
fn building_dot_inside_an_assessment_names_it_by_its_folder() {
    let tmp = fixture(None);
    let demo = tmp.path().join("demo");
    BuildCmd::new(&demo, ".")
        .kind("overview")
        .lang("en")
        .format("pdf")
        .ok();
    assert!(demo.join("output/demo/en/overview.pdf").is_file());
    let manifest = std::fs::read_to_string(demo.join("output/manifest.json")).unwrap();
    assert!(manifest.contains("\"assessment\": \"demo\""), "{manifest}");
}

#[test]
fn init_into_a_taken_folder_suggests_a_free_one() {
    let tmp = fixture(None);
    std::fs::create_dir_all(tmp.path().join("data/testland")).unwrap();
    std::fs::write(tmp.path().join("data/testland/x"), "").unwrap();
    let o = run(
        tmp.path(),
        &["init", "data/testland", "--country", "Testland"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: `data/testland` exists and is not empty\n = hint: choose a new folder, e.g. data/testland-2\n\n"
    );
    // The suggestion works as written.
    let o = run(
        tmp.path(),
        &["init", "data/testland-2", "--country", "Testland"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(tmp.path(), &["check", "data/testland-2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn templates_export_counts_kept_files_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let kept = tmp.path().join("t/docx/reference.docx");
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    std::fs::write(&kept, "mine").unwrap();
    let o = run(tmp.path(), &["templates", "export", "t"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "kept t/docx/reference.docx (exists; --force overwrites)\n1 file kept as it was\n"
    );
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "mine");
}

#[test]
fn check_annotates_for_github_actions() {
    let tmp = fixture(Some("unknown-field"));
    let o = run(tmp.path(), &["check", "demo", "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "::error file=demo/findings.yaml,line=5,col=5,endLine=5,endColumn=10,title=deca::unknown field `titel` in finding 1 (`rural-gap`)%0Ahint: did you mean `title`? it is required here; rename `titel` to `title`\n\
         demo: invalid: 1 error\n"
    );
    assert_eq!(stderr(&o), "");
}
