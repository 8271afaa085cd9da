//! The publish step as a transaction that can always be undone: every change to the output
//! folder is written to a journal in the staging folder *before* it is made, and every file it
//! replaces or removes is kept in the staging folder's `previous/` until the new manifest is in
//! place. Undoing replays the journal backwards. The same undo runs in-process when a step
//! fails, and in the next run when this one was killed (its journal has no `commit` line).
//!
//! Old files are kept by hard link where the file system allows, so a final path holds the old
//! file until the new one is renamed over it; otherwise they are renamed aside.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The journal's name inside a staging folder.
pub(super) const JOURNAL: &str = "journal";
/// Where replaced and removed files wait, inside a staging folder.
pub(super) const PREVIOUS: &str = "previous";

/// One change to the output folder, journalled before it is made. Paths are relative to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "step")]
pub(super) enum Step {
    /// A new file goes to `rel`; `existed` says whether an old one was there (and is kept).
    Place { rel: String, existed: bool },
    /// The file at `rel` moves to `previous/`.
    Remove { rel: String },
    /// The folder `rel` is created.
    Mkdir { rel: String },
    /// The new manifest is in place: nothing is undone after this.
    Commit,
}

/// A publish in progress.
pub(super) struct Transaction {
    out: PathBuf,
    previous: PathBuf,
    journal: File,
    steps: Vec<Step>,
}

impl Transaction {
    /// Starts a transaction whose journal and kept files live in `staging`.
    pub(super) fn begin(out: &Path, staging: &Path) -> std::io::Result<Transaction> {
        let previous = staging.join(PREVIOUS);
        std::fs::create_dir_all(&previous)?;
        let journal = File::create(staging.join(JOURNAL))?;
        Ok(Transaction {
            out: out.to_path_buf(),
            previous,
            journal,
            steps: Vec::new(),
        })
    }

    /// Journals a step. No fsync: the journal must survive the process being killed, which
    /// the page cache ensures; after a power loss each path still holds a whole file.
    fn log(&mut self, step: Step) -> std::io::Result<()> {
        let line = serde_json::to_string(&step).map_err(std::io::Error::other)?;
        writeln!(self.journal, "{line}")?;
        self.steps.push(step);
        Ok(())
    }

