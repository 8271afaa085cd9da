//! The paths a build is given, checked before any work: `--out` must be (or become) a folder,
//! `--templates` must be an existing folder, and `--reference-docx` a readable regular file.
//! A path that does not exist, or is the wrong kind of thing, is a usage error (exit 2).

use std::path::Path;

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::render::docx::reference::MAX_TOTAL_BYTES as MAX_REFERENCE_BYTES;

/// Checks `--out` and `--templates`.
pub(super) fn check(args: &BuildArgs) -> Result<(), Diagnostic> {
    // The first existing path from `--out` up must be a folder, or creating it fails later
    // with a bare "File exists" or "Not a directory".
    let mut at = Some(args.out.as_path());
    while let Some(p) = at.filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => {
                let what = if p == args.out {
                    format!("`{}` is a file", args.out.display())
                } else {
                    format!(
                        "`{}` is a file, so `{}` cannot be created",
                        p.display(),
                        args.out.display()
                    )
                };
                return Err(
                    Diagnostic::error(format!("--out must name a folder ({what})"))
                        .hint("give a folder for the documents, e.g. --out output"),
                );
            }
            Err(_) => at = p.parent(),
        }
    }
    if let Some(t) = &args.templates {
        if !t.exists() {
            return Err(Diagnostic::error(format!(
                "--templates folder `{}` does not exist",
                t.display()
            ))
            .hint("give a folder of template overrides; `deca templates export DIR` writes one"));
        }
        if !t.is_dir() {
            return Err(Diagnostic::error(format!(
                "--templates `{}` is not a folder",
                t.display()
            ))
            .hint("give a folder of template overrides; `deca templates export DIR` writes one"));
        }
    }
    Ok(())
}

/// Reads `--reference-docx`: bounded, regular files only. The path was typed by the user, so
/// it may lie anywhere; a missing file or a folder is a usage error (`Err((d, true))`).
pub(super) fn read_reference(path: &Path) -> Result<Vec<u8>, (Diagnostic, bool)> {
    crate::input::read(path, None, MAX_REFERENCE_BYTES).map_err(|e| {
        let usage = e.is_missing() || path.is_dir();
        let d = if e.is_missing() {
            Diagnostic::error(format!(
                "--reference-docx file `{}` does not exist",
                path.display()
            ))
            .hint("give a .docx saved by Word or LibreOffice")
        } else {
            e.diagnostic(path, "the reference document", "")
        };
        (d, usage)
    })
}
