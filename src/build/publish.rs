//! Getting a run's files into the output folder all or nothing.
//!
//! Every document is first written and flushed into a staging folder inside the output folder
//! (same file system, so renames are atomic). Only when every document of the run succeeded,
//! holding the output folder's lock (see `lock`):
//! 1. the previous manifest is read, and the documents to keep and to remove are sorted out
//!    (see `keep`);
//! 2. every destination is checked before anything moves: no folder in the way, no symlinked
//!    folder on the path, every folder writable;
//! 3. the previous `manifest.json` and `SHA256SUMS` are moved aside, so no manifest ever lists
//!    a file that is being replaced;
//! 4. each document is renamed into place (a reader sees the old file or the new one), and
//!    documents to remove are moved aside;
//! 5. the new `SHA256SUMS` and `manifest.json` are renamed into place, last.
//!
//! Steps 3 to 5 form a journalled transaction (see `transaction`): if any of them fails, every
//! change is undone and the folder holds exactly the previous manifest's files again. A run
//! killed during them is undone by the next run, which finds its staging folder dead (its
//! lock is free) and replays its journal backwards. A failed run before step 3 only removes
//! its staging folder.

mod fault;
mod transaction;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::keep::{self, Scope};
use super::lock::{self, OutputLock};
use super::manifest::{Artifact, Manifest};
use crate::diag::Diagnostic;
use crate::ui;

/// Prefix of staging folders inside the output folder.
pub(crate) const STAGING_PREFIX: &str = ".deca-staging-";
/// Where a staging folder keeps the run's documents, by their final relative path.
const FILES: &str = "files";
/// The largest manifest deca reads back.
const MAX_MANIFEST_BYTES: u64 = 64 << 20;

/// How long a run holds the output folder's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    /// From staging to the end (`deca build`); `wait` queues behind another writer.
    WholeRun { wait: bool },
    /// Only while creating the staging folder and while publishing (`deca watch`, which
    /// always waits).
    WhilePublishing,
}

impl Hold {
    pub(crate) fn for_args(args: &crate::cli::BuildArgs) -> Hold {
        if args.watching {
            Hold::WhilePublishing
        } else {
            Hold::WholeRun { wait: args.wait }
        }
    }
}

/// What a successful publish did.
#[derive(Debug)]
pub(crate) struct Committed {
    pub manifest: Manifest,
    /// Files of the previous manifest this run removed (relative to the output folder).
    pub removed: Vec<String>,
}

/// A run's staging folder. Dropped without a commit, it is removed.
pub(crate) struct Staging {
    out: PathBuf,
    dir: PathBuf,
    lock: Option<OutputLock>,
    /// Held for the folder's life: it tells other runs this folder is not a dead run's.
    _alive: std::fs::File,
    /// Set when a rollback failed: the folder holds the only copy of some old files.
    keep: bool,
}

