//! One writer per output folder: an advisory lock (`flock` on Unix, `LockFileEx` on Windows,
//! through the standard library) held by `deca build` for the whole run and by `deca watch`
//! only while it publishes. On Unix the lock is taken on the output folder itself, so nothing
//! but documents, `manifest.json` and `SHA256SUMS` lies in it; where a folder cannot be locked
//! (Windows, some network file systems) a `.deca-lock` file inside it is locked instead. The
//! operating system releases the lock when the process dies, however it dies, so no PID is ever
//! needed to tell a dead writer from a live one.
//!
//! The same mechanism marks staging folders as alive: each holds a locked `.lock` file for its
//! owner's lifetime. A staging folder whose lock can be taken belongs to a dead run.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::diag::Diagnostic;

/// The lock file inside the output folder, where the folder itself cannot be locked.
pub(crate) const LOCK_FILE: &str = ".deca-lock";

/// The held lock; dropping it releases the folder.
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: File,
}

/// Takes the output folder's lock (the folder must exist). Without `wait`, a folder another
/// deca is writing to is an error at once; with it, this call queues behind that run.
pub(crate) fn acquire(out: &Path, wait: bool) -> Result<OutputLock, Diagnostic> {
    #[cfg(unix)]
    if let Ok(dir) = File::open(out) {
        match lock(&dir, wait) {
            Ok(()) => return Ok(OutputLock { _file: dir }),
            Err(TryLockError::WouldBlock) => return Err(busy(out)),
            // This file system cannot lock folders: use the lock file.
            Err(TryLockError::Error(_)) => {}
        }
    }
    let path = out.join(LOCK_FILE);
    let file = open(&path).map_err(|e| {
        Diagnostic::error(format!("failed to lock the output folder ({e})"))
            .in_file(crate::ui::shown(&path))
            .hint("check that the output folder is writable")
    })?;
    match lock(&file, wait) {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(busy(out)),
        Err(TryLockError::Error(e)) => Err(unsupported(&path, &e)),
    }
}

/// Locks `file`, waiting for it when `wait` is set.
fn lock(file: &File, wait: bool) -> Result<(), TryLockError> {
    match file.try_lock() {
        Err(TryLockError::WouldBlock) if wait => file.lock().map_err(TryLockError::Error),
        other => other,
    }
}

fn busy(out: &Path) -> Diagnostic {
    Diagnostic::error(format!(
        "another deca is writing to `{}`",
        crate::ui::shown(out).display()
    ))
    .hint("wait for it to finish, pass --wait to queue behind it, or build into another --out")
}

fn unsupported(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("failed to lock the output folder ({e})"))
        .in_file(crate::ui::shown(path))
        .hint("build into a folder on a file system that supports file locks, such as a local disk")
}

fn open(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// Creates and locks a staging folder's liveness file. The caller holds the output lock, so
/// no other run can be looking at this folder yet.
pub(crate) fn mark_alive(staging: &Path) -> std::io::Result<File> {
    let file = open(&staging.join(".lock"))?;
    file.try_lock().map_err(|e| match e {
        TryLockError::WouldBlock => std::io::Error::other("the staging folder is in use"),
        TryLockError::Error(e) => e,
    })?;
    Ok(file)
}

/// Whether a staging folder's owner is gone: its liveness file is missing, or can be locked.
/// Called with the output lock held, so a folder being created is never mistaken for dead.
pub(crate) fn is_dead(staging: &Path) -> bool {
    let path = staging.join(".lock");
    if std::fs::symlink_metadata(&path).is_err() {
        return true;
    }
    match OpenOptions::new().read(true).open(&path) {
        // Dropping the handle releases the lock just taken.
        Ok(f) => f.try_lock().is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_gone() {
        let out = tempfile::tempdir().unwrap();
        let first = acquire(out.path(), false).unwrap();
        let err = acquire(out.path(), false).unwrap_err();
        assert!(
            err.message.starts_with("another deca is writing to `"),
            "{}",
            err.message
        );
        drop(first);
        assert!(acquire(out.path(), false).is_ok());
    }

    #[test]
    fn a_staging_folder_is_alive_while_its_file_is_held() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_dead(dir.path()));
        let held = mark_alive(dir.path()).unwrap();
        assert!(!is_dead(dir.path()));
        drop(held);
        assert!(is_dead(dir.path()));
    }
}
