//! Finding assessments: a DIR argument names one assessment folder (it holds assessment.yaml)
//! or a folder of them.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Whether a folder is an assessment (it holds `assessment.yaml`).
pub fn is_assessment_dir(dir: &Path) -> bool {
    dir.join("assessment.yaml").is_file() || dir.join("assessment.yml").is_file()
}

/// The assessment folders a DIR argument names: the folder itself when it is one, else the
/// assessment folders directly inside it, sorted by name.
pub fn assessment_dirs(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if !dir.exists() {
        return Err(
            Diagnostic::error(format!("`{}` does not exist", dir.display()))
                .hint("give an assessment folder (with assessment.yaml) or a folder of them"),
        );
    }
    if !dir.is_dir() {
        return Err(
            Diagnostic::error(format!("`{}` is not a folder", dir.display()))
                .hint("give an assessment folder (with assessment.yaml) or a folder of them"),
        );
    }
    if is_assessment_dir(dir) {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(format!("failed to read `{}` ({e})", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && is_assessment_dir(p))
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Diagnostic::error(format!("no assessment found in `{}`", dir.display()))
            .hint("an assessment folder holds assessment.yaml; `deca init DIR --country NAME` creates one"));
    }
    Ok(dirs)
}