impl Staging {
    /// Creates the output folder if needed, takes its lock, undoes and removes the staging
    /// folders of dead runs, and makes a fresh staging folder.
    pub(crate) fn new(out: &Path, hold: Hold) -> Result<Staging, Diagnostic> {
        std::fs::create_dir_all(out).map_err(|e| io_diag("create", out, &e, out))?;
        let wait = !matches!(hold, Hold::WholeRun { wait: false });
        let held = lock::acquire(out, wait)?;
        remove_dead_staging(out);
        let dir = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(out)
            .map_err(|e| io_diag("create a staging folder in", out, &e, out))?
            .keep();
        let alive = match lock::mark_alive(&dir) {
            Ok(f) => f,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(io_diag("create a staging folder in", out, &e, out));
            }
        };
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            lock: matches!(hold, Hold::WholeRun { .. }).then_some(held),
            _alive: alive,
            keep: false,
        })
    }

    /// Writes one document (path relative to the output folder) into staging, flushed to disk.
    pub(crate) fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(FILES).join(rel);
        write_flushed(&path, bytes)
            .map_err(|e| io_diag("stage", &self.out.join(rel), &e, &self.out))
    }

    /// Publishes the run: `produced` are the documents written into staging; `scope` and
    /// `clean` decide what happens to the previous manifest's other documents.
    pub(crate) fn commit(
        mut self,
        produced: Vec<Artifact>,
        inputs_sha256: String,
        scope: &Scope,
        clean: bool,
    ) -> Result<Committed, Diagnostic> {
        let out = self.out.clone();
        let fail = |e: std::io::Error| io_diag("publish into", &out, &e, &out);
        fault::at("staged").map_err(fail)?;
        let _lock = match self.lock.take() {
            Some(l) => l,
            None => lock::acquire(&self.out, true)?,
        };
        let previous = previous_manifest(&self.out);
        let carried = keep::carry_over(previous.as_ref(), &produced, scope, &self.out, clean);
        let new: Vec<String> = produced.iter().map(|a| a.path.clone()).collect();
        let mut listed = produced;
        listed.extend(carried.kept);
        let manifest = Manifest::new(inputs_sha256, listed);
        fault::at("manifest").map_err(fail)?;
        write_flushed(
            &self.dir.join("manifest.json"),
            manifest.to_json().as_bytes(),
        )
        .map_err(fail)?;
        write_flushed(
            &self.dir.join("SHA256SUMS"),
            manifest.sha256sums().as_bytes(),
        )
        .map_err(fail)?;
        preflight(&self.out, &new, &carried.remove)?;

        let mut tx = transaction::Transaction::begin(&self.out, &self.dir).map_err(fail)?;
        let mut removed = Vec::new();
        match self.publish(&mut tx, &new, &carried.remove, &mut removed) {
            Ok(()) => {
                // The manifest is in place: the run has happened, whatever follows.
                let _ = tx.commit();
                for rel in &removed {
                    remove_empty_parents(&self.out, rel);
                }
                Ok(Committed { manifest, removed })
            }
            Err(e) => {
                let rolled_back = tx.rollback();
                let d = io_diag("publish into", &self.out, &e, &self.out);
                match rolled_back {
                    Ok(()) => Err(d),
                    Err(failed) => {
                        self.keep = true;
                        Err(Diagnostic::error(format!(
                            "{}; restoring the previous files then failed for {}",
                            d.message,
                            failed.join(", ")
                        ))
                        .hint(format!(
                            "the previous files are kept in `{}`; move them back by hand",
                            ui::shown(&self.dir.join(transaction::PREVIOUS)).display()
                        )))
                    }
                }
            }
        }
    }

    /// Steps 3 to 5 of the module documentation.
    fn publish(
        &self,
        tx: &mut transaction::Transaction,
        new: &[String],
        remove: &[String],
        removed: &mut Vec<String>,
    ) -> std::io::Result<()> {
        tx.remove("manifest.json")?;
        tx.remove("SHA256SUMS")?;
        fault::at("aside")?;
        let mut touched = BTreeSet::new();
        for (i, rel) in new.iter().enumerate() {
            tx.place(&self.dir.join(FILES).join(rel), rel)?;
            touched.insert(self.out.join(rel).parent().map(Path::to_path_buf));
            fault::at(&format!("placed-{}", i + 1))?;
        }
        for rel in remove {
            if tx.remove(rel)? {
                removed.push(rel.clone());
                touched.insert(self.out.join(rel).parent().map(Path::to_path_buf));
            }
        }
        fault::at("removed")?;
        // The renames reach the disk before the manifest that lists them.
        for dir in touched.into_iter().flatten() {
            sync_dir(&dir);
        }
        tx.place(&self.dir.join("SHA256SUMS"), "SHA256SUMS")?;
        fault::at("sums")?;
        tx.place(&self.dir.join("manifest.json"), "manifest.json")?;
        sync_dir(&self.out);
        Ok(())
    }

    /// Throws the run's files away; the output folder is as it was.
    pub(crate) fn abandon(self) {}

    /// Abandons the run and reports its errors.
    pub(crate) fn fail(self, errors: Vec<Diagnostic>, _warnings: usize) -> super::Failure {
        super::Failure::errors(errors)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Checks every destination before anything moves (step 2).
fn preflight(out: &Path, new: &[String], remove: &[String]) -> Result<(), Diagnostic> {
    let refuse = |cause: String, hint: &str| {
        Diagnostic::error(format!(
            "failed to publish into `{}` ({cause})",
            ui::shown(out).display()
        ))
        .hint(format!("{hint}; nothing in the output folder was changed"))
    };
    let mut writable = BTreeSet::new();
    let fixed = ["manifest.json".to_string(), "SHA256SUMS".to_string()];
    for rel in new.iter().chain(&fixed) {
        let mut dir = out.to_path_buf();
        let mut deepest = out.to_path_buf();
        let parts: Vec<&str> = rel.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push(part);
            match std::fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse(
                        format!(
                            "`{}` is a symbolic link, and deca does not write through links inside the output folder",
                            ui::shown(&dir).display()
                        ),
                        "replace the link with a real folder, or build into another --out",
                    ));
                }
                Ok(m) if !m.is_dir() => {
                    return Err(refuse(
                        format!(
                            "`{}` is a file where a folder is needed",
                            ui::shown(&dir).display()
                        ),
                        "move the file away, or build into another --out",
                    ));
                }
                Ok(_) => deepest = dir.clone(),
                Err(_) => break,
            }
        }
        let to = out.join(rel);
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
            return Err(refuse(
                format!(
                    "`{}` is a folder where a file is needed",
                    ui::shown(&to).display()
                ),
                "move the folder away, or build into another --out",
            ));
        }
        writable.insert(deepest);
    }
    for rel in remove {
        if let Some(parent) = out.join(rel).parent() {
            writable.insert(parent.to_path_buf());
        }
    }
    for dir in writable {
        let probe = dir.join(format!(".deca-probe-{}", std::process::id()));
        let made = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe);
        match made {
            // A probe left by a killed run with the same process id proves writability too.
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) => {
                return Err(refuse(
                    format!("`{}` is not writable: {e}", ui::shown(&dir).display()),
                    "make the folder writable, or build into another --out",
                ));
            }
        }
    }
    Ok(())
}

