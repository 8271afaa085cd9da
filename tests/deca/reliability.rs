//! Nothing lost: one writer per output folder, a publish that happens whole or not at all
//! (failures roll back, killed runs are undone by the next run), no writing or deleting
//! through symlinked folders, and filtered builds that keep other documents.
//!
//! Failures in the middle of a publish are driven by `DECA_TEST_FAULT` (see
//! `src/build/publish/fault.rs`), so each point is hit exactly rather than raced.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;

fn build(dir: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "demo", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn build_with(dir: &Path, out: &Path, extra: &[&str], env: (&str, &str)) -> Output {
    bin()
        .current_dir(dir)
        .args(["build", "demo", "--out", out.to_str().unwrap(), "-q"])
        .args(extra)
        .env(env.0, env.1)
        .output()
        .unwrap()
}

/// `sha256sum -c SHA256SUMS` in `out` passes, and nothing but listed files is there.
fn assert_consistent(out: &Path, context: &str) {
    let o = std::process::Command::new("sha256sum")
        .args(["--quiet", "-c", "SHA256SUMS"])
        .current_dir(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{context}: sha256sum -c failed: {}{}",
        stdout(&o),
        stderr(&o)
    );
    let listed: Vec<String> = manifest(out)["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    for f in files_under(out) {
        let f = f.to_string_lossy().to_string();
        assert!(
            f == "manifest.json" || f == "SHA256SUMS" || listed.contains(&f),
            "{context}: {f} is in the folder but not in the manifest"
        );
    }
}

/// A full build of the base fixture, then data that changes every document.
fn built_then_changed() -> (tempfile::TempDir, PathBuf) {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = build(tmp.path(), &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    edit(
        &tmp.path().join("demo/assessment.yaml"),
        "title: Testland Digital Ecosystem Country Assessment",
        "title: Testland Digital Ecosystem Country Assessment, revised",
    );
    (tmp, out)
}

fn staging_left(out: &Path) -> Vec<String> {
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".deca"))
        .collect()
}

#[test]
fn two_builds_started_together_leave_a_folder_that_checks() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let start = |paper: &str, wait: bool| {
        let mut c = bin();
        c.current_dir(tmp.path())
            .args(["build", "demo", "--out", out.to_str().unwrap(), "-q"])
            .args(["--paper", paper]);
        if wait {
            c.arg("--wait");
        }
        c.stderr(std::process::Stdio::piped()).spawn().unwrap()
    };
    for round in 0..50 {
        // Different paper: every file differs between the two, so a mix would show.
        let a = start("a4", round >= 45);
        let b = start("letter", round >= 45);
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = (a.status.code(), b.status.code());
        for o in [&a, &b] {
            if o.status.code() == Some(1) {
                assert_eq!(
                    stderr(o),
                    format!(
                        "error: another deca is writing to `{}`\n = hint: wait for it to finish, pass --wait to queue behind it, or build into another --out\n\n",
                        "out"
                    ),
                    "round {round}"
                );
            }
        }
        if round >= 45 {
            assert_eq!(codes, (Some(0), Some(0)), "round {round}: --wait queues");
        } else {
            assert!(
                matches!(codes, (Some(0), Some(0) | Some(1)) | (Some(1), Some(0))),
                "round {round}: {codes:?}"
            );
        }
        assert_consistent(&out, &format!("round {round}"));
        assert!(staging_left(&out).is_empty(), "round {round}");
    }
}

#[cfg(unix)]
#[test]
fn a_second_writer_fails_at_once_or_waits_with_wait() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Hold the folder's lock as a running build would.
    let held = std::fs::File::open(&out).unwrap();
    held.try_lock().unwrap();
    let o = build(tmp.path(), &out, &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: another deca is writing to `{}`\n = hint: wait for it to finish, pass --wait to queue behind it, or build into another --out\n\n",
            "out"
        )
    );
    assert!(files_under(&out).is_empty(), "the refused build wrote");
    let waiting = bin()
        .current_dir(tmp.path())
        .args([
            "build",
            "demo",
            "--wait",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!out.join("manifest.json").exists(), "it did not wait");
    drop(held);
    let o = waiting.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_consistent(&out, "after waiting");
}

