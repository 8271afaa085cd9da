//! Fixtures: the base assessment and Peru copied into temporary folders, edits to them, and
//! builds shared by several tests of one run.

use std::path::{Path, PathBuf};

use super::*;

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temporary folder holding the base fixture as `demo/`, with a case's files laid over it.
/// A case file named `x.yaml.delete` removes `x.yaml`.
pub fn fixture(case: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    copy_dir(&root().join("tests/fixtures/base"), &demo);
    if let Some(case) = case {
        let dir = root().join("tests/fixtures/invalid").join(case);
        for e in std::fs::read_dir(&dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().to_string();
            if name == "expected.txt" {
                continue;
            }
            match name.strip_suffix(".delete") {
                Some(target) => std::fs::remove_file(demo.join(target)).unwrap(),
                None => {
                    std::fs::copy(dir.join(&name), demo.join(&name)).unwrap();
                }
            }
        }
    }
    tmp
}

/// A temporary copy of the bundled Peru assessment as `peru/`.
pub fn peru() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("peru"));
    tmp
}

/// Edits a file in place by replacing text (which must occur).
pub fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(
        s.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// Makes a recommendation's English rationale in the base fixture `sentences` sentences long,
/// to push its one-pager towards (or past) the page.
pub fn lengthen_rationale(tmp: &Path, rationale: &str, sentences: usize) {
    let long = "Villages are half offline, and every month without a connection widens the gap in services, prices and voice. ".repeat(sentences);
    edit(
        &tmp.join("demo/recommendations.yaml"),
        &format!("      en: {rationale}"),
        &format!("      en: {long}"),
    );
}

/// The English rationales of the base fixture's two recommendations.
pub const VILLAGE_RATIONALE: &str = "Villages are half offline [@stats-office].";
pub const PAYMENT_RATIONALE: &str = "Closed wallets keep costs high.";

/// A scratch folder for builds shared by several tests of one run: under cargo's own
/// temporary folder in `target/`, emptied at the start of each run, so nothing accumulates
/// in the system's temporary folder.
pub fn shared_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("deca-{}", std::process::id()))
        .join(name);
    // Folders of earlier runs (other process ids) go first.
    if let Ok(entries) = std::fs::read_dir(env!("CARGO_TARGET_TMPDIR")) {
        let mine = format!("deca-{}", std::process::id());
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.starts_with("deca-") && n != mine {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bundled Peru assessment built once (all kinds, both languages, both formats) for the
/// tests that only read outputs. Returns the output folder.
pub fn peru_build() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let dir = shared_dir("peru");
        let out = dir.join("out");
        BuildCmd::new(&root(), "data/peru").out(&out).ok();
        out
    })
}

/// The manifest of a build.
pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// Every file under a folder, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Every file under a folder with its bytes, to compare the folder before and after a run.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let b = std::fs::read(dir.join(&f)).unwrap();
            (f, b)
        })
        .collect()
}

/// The base fixture with one template file overridden in the assessment's `templates/typst/`,
/// and its English overview built as PDF into `out/` (the run's output, whatever its code).
pub fn template_case(name: &str, body: &str) -> (tempfile::TempDir, std::process::Output) {
    let tmp = fixture(None);
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), body).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .format("pdf")
        .arg("--out")
        .arg("out")
        .run();
    (tmp, o)
}
