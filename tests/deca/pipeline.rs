//! The build pipeline: the manifest and checksums, identical reruns, tailored selections,
//! progress and JSON events, stale files, failures that change nothing, and the smaller
//! commands (templates, completions, man, watch).

use std::io::{BufRead, BufReader};
use std::time::Duration;

use crate::common::*;

#[test]
fn the_manifest_lists_every_file_with_its_hash_and_sha256sums_checks() {
    let out = peru_build();
    let m = manifest(out);
    assert_eq!(m["deca-version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["typst-version"], "0.15.1");
    assert_eq!(m["inputs-sha256"].as_str().unwrap().len(), 64);
    let listed: Vec<String> = m["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    let mut on_disk: Vec<String> = files_under(out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| p != "manifest.json" && p != "SHA256SUMS")
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk);
    for a in m["artifacts"].as_array().unwrap() {
        let bytes = std::fs::read(out.join(a["path"].as_str().unwrap())).unwrap();
        assert_eq!(a["bytes"], bytes.len() as u64);
        assert_eq!(a["sha256"], deca::hash::sha256_hex(&bytes));
        for key in ["kind", "lang", "format", "assessment", "standards"] {
            assert!(!a[key].is_null(), "{key} missing in {a}");
        }
        match a["kind"].as_str().unwrap() {
            "brief" => assert!(a["priority"].is_string()),
            "onepager" => assert!(a["recommendation"].is_string()),
            _ => {}
        }
        if a["format"] == "pdf" {
            assert_eq!(a["standards"], serde_json::json!(["PDF/UA-1", "PDF/A-2a"]));
        }
    }
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), listed.len());
    if have(&["sha256sum"]) {
        let o = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn a_second_run_gives_identical_hashes() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &["build", "demo", "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0));
    let first = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let manifest1 = std::fs::read(out.join("manifest.json")).unwrap();
    let o = run(
        tmp.path(),
        &["build", "demo", "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        first,
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap()
    );
    assert_eq!(manifest1, std::fs::read(out.join("manifest.json")).unwrap());
}

#[test]
fn a_tailored_brief_builds_only_that_brief() {
    let tmp = peru();
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &[
            "build",
            "peru",
            "--priority",
            "integrity",
            "--lang",
            "es",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<String> = files_under(&out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        files,
        vec![
            "SHA256SUMS",
            "manifest.json",
            "peru/es/brief-integrity.docx",
            "peru/es/brief-integrity.pdf"
        ]
    );
}

#[test]
fn an_unknown_id_in_a_selection_is_a_usage_error_with_a_suggestion() {
    let tmp = fixture(None);
    let o = run(
        tmp.path(),
        &["build", "demo", "--priority", "integrty", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "error: unknown priority `integrty` for --priority\n = hint: did you mean `integrity`?"
        ),
        "{}",
        stderr(&o)
    );
    let o = run(
        tmp.path(),
        &["build", "demo", "--lang", "fr", "--out", "out"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn json_events_describe_the_run() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &[
            "build",
            "demo",
            "--kind",
            "overview",
            "--json",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let events: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.first().unwrap()["event"], "start");
    assert_eq!(events.first().unwrap()["documents"], 4);
    let artifacts: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["event"] == "artifact").collect();
    assert_eq!(artifacts.len(), 4);
    for a in &artifacts {
        assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
        assert!(a["path"].as_str().unwrap().starts_with("demo/"));
    }
    let warnings = events.iter().filter(|e| e["event"] == "warning").count();
    assert!(
        warnings >= 6,
        "the Spanish fallbacks are warnings: {warnings}"
    );
    let last = events.last().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["ok"], true);
    assert_eq!(last["documents"], 4);
    // Errors carry their location.
    let tmp = fixture(Some("numbering"));
    let o = run(tmp.path(), &["build", "demo", "--json", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let events: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let e = events.iter().find(|e| e["event"] == "error").unwrap();
    assert_eq!(e["file"], "demo/findings.yaml");
    assert_eq!(e["line"], 18);
    assert_eq!(events.last().unwrap()["ok"], false);
}

#[test]
fn progress_is_plain_lines_off_a_terminal_and_nothing_when_quiet() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &[
            "build",
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let err = stderr(&o);
    assert!(err.starts_with("building 2 documents\n"), "{err}");
    assert!(err.contains("built demo/en/overview.pdf\n"), "{err}");
    assert!(err.contains("built 2 documents in "), "{err}");
    assert!(!err.contains('\u{1b}'), "NO_COLOR is set: no escape codes");
    let o = run(
        tmp.path(),
        &[
            "build",
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(stderr(&o), "");
    assert_eq!(stdout(&o), "");
}

#[test]
fn stale_files_are_removed_and_other_files_are_left_alone() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &["build", "demo", "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = run(
        tmp.path(),
        &[
            "build",
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--clean",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let files: Vec<String> = files_under(&out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        files,
        vec![
            "SHA256SUMS",
            "demo/en/overview.docx",
            "demo/en/overview.pdf",
            "manifest.json",
            "notes.txt"
        ]
    );
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_and_manifest() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = run(
        tmp.path(),
        &["build", "demo", "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(0));
    let before = snapshot(&out);
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "    number: 2",
        "    number: 5",
    );
    let o = run(
        tmp.path(),
        &["build", "demo", "--out", out.to_str().unwrap(), "-q"],
    );
    assert_eq!(o.status.code(), Some(1));
    let after = snapshot(&out);
    assert!(before == after);
}

#[test]
fn every_error_of_a_run_is_reported() {
    let tmp = fixture(None);
    lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, 120);
    lengthen_rationale(tmp.path(), PAYMENT_RATIONALE, 120);
    let o = run(
        tmp.path(),
        &[
            "build", "demo", "--kind", "onepager", "--lang", "en", "--out", "out",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("recommendation `village-access` (en) does not fit"),
        "{err}"
    );
    assert!(
        err.contains("recommendation `payment-rails` (en) does not fit"),
        "{err}"
    );
}

#[test]
fn templates_list_and_export() {
    let tmp = fixture(None);
    let custom = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&custom).unwrap();
    std::fs::write(custom.join("brief.typ"), "// mine\n").unwrap();
    let o = run(tmp.path(), &["templates", "list", "demo"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("  typst/brief.typ         assessment: demo/templates/typst/brief.typ\n"),
        "{out}"
    );
    assert!(
        out.contains("  typst/report.typ        built-in\n"),
        "{out}"
    );
    let o = run(tmp.path(), &["templates", "export", "exported"]);
    assert_eq!(o.status.code(), Some(0));
    for f in [
        "typst/report.typ",
        "typst/common/theme.typ",
        "locales/es.yaml",
        "docx/reference.docx",
    ] {
        assert!(tmp.path().join("exported").join(f).exists(), "{f}");
    }
    // Exported templates build the same documents as the built-ins.
    let a = run(
        tmp.path(),
        &[
            "build", "demo", "--kind", "overview", "--lang", "en", "--out", "a", "-q",
        ],
    );
    let b = run(
        tmp.path(),
        &[
            "build",
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--templates",
            "exported",
            "--out",
            "b",
            "-q",
        ],
    );
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(
        std::fs::read(tmp.path().join("a/demo/en/overview.pdf")).unwrap(),
        std::fs::read(tmp.path().join("b/demo/en/overview.pdf")).unwrap()
    );
}

#[test]
fn watch_rebuilds_only_what_a_template_change_affects() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let mut child = bin()
        .current_dir(tmp.path())
        .args(["watch", "demo", "--out", out.to_str().unwrap(), "--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let seen = std::cell::RefCell::new(Vec::new());
    // Generous: the rest of the suite builds in parallel on few cores.
    let wait_for = |prefix: &str| -> String {
        loop {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(line) => seen.borrow_mut().push(line),
                Err(_) => panic!(
                    "watch printed no {prefix:?} line in 120 s; it printed {:?}",
                    seen.borrow()
                ),
            }
        }
    };
    let first = wait_for("rebuilt ");
    assert!(first.starts_with("rebuilt 20 documents"), "{first}");
    let report_before = std::fs::read(out.join("demo/en/report.pdf")).unwrap();
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    let overview = String::from_utf8(
        deca::templates::TemplateSet::builtin()
            .get("typst/overview.typ")
            .unwrap()
            .bytes
            .to_vec(),
    )
    .unwrap();
    std::fs::write(
        dir.join("overview.typ"),
        overview.replace(
            "#blocks(doc.blocks)",
            "#blocks(doc.blocks)\n#text(size: 6pt)[changed]",
        ),
    )
    .unwrap();
    let changed = wait_for("changed: ");
    assert!(changed.contains("overview.typ"), "{changed}");
    let rebuilt = wait_for("rebuilt ");
    assert!(
        rebuilt.starts_with("rebuilt 4 documents"),
        "only the overviews: {rebuilt}"
    );
    let _ = child.kill();
    let _ = child.wait();
    // The report was kept, and the manifest still lists everything.
    assert_eq!(
        std::fs::read(out.join("demo/en/report.pdf")).unwrap(),
        report_before
    );
    assert_eq!(manifest(&out)["artifacts"].as_array().unwrap().len(), 20);
}