/// An I/O failure on `path` while doing `what`, with the hint that fits: a full disk says so.
fn io_diag(what: &str, path: &Path, e: &std::io::Error, out: &Path) -> Diagnostic {
    let d = Diagnostic::error(format!(
        "failed to {what} `{}` ({e})",
        ui::shown(path).display()
    ));
    if is_disk_full(e) {
        d.hint(format!(
            "the disk holding `{}` is full: free some space, or build into another --out; nothing in the output folder was changed",
            ui::shown(out).display()
        ))
    } else {
        d.hint("nothing in the output folder was changed; fix the cause and build again")
    }
}

fn is_disk_full(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT)) {
        return true;
    }
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

fn write_flushed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Removes the folders a removed file leaves empty, up to the output folder.
fn remove_empty_parents(out: &Path, rel: &str) {
    let file = out.join(rel);
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
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

/// Undoes and removes the staging folders of dead runs. Called with the output lock held.
fn remove_dead_staging(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let is_staging = e.file_name().to_string_lossy().starts_with(STAGING_PREFIX);
        if !is_staging || !e.file_type().is_ok_and(|t| t.is_dir()) || !lock::is_dead(&e.path()) {
            continue;
        }
        // If the old files cannot all be put back, the folder holds the only copies: keep it.
        if transaction::recover(out, &e.path()).is_ok() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Reads the manifest of the previous run, if there is a readable one.
pub(crate) fn previous_manifest(out: &Path) -> Option<Manifest> {
    let bytes =
        crate::input::read(&out.join("manifest.json"), Some(out), MAX_MANIFEST_BYTES).ok()?;
    serde_json::from_slice(&bytes).ok()
}