    /// Creates the missing folders above `rel`, journalling each.
    fn make_parents(&mut self, rel: &str) -> std::io::Result<()> {
        let parts: Vec<&str> = rel.split('/').collect();
        for i in 1..parts.len() {
            let dir = parts[..i].join("/");
            if std::fs::symlink_metadata(self.out.join(&dir)).is_err() {
                self.log(Step::Mkdir { rel: dir.clone() })?;
                match std::fs::create_dir(self.out.join(&dir)) {
                    Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Moves the staged file `from` to `rel`, keeping any old file there.
    pub(super) fn place(&mut self, from: &Path, rel: &str) -> std::io::Result<()> {
        self.make_parents(rel)?;
        let to = self.out.join(rel);
        let existed = std::fs::symlink_metadata(&to).is_ok();
        self.log(Step::Place {
            rel: rel.to_string(),
            existed,
        })?;
        if existed {
            let kept = self.kept(rel)?;
            if std::fs::hard_link(&to, &kept).is_err() {
                std::fs::rename(&to, &kept)?;
            }
        }
        std::fs::rename(from, &to)
    }

    /// Moves the file at `rel` aside; false when there was none.
    pub(super) fn remove(&mut self, rel: &str) -> std::io::Result<bool> {
        let at = self.out.join(rel);
        if std::fs::symlink_metadata(&at).is_err() {
            return Ok(false);
        }
        self.log(Step::Remove {
            rel: rel.to_string(),
        })?;
        let kept = self.kept(rel)?;
        std::fs::rename(&at, &kept)?;
        Ok(true)
    }

    /// Marks the transaction done: the next run will not undo it.
    pub(super) fn commit(mut self) -> std::io::Result<()> {
        self.log(Step::Commit)
    }

    /// Undoes every step made so far, newest first.
    pub(super) fn rollback(self) -> Result<(), Vec<String>> {
        undo(&self.out, &self.previous, &self.steps)
    }

    /// Where an old file at `rel` is kept.
    fn kept(&self, rel: &str) -> std::io::Result<PathBuf> {
        let kept = self.previous.join(rel);
        if let Some(parent) = kept.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(kept)
    }
}

/// Reverses `steps` (newest first): old files come back from `previous`, new ones and new
/// folders go. Returns what could not be restored. A journal read back from disk is not
/// trusted with paths: a step outside the output folder or through a symlinked folder in it is
/// not acted on.
pub(super) fn undo(out: &Path, previous: &Path, steps: &[Step]) -> Result<(), Vec<String>> {
    let mut failed = Vec::new();
    for step in steps.iter().rev() {
        let result = match step {
            Step::Place { rel, .. } | Step::Remove { rel } | Step::Mkdir { rel }
                if !crate::build::keep::is_plain_path(out, rel) =>
            {
                if std::fs::symlink_metadata(out.join(rel)).is_ok() {
                    Err(std::io::Error::other("it lies behind a symbolic link"))
                } else {
                    Ok(())
                }
            }
            Step::Place { rel, existed: true } | Step::Remove { rel } => {
                let kept = previous.join(rel);
                if std::fs::symlink_metadata(&kept).is_ok() {
                    std::fs::rename(&kept, out.join(rel))
                } else {
                    // Killed before the old file was touched: it is still in place.
                    Ok(())
                }
            }
            Step::Place {
                rel,
                existed: false,
            } => match std::fs::remove_file(out.join(rel)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            Step::Mkdir { rel } => {
                // Only if empty: whatever else is in it is not deca's.
                let _ = std::fs::remove_dir(out.join(rel));
                Ok(())
            }
            Step::Commit => Ok(()),
        };
        if let Err(e) = result {
            let rel = match step {
                Step::Place { rel, .. } | Step::Remove { rel } | Step::Mkdir { rel } => rel,
                Step::Commit => "",
            };
            failed.push(format!("`{rel}` ({e})"));
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed)
    }
}

/// Puts back what a dead run's staging folder changed, unless that run committed.
pub(super) fn recover(out: &Path, staging: &Path) -> Result<(), Vec<String>> {
    // Read bounded, regular files only: the folder may have been tampered with.
    let Ok(bytes) = crate::input::read(&staging.join(JOURNAL), Some(staging), 16 << 20) else {
        return Ok(());
    };
    let mut steps = Vec::new();
    for line in String::from_utf8_lossy(&bytes).lines() {
        // A line cut short by the kill was never acted on.
        let Ok(step) = serde_json::from_str::<Step>(line) else {
            break;
        };
        steps.push(step);
    }
    if steps.contains(&Step::Commit) {
        return Ok(());
    }
    undo(out, &staging.join(PREVIOUS), &steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                    out.push((rel, std::fs::read_to_string(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_rollback_restores_exactly_the_old_files() {
        let out = tempfile::tempdir().unwrap();
        let staging = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("a")).unwrap();
        std::fs::write(out.path().join("a/old.pdf"), "old").unwrap();
        std::fs::write(out.path().join("a/gone.pdf"), "gone").unwrap();
        std::fs::write(out.path().join("manifest.json"), "m1").unwrap();
        let before = files(out.path());
        for (name, text) in [("new1", "new"), ("new2", "fresh")] {
            std::fs::write(staging.path().join(name), text).unwrap();
        }
        let mut tx = Transaction::begin(out.path(), staging.path()).unwrap();
        assert!(tx.remove("manifest.json").unwrap());
        tx.place(&staging.path().join("new1"), "a/old.pdf").unwrap();
        tx.place(&staging.path().join("new2"), "b/c/new.pdf")
            .unwrap();
        assert!(tx.remove("a/gone.pdf").unwrap());
        assert!(!tx.remove("a/never.pdf").unwrap());
        assert_eq!(
            std::fs::read_to_string(out.path().join("a/old.pdf")).unwrap(),
            "new"
        );
        tx.rollback().unwrap();
        let after: Vec<(String, String)> = files(out.path());
        assert_eq!(after, before);
        assert!(!out.path().join("b").exists(), "a created folder stayed");
    }

    #[test]
    fn a_dead_run_is_undone_from_its_journal_unless_it_committed() {
        let out = tempfile::tempdir().unwrap();
        let staging = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("x.pdf"), "old").unwrap();
        std::fs::write(staging.path().join("new"), "new").unwrap();
        let mut tx = Transaction::begin(out.path(), staging.path()).unwrap();
        tx.place(&staging.path().join("new"), "x.pdf").unwrap();
        // The process dies here: the transaction is dropped without rollback or commit.
        drop(tx);
        recover(out.path(), staging.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.path().join("x.pdf")).unwrap(),
            "old"
        );

        let staging = tempfile::tempdir().unwrap();
        std::fs::write(staging.path().join("new"), "new").unwrap();
        let mut tx = Transaction::begin(out.path(), staging.path()).unwrap();
        tx.place(&staging.path().join("new"), "x.pdf").unwrap();
        tx.commit().unwrap();
        recover(out.path(), staging.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.path().join("x.pdf")).unwrap(),
            "new"
        );
    }
}
