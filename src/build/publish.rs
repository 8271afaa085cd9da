//! Getting a run's files into the output folder without ever exposing a partial state.
//!
//! Every artifact is first written and flushed into a staging folder inside the output folder
//! (same file system, so renames are atomic). Only when every document of the run succeeded:
//! 1. the previous `manifest.json` and `SHA256SUMS` are moved aside, so no manifest ever
//!    lists a file that is being replaced;
//! 2. each artifact is renamed into place (a reader sees the old file or the new one);
//! 3. the new `SHA256SUMS` and `manifest.json` are renamed into place, last;
//! 4. files the previous manifest listed that this run did not produce are removed, with the
//!    staging folder and the set-aside manifest.
//!
//! A failed run stops before step 1 and removes its staging folder: the output folder is as it
//! was. A run killed at any moment leaves every final path holding a complete old file, a
//! complete new file or nothing, and a manifest (if any) that matches what it lists. Staging
//! folders left by killed runs are removed by the next run.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::manifest::Manifest;

/// Prefix of staging folders inside the output folder.
pub const STAGING_PREFIX: &str = ".deca-staging-";
const PREVIOUS_MANIFEST: &str = ".deca-previous-manifest.json";

/// A run's staging folder.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
}

fn io_context(what: &str, path: &Path, e: std::io::Error) -> String {
    format!("failed to {what} `{}` ({e})", path.display())
}

impl Staging {
    /// Creates the output folder if needed, removes staging folders of dead runs, and makes a
    /// fresh staging folder.
    pub fn new(out: &Path) -> Result<Staging, String> {
        std::fs::create_dir_all(out).map_err(|e| io_context("create", out, e))?;
        remove_dead_staging(out);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{STAGING_PREFIX}{}-", std::process::id()))
            .tempdir_in(out)
            .map_err(|e| io_context("create a staging folder in", out, e))?
            .keep();
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
        })
    }

    /// Writes one artifact (path relative to the output folder) into staging, flushed to disk.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), String> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_context("create", parent, e))?;
        }
        let mut f = std::fs::File::create(&path).map_err(|e| io_context("write", &path, e))?;
        f.write_all(bytes)
            .map_err(|e| io_context("write", &path, e))?;
        f.sync_all().map_err(|e| io_context("flush", &path, e))?;
        Ok(())
    }

    /// Moves the run's files into place (see the module documentation for the order).
    pub fn commit(
        self,
        artifacts: &[PathBuf],
        manifest: &Manifest,
        previous: Option<Manifest>,
    ) -> Result<(), String> {
        let manifest_json = manifest.to_json();
        let sums = manifest.sha256sums();
        self.write(Path::new("manifest.json"), manifest_json.as_bytes())?;
        self.write(Path::new("SHA256SUMS"), sums.as_bytes())?;

        // 1. Set the previous manifest aside.
        let manifest_path = self.out.join("manifest.json");
        let sums_path = self.out.join("SHA256SUMS");
        if manifest_path.exists() {
            std::fs::rename(&manifest_path, self.out.join(PREVIOUS_MANIFEST))
                .map_err(|e| io_context("move aside", &manifest_path, e))?;
        }
        if sums_path.exists() {
            std::fs::remove_file(&sums_path).map_err(|e| io_context("remove", &sums_path, e))?;
        }
        sync_dir(&self.out);

        // 2. Artifacts into place.
        for rel in artifacts {
            let from = self.dir.join(rel);
            let to = self.out.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_context("create", parent, e))?;
            }
            std::fs::rename(&from, &to).map_err(|e| io_context("move into place", &to, e))?;
            if let Some(parent) = to.parent() {
                sync_dir(parent);
            }
        }

        // 3. Checksums, then the manifest, last.
        std::fs::rename(self.dir.join("SHA256SUMS"), &sums_path)
            .map_err(|e| io_context("move into place", &sums_path, e))?;
        std::fs::rename(self.dir.join("manifest.json"), &manifest_path)
            .map_err(|e| io_context("move into place", &manifest_path, e))?;
        sync_dir(&self.out);

        // 4. Stale files of the previous run, and the leftovers.
        if let Some(prev) = previous {
            for a in &prev.artifacts {
                let rel = Path::new(&a.path);
                let listed = manifest.artifacts.iter().any(|n| n.path == a.path);
                if is_safe_relative(rel) && !listed {
                    let stale = self.out.join(rel);
                    let _ = std::fs::remove_file(&stale);
                    remove_empty_parents(&self.out, &stale);
                }
            }
        }
        let _ = std::fs::remove_file(self.out.join(PREVIOUS_MANIFEST));
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }

    /// Throws the run's files away; the output folder is as it was.
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Abandons the run and reports its errors.
    pub fn fail(self, errors: Vec<crate::diag::Diagnostic>, warnings: usize) -> super::Failure {
        self.abandon();
        super::Failure {
            diagnostics: errors,
            usage: false,
            warnings,
        }
    }
}

/// A manifest path must stay inside the output folder before deca deletes it.
fn is_safe_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) {
            break;
        }
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Flushes a folder's entries (the renames) to disk; best effort where unsupported.
fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Removes staging folders whose run is no longer alive (killed runs).
fn remove_dead_staging(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        let pid: Option<u32> = rest.split('-').next().and_then(|p| p.parse().ok());
        let alive = pid.is_some_and(process_alive);
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
    // A set-aside manifest without a running build is from a run killed while committing:
    // its files may have been replaced, so it no longer describes the folder.
    let _ = std::fs::remove_file(out.join(PREVIOUS_MANIFEST));
}

fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a cheap liveness check, keep the folder: it is only disk space.
        true
    }
}

/// Reads the manifest of the previous run, if there is a readable one.
pub fn previous_manifest(out: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    serde_json::from_str(&text).ok()
}