#[test]
fn a_folder_in_the_way_fails_before_anything_moves() {
    let (tmp, out) = built_then_changed();
    std::fs::remove_file(out.join("demo/es/overview.pdf")).unwrap();
    std::fs::create_dir_all(out.join("demo/es/overview.pdf/mine")).unwrap();
    let before = snapshot(&out);
    let o = build(tmp.path(), &out, &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: failed to publish into `{0}` (`{0}/demo/es/overview.pdf` is a folder where a file is needed)\n = hint: move the folder away, or build into another --out; nothing in the output folder was changed\n\n",
            "out"
        )
    );
    assert!(snapshot(&out) == before, "the output folder changed");
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_fails_before_anything_moves() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let (tmp, out) = built_then_changed();
    // Root ignores folder permissions: then the build runs as `nobody`, owning the output.
    #[allow(unsafe_code)]
    // SAFETY: geteuid has no preconditions.
    let as_root = unsafe { libc::geteuid() } == 0;
    if as_root {
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut dirs = vec![out.clone()];
        while let Some(d) = dirs.pop() {
            std::os::unix::fs::chown(&d, Some(65534), Some(65534)).unwrap();
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    dirs.push(e.path());
                } else {
                    std::os::unix::fs::chown(e.path(), Some(65534), Some(65534)).unwrap();
                }
            }
        }
    }
    let es = out.join("demo/es");
    std::fs::set_permissions(&es, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&out);
    let mut c = bin();
    c.current_dir(tmp.path())
        .args(["build", "demo", "-q", "--out", out.to_str().unwrap()]);
    if as_root {
        c.uid(65534).gid(65534);
    }
    let o = c.output().unwrap();
    std::fs::set_permissions(&es, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "error: failed to publish into `out` (`out/demo/es` is not writable: Permission denied (os error 13))\n = hint: make the folder writable, or build into another --out; nothing in the output folder was changed\n\n"
    );
    assert!(snapshot(&out) == before, "the output folder changed");
}

#[test]
fn a_failure_midway_rolls_back_to_exactly_the_previous_files() {
    let cases: [(&str, &[&str], &str); 5] = [
        ("fail@aside", &[], "injected failure at aside"),
        ("fail@placed-5", &[], "injected failure at placed-5"),
        (
            "full@manifest",
            &[],
            "No space left on device (os error 28)",
        ),
        ("full@sums", &[], "No space left on device (os error 28)"),
        (
            "fail@removed",
            &["--kind", "overview", "--clean"],
            "injected failure at removed",
        ),
    ];
    for (fault, extra, cause) in cases {
        let (tmp, out) = built_then_changed();
        let before = snapshot(&out);
        let o = build_with(tmp.path(), &out, extra, ("DECA_TEST_FAULT", fault));
        assert_eq!(o.status.code(), Some(1), "{fault}: {}", stderr(&o));
        let hint = if fault.starts_with("full") {
            format!(
                "the disk holding `{}` is full: free some space, or build into another --out; nothing in the output folder was changed",
                "out"
            )
        } else {
            "nothing in the output folder was changed; fix the cause and build again".into()
        };
        assert_eq!(
            stderr(&o),
            format!(
                "error: failed to publish into `{}` ({cause})\n = hint: {hint}\n\n",
                "out"
            ),
            "{fault}"
        );
        assert!(snapshot(&out) == before, "{fault}: not rolled back exactly");
        assert!(staging_left(&out).is_empty(), "{fault}: staging left");
    }
}

#[cfg(unix)]
#[test]
fn a_killed_publish_is_undone_by_the_next_run() {
    use std::os::unix::process::ExitStatusExt;
    for point in ["aside", "placed-1", "placed-7", "removed", "sums"] {
        let (tmp, out) = built_then_changed();
        let before = snapshot(&out);
        let fault = format!("kill@{point}");
        let o = build_with(tmp.path(), &out, &[], ("DECA_TEST_FAULT", &fault));
        assert_eq!(o.status.signal(), Some(9), "{fault}: not killed");
        assert_eq!(staging_left(&out).len(), 1, "{fault}: no staging left");
        // The next run finds the dead run's staging folder (its lock is free), undoes it and
        // removes it before anything else; failing right after shows that state.
        let o = build_with(tmp.path(), &out, &[], ("DECA_TEST_FAULT", "fail@staged"));
        assert_eq!(o.status.code(), Some(1), "{fault}: {}", stderr(&o));
        assert!(
            snapshot(&out) == before,
            "{fault}: the killed run was not undone"
        );
        let o = build(tmp.path(), &out, &["-q"]);
        assert_eq!(o.status.code(), Some(0), "{fault}: {}", stderr(&o));
        assert_consistent(&out, &fault);
        assert!(staging_left(&out).is_empty(), "{fault}: staging left");
    }
}

