//! The release pipeline (issue 15, items 1 and 4), run here the way GitHub runs it: the
//! workflow steps' scripts under `bash --noprofile --norc -eo pipefail` (what `shell: bash`
//! means on a runner), the packaged binary installed into a clean folder and used, and the
//! assets checked under the names users download.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::*;

/// The folder holding the `deca` under test, to put first on PATH as an install would.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_deca"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs a script from .github/scripts as a workflow step with `shell: bash` does.
fn step(script: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new("bash");
    c.args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(root().join(".github/scripts").join(script))
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("GITHUB_ACTIONS", "true")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// Workflow and action files as JSON values.
fn workflows() -> Vec<(String, serde_json::Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(root().join("action.yml"));
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect()
}

#[test]
fn every_run_step_uses_bash_with_pipefail_and_every_workflow_limits_permissions() {
    let mut checked = 0;
    for (name, w) in workflows() {
        if name == "action.yml" {
            // A composite action's run steps must each name their shell.
            for s in w["runs"]["steps"].as_array().unwrap() {
                if s.get("run").is_some() {
                    assert_eq!(s["shell"], "bash", "{name}: {}", s["name"]);
                    checked += 1;
                }
            }
            continue;
        }
        assert!(
            w.get("permissions").is_some(),
            "{name} has no top-level permissions"
        );
        let default = w["defaults"]["run"]["shell"].as_str();
        for (job_name, job) in w["jobs"].as_object().unwrap() {
            let job_default = job["defaults"]["run"]["shell"].as_str().or(default);
            for s in job["steps"].as_array().unwrap() {
                if s.get("run").is_none() {
                    continue;
                }
                let shell = s["shell"].as_str().or(job_default);
                assert_eq!(shell, Some("bash"), "{name}/{job_name}: {}", s["name"]);
                checked += 1;
            }
            // Pinned toolchains only.
            for s in job["steps"].as_array().unwrap() {
                let uses = s["uses"].as_str().unwrap_or_default();
                if uses.starts_with("dtolnay/rust-toolchain") {
                    assert!(!uses.ends_with("@stable"), "{name}/{job_name}: {uses}");
                    assert_eq!(
                        s["with"]["toolchain"], "${{ env.RUST_TOOLCHAIN }}",
                        "{name}/{job_name}"
                    );
                }
            }
        }
        assert!(
            w["env"]["RUST_TOOLCHAIN"]
                .as_str()
                .is_some_and(|v| v.split('.').count() == 3),
            "{name}: RUST_TOOLCHAIN is not a full version"
        );
    }
    assert!(checked > 10, "only {checked} run steps found");
}

/// A data folder holding the base fixture and a project template that does not compile.
fn broken_template() -> tempfile::TempDir {
    let tmp = fixture(None);
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    std::fs::rename(tmp.path().join("demo"), tmp.path().join("data/demo")).unwrap();
    let typst = tmp.path().join("data/templates/typst");
    std::fs::create_dir_all(&typst).unwrap();
    std::fs::write(typst.join("overview.typ"), "#let broken = (\n").unwrap();
    tmp
}

#[test]
fn the_release_build_step_fails_on_a_template_error() {
    let tmp = broken_template();
    let o = step("build-documents.sh", tmp.path(), &[], &[("OUT", "shard-1")]);
    assert_ne!(o.status.code(), Some(0), "the step passed: {}", stderr(&o));
    let err = stderr(&o);
    // It failed for the template, annotated where GitHub shows it.
    assert!(
        err.contains("::error file=data/templates/typst/overview.typ,line=1,"),
        "{err}"
    );
    // The events were logged up to the failure, and nothing was published.
    let events = std::fs::read_to_string(tmp.path().join("shard-1.events.jsonl")).unwrap();
    assert!(
        events.lines().last().unwrap().contains("\"ok\":false"),
        "{events}"
    );
    assert!(!tmp.path().join("shard-1/SHA256SUMS").exists());
}

#[test]
fn the_release_assets_check_under_their_flat_names_and_the_zip_keeps_the_tree() {
    let tmp = fixture(None);
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    std::fs::rename(tmp.path().join("demo"), tmp.path().join("data/demo")).unwrap();
    let o = step(
        "build-documents.sh",
        tmp.path(),
        &[],
        &[
            ("OUT", "output"),
            ("DECA_ARGS", "--kind overview --kind brief"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = step(
        "collect-release.sh",
        tmp.path(),
        &["output", "release"],
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let release = tmp.path().join("release");
    let mut names: Vec<String> = std::fs::read_dir(&release)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "SHA256SUMS",
            "deca-documents.zip",
            "demo-en-brief-integrity.docx",
            "demo-en-brief-integrity.pdf",
            "demo-en-overview.docx",
            "demo-en-overview.pdf",
            "demo-es-brief-integrity.docx",
            "demo-es-brief-integrity.pdf",
            "demo-es-overview.docx",
            "demo-es-overview.pdf",
            "manifest.json",
        ]
    );
    // A user downloads the assets into one folder and checks them.
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&release)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert_eq!(stdout(&check).lines().count(), names.len() - 1);
    // The zip unpacks to the tree, whose own SHA256SUMS checks.
    let unpacked = tmp.path().join("unpacked");
    let unzip = Command::new("unzip")
        .args(["-q", "../release/deca-documents.zip", "-d", "."])
        .current_dir({
            std::fs::create_dir_all(&unpacked).unwrap();
            &unpacked
        })
        .output()
        .unwrap();
    assert_eq!(unzip.status.code(), Some(0), "{}", stderr(&unzip));
    assert!(unpacked.join("demo/es/overview.pdf").is_file());
    let check = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&unpacked)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn the_packaged_binary_installs_into_a_clean_folder_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dist = tmp.path().join("dist");
    let target = "x86_64-unknown-linux-musl";
    let o = step(
        "package.sh",
        tmp.path(),
        &[target, dist.to_str().unwrap()],
        &[("DECA_BINARY", env!("CARGO_BIN_EXE_deca"))],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    let archive = format!("deca-{version}-{target}.tar.gz");
    assert_eq!(
        std::fs::read_to_string(dist.join(format!("{archive}.sha256")))
            .unwrap()
            .split_whitespace()
            .nth(1),
        Some(archive.as_str())
    );
    // The README's install path, from a clean environment with no Rust on PATH.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let install = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(root().join(".github/scripts/install.sh"))
        .arg(&version)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("DECA_TARGET", target)
        .env("DECA_DOWNLOAD_BASE", format!("file://{}", dist.display()))
        .output()
        .unwrap();
    assert_eq!(install.status.code(), Some(0), "{}", stderr(&install));
    assert_eq!(
        stdout(&install),
        format!(
            "installed deca {} (typst 0.15.1) into {}\n",
            env!("CARGO_PKG_VERSION"),
            home.join(".local/bin").display()
        )
    );
    let installed = home.join(".local/bin/deca");
    let user = |args: &[&str]| {
        Command::new(&installed)
            .args(args)
            .current_dir(&home)
            .env_clear()
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", home.join(".local/bin").display()),
            )
            .env("HOME", &home)
            .output()
            .unwrap()
    };
    let o = user(&["init", "data/testland", "--country", "Testland"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = user(&["build", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = Command::new("sha256sum")
        .args(["--quiet", "-c", "SHA256SUMS"])
        .current_dir(home.join("output"))
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(home.join("output/testland/en/report.pdf").is_file());
    // The archive carries a man page per command and the fonts' licences.
    let listing = Command::new("tar")
        .args(["-tzf"])
        .arg(dist.join(&archive))
        .output()
        .unwrap();
    let listing = stdout(&listing);
    for f in [
        "/deca",
        "/README.md",
        "/man/deca-build.1",
        "/licenses/carlito-LICENSE.txt",
    ] {
        assert!(
            listing.contains(&format!("deca-{version}-{target}{f}\n")),
            "{f} missing from:\n{listing}"
        );
    }
}
