//! `deca watch`: build, then rebuild whenever data or templates change, one status line per
//! rebuild ("rebuilt 3 of 60 documents in 0.21 s").
//!
//! Every rebuild plans every document again (milliseconds) and rebuilds only those whose
//! planned IR, cited report pages or templates changed (see `build::Builder`); the others
//! keep their files. Typst's worker processes stay warm between rebuilds, and their caches
//! are trimmed after each one. A failed rebuild reports its errors and leaves the last good
//! outputs in place. Saves are collected for 50 ms before a rebuild starts.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::Builder;
use crate::build::progress::{Mode, Reporter};
use crate::cli::BuildArgs;
use crate::diag::{self, Diagnostic};
use crate::{exit, ui};

/// How long a burst of saves may pause before the rebuild starts.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(50);

/// Whether a changed path can matter to a build: editors' swap and backup files cannot.
pub(super) fn relevant(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return false;
    };
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp"))
}

/// Builds (all documents, or with `incremental` those whose inputs changed) and prints the
/// status line; returns whether it succeeded.
fn rebuild(builder: &mut Builder, args: &BuildArgs, incremental: bool) -> bool {
    // Unchanged documents are kept by the builder itself; a document that no longer exists
    // (a recommendation removed) is removed, as in a full build. The output folder is locked
    // only while publishing.
    let mut args = args.clone();
    args.watching = true;
    let mode = if args.json {
        Mode::Json
    } else if args.quiet {
        Mode::Quiet
    } else {
        Mode::Summary
    };
    let mut reporter = Reporter::new(mode);
    let started = Instant::now();
    let result = builder.build(&args, &mut reporter, incremental);
    let secs = started.elapsed().as_secs_f64();
    let ok = match result {
        Ok(outcome) => {
            println!(
                "rebuilt {} of {} document{} in {secs:.2} s",
                outcome.rebuilt,
                outcome.total,
                if outcome.total == 1 { "" } else { "s" },
            );
            true
        }
        Err(failure) => {
            reporter.diagnostics(&failure.diagnostics);
            reporter.problems(&failure.problems);
            println!("rebuild failed after {secs:.2} s; the last good outputs stay in place");
            false
        }
    };
    builder.relax();
    ok
}

/// The files under a folder that was created with files already in it.
fn files_in(dir: PathBuf, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
}

pub(super) fn run(args: &BuildArgs) -> u8 {
    let dirs = match crate::source::assessment_dirs(&args.dir) {
        Ok(d) => d,
        Err(d) => {
            diag::eprint_human(&[d], ui::color_stderr());
            return exit::USAGE;
        }
    };
    let (tx, rx) = mpsc::channel();
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            let d = Diagnostic::error(format!("failed to watch files ({e})"));
            diag::eprint_human(&[d], ui::color_stderr());
            return exit::FAILED;
        }
    };
    let mut watched: Vec<PathBuf> = vec![args.dir.clone()];
    if let Some(t) = &args.templates {
        watched.push(t.clone());
    }
    for d in &dirs {
        if let Some(parent) = d.parent() {
            watched.push(parent.join("templates"));
        }
    }
    for w in watched.iter().filter(|w| w.exists()) {
        if let Err(e) = watcher.watch(w, RecursiveMode::Recursive) {
            let d = Diagnostic::error(format!("failed to watch `{}` ({e})", w.display()));
            diag::eprint_human(&[d], ui::color_stderr());
            return exit::FAILED;
        }
    }
    // Watch first, then build: a change made while the first build runs is not lost.
    println!("watching {} for changes (Ctrl-C stops)", args.dir.display());
    let mut builder = Builder::for_watch();
    rebuild(&mut builder, args, false);
    let out = args.out.canonicalize().unwrap_or_else(|_| args.out.clone());
    loop {
        let Ok(first) = rx.recv() else {
            return exit::OK;
        };
        let mut changed = vec![first];
        // Editors save in bursts; wait for the burst to end.
        while let Ok(p) = rx.recv_timeout(DEBOUNCE) {
            changed.push(p);
        }
        let mut paths = Vec::new();
        for p in changed {
            // A folder created with files in it: its files may be written before the watcher
            // watches the new folder, so look inside.
            if p.is_dir() {
                files_in(p, &mut paths);
            } else {
                paths.push(p);
            }
        }
        let mut names: Vec<String> = paths
            .iter()
            .filter(|p| relevant(p))
            .filter(|p| !p.canonicalize().is_ok_and(|c| c.starts_with(&out)))
            .map(|p| ui::shown(p).display().to_string())
            .collect();
        if names.is_empty() {
            continue;
        }
        names.sort();
        names.dedup();
        println!("changed: {}", names.join(", "));
        rebuild(&mut builder, args, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_not_changes() {
        assert!(relevant(Path::new("data/peru/findings.yaml")));
        assert!(relevant(Path::new(
            "data/peru/templates/typst/onepager.typ"
        )));
        assert!(!relevant(Path::new("data/peru/.findings.yaml.swp")));
        assert!(!relevant(Path::new("data/peru/findings.yaml~")));
    }
}