#[test]
fn a_staging_folder_named_for_a_live_process_is_still_cleaned() {
    // PID 1 is alive in every container: a liveness check by PID would keep this forever.
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let dead = out.join(".deca-staging-1-abcdef");
    std::fs::create_dir_all(dead.join("files/demo/en")).unwrap();
    std::fs::write(dead.join("files/demo/en/report.pdf"), "partial").unwrap();
    let o = build(tmp.path(), &out, &["-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(staging_left(&out).is_empty(), "{:?}", staging_left(&out));
}

#[cfg(unix)]
#[test]
fn a_symlinked_subfolder_of_out_is_never_written_or_deleted_through() {
    let (tmp, out) = built_then_changed();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::rename(out.join("demo"), elsewhere.path().join("demo")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("demo"), out.join("demo")).unwrap();
    let outside = snapshot(elsewhere.path());
    let o = build(tmp.path(), &out, &["-q"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: failed to publish into `{0}` (`{0}/demo` is a symbolic link, and deca does not write through links inside the output folder)\n = hint: replace the link with a real folder, or build into another --out; nothing in the output folder was changed\n\n",
            "out"
        )
    );
    assert!(
        snapshot(elsewhere.path()) == outside,
        "written through the link"
    );

    // A manifest entry under a symlinked folder is never deleted, even by --clean.
    std::fs::remove_file(out.join("demo")).unwrap();
    std::fs::create_dir_all(elsewhere.path().join("kept/en")).unwrap();
    std::fs::write(elsewhere.path().join("kept/en/report.pdf"), "not deca's").unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("kept"), out.join("linked")).unwrap();
    let mut m = manifest(&out);
    let mut entry = m["artifacts"][0].clone();
    entry["path"] = "linked/en/report.pdf".into();
    entry["sha256"] = deca::hash::sha256_hex(b"not deca's").into();
    entry["bytes"] = 10.into();
    m["artifacts"].as_array_mut().unwrap().push(entry);
    std::fs::write(out.join("manifest.json"), m.to_string()).unwrap();
    let o = build(tmp.path(), &out, &["-q", "--clean"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("kept/en/report.pdf")).unwrap(),
        "not deca's"
    );
    assert!(!manifest(&out).to_string().contains("linked/"));
}

#[test]
fn a_filtered_build_keeps_every_other_document() {
    let (tmp, out) = built_then_changed();
    let before = snapshot(&out);
    let o = build(tmp.path(), &out, &["--kind", "overview", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("removed"), "{}", stderr(&o));
    assert_consistent(&out, "filtered");
    let after = snapshot(&out);
    assert_eq!(after.len(), before.len(), "documents were lost");
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        let name = path.to_string_lossy();
        let rebuilt = name.starts_with("demo/en/overview.");
        let listing = name == "manifest.json" || name == "SHA256SUMS";
        assert_eq!(old != new, rebuilt || listing, "{name}");
    }
    assert_eq!(manifest(&out)["artifacts"].as_array().unwrap().len(), 20);
}

#[test]
fn clean_removes_the_other_documents_and_says_which() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    assert_eq!(build(tmp.path(), &out, &["-q"]).status.code(), Some(0));
    let o = build(
        tmp.path(),
        &out,
        &["--kind", "overview", "--lang", "en", "--clean"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = stderr(&o)
        .lines()
        .find(|l| l.starts_with("removed "))
        .unwrap_or_default()
        .to_string();
    let gone: Vec<String> = ["es", "en"]
        .iter()
        .flat_map(|lang| {
            [
                "brief-integrity",
                "onepager-payment-rails",
                "onepager-village-access",
                "overview",
                "report",
            ]
            .iter()
            .filter(move |d| !(*lang == "en" && **d == "overview"))
            .flat_map(move |d| ["docx", "pdf"].map(|f| format!("demo/{lang}/{d}.{f}")))
        })
        .collect();
    let mut sorted = gone.clone();
    sorted.sort();
    assert_eq!(
        line,
        format!(
            "removed 18 files an earlier build listed: {}",
            sorted.join(", ")
        )
    );
    let left: Vec<String> = files_under(&out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        left,
        [
            "SHA256SUMS",
            "demo/en/overview.docx",
            "demo/en/overview.pdf",
            "manifest.json"
        ]
    );
    assert!(!out.join("demo/es").exists(), "an emptied folder stayed");
}
