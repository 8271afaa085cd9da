//! A portfolio at scale and templates that misbehave: many assessments build, `--jobs` is
//! capped, a template that allocates without end is stopped, and shards merge into the build
//! a single machine would make.

use std::path::Path;

use crate::support::*;

/// A folder of `n` copies of the bundled Peru assessment, `c1` … `cN`.
fn portfolio(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for i in 1..=n {
        copy_dir(
            &root().join("data/peru"),
            &tmp.path().join("data").join(format!("c{i}")),
        );
    }
    tmp
}

fn artifacts(out: &Path) -> usize {
    manifest(out)["artifacts"].as_array().unwrap().len()
}

/// Issue 13: ten assessments crashed the build with a stack overflow (exit 134), 86 document
/// jobs nested on one thread's stack.
#[test]
fn ten_assessments_build_with_default_flags() {
    let tmp = portfolio(10);
    BuildCmd::new(tmp.path(), "data")
        .arg("--out")
        .arg("out")
        .ok();
    // 10 × 2 languages × 15 documents × 2 formats.
    assert_eq!(artifacts(&tmp.path().join("out")), 600);
}

/// Twenty crashed on any `--jobs`. PDF in one language keeps the test affordable; it crashed
/// the same way.
#[test]
fn twenty_assessments_build_with_default_flags() {
    let tmp = portfolio(20);
    BuildCmd::new(tmp.path(), "data")
        .format("pdf")
        .lang("en")
        .arg("--out")
        .arg("out")
        .ok();
    assert_eq!(artifacts(&tmp.path().join("out")), 20 * 15);
}

#[test]
fn jobs_are_capped_at_the_documents_of_the_run() {
    let tmp = fixture(None);
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .format("pdf")
        .arg("--jobs")
        .arg("100000")
        .arg("--out")
        .arg("out")
        .ok();
    let cores = std::thread::available_parallelism().unwrap().get();
    assert!(
        stderr(&o).contains(&format!(
            "warning: --jobs 100000 is more than the {cores} cores of this machine; documents will compete for them\n = hint: deca runs at most one job per document: 1 at once in this run (--jobs is capped there)\n"
        )),
        "{}",
        stderr(&o)
    );
}

/// Issue 14: `range(1e9)` aborted the process (exit 134) and left staging behind.
#[test]
fn a_template_that_allocates_without_end_is_stopped_with_a_located_error() {
    let (tmp, o) = template_case("overview.typ", "#let a = range(1000000000)\n#a.len()\n");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "error: demo/templates/typst/overview.typ: template `typst/overview.typ` needed more memory than the limit (2 GiB) and was stopped (in demo/en/overview.pdf)\n = hint: look for a loop that builds an ever larger array or string; `--max-memory SIZE` raises the limit\n"
        ),
        "{}",
        stderr(&o)
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("out"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Shards built apart and merged give the same folder, byte for byte, as one build; shards
/// that disagree are refused.
#[test]
fn shards_merge_into_the_single_build() {
    let tmp = fixture(None);
    let base = [
        "build", "demo", "--kind", "overview", "--kind", "onepager", "-q",
    ];
    let build = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let o = run(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    build(&["--out", "whole"]);
    build(&["--shard", "1/2", "--out", "s1"]);
    build(&["--shard", "2/2", "--out", "s2"]);
    let (n1, n2) = (
        artifacts(&tmp.path().join("s1")),
        artifacts(&tmp.path().join("s2")),
    );
    assert!(n1 > 0 && n2 > 0, "both shards have work: {n1} + {n2}");
    assert_eq!(n1 + n2, artifacts(&tmp.path().join("whole")));
    let o = run(
        tmp.path(),
        &["manifest", "merge", "--out", "merged", "s1", "s2"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        snapshot(&tmp.path().join("merged")),
        snapshot(&tmp.path().join("whole"))
    );

    // The same path with another hash.
    let s2 = tmp.path().join("s2/manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&s2).unwrap()).unwrap();
    let taken = manifest(&tmp.path().join("s1"))["artifacts"][0].clone();
    let mut clash = taken.clone();
    clash["sha256"] = serde_json::json!("0".repeat(64));
    m["artifacts"].as_array_mut().unwrap().push(clash);
    std::fs::write(&s2, serde_json::to_string(&m).unwrap()).unwrap();
    let o = run(
        tmp.path(),
        &["manifest", "merge", "--out", "bad", "s1", "s2"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!(
            "error: shards disagree on `{}`: `s1` has sha256 {}, `s2` has {}\n",
            taken["path"].as_str().unwrap(),
            taken["sha256"].as_str().unwrap(),
            "0".repeat(64)
        )),
        "{}",
        stderr(&o)
    );
    // Other inputs.
    m["inputs-sha256"] = serde_json::json!("f".repeat(64));
    std::fs::write(&s2, serde_json::to_string(&m).unwrap()).unwrap();
    let o = run(
        tmp.path(),
        &["manifest", "merge", "--out", "bad", "s1", "s2"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: shards disagree on their inputs-sha256: `s1` has "),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("bad/manifest.json").exists());
}
