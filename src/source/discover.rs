//! Finding assessments: a DIR argument names one assessment folder (it holds assessment.yaml)
//! or a folder of them. A folder that looks like an assessment but is not one is never skipped
//! silently: YAML files without `assessment.yaml` get a warning naming the likely misspelling,
//! and an `assessment.yaml` that is a folder is a usage error.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::ui;

const NAMES: [&str; 2] = ["assessment.yaml", "assessment.yml"];

/// What a DIR argument holds.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The assessment folders, sorted by name.
    pub dirs: Vec<PathBuf>,
    /// Folders that hold YAML but are not assessments.
    pub warnings: Vec<Diagnostic>,
}

/// Whether a folder is an assessment (it holds `assessment.yaml`). Anything by that name but
/// a folder counts: a FIFO or a dangling link is then refused by name when it is read, rather
/// than the folder being skipped.
pub fn is_assessment_dir(dir: &Path) -> bool {
    NAMES.iter().any(|n| {
        let p = dir.join(n);
        std::fs::symlink_metadata(&p).is_ok() && !p.is_dir()
    })
}

/// The assessment folders a DIR argument names (see [`discover`]), without the warnings.
pub fn assessment_dirs(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    discover(dir).map(|d| d.dirs)
}

/// The assessment folders a DIR argument names: the folder itself when it is one, else the
/// assessment folders directly inside it, sorted by name; with a warning for each folder that
/// holds YAML files but no `assessment.yaml`.
pub fn discover(dir: &Path) -> Result<Discovered, Diagnostic> {
    let hint = "give an assessment folder (with assessment.yaml) or a folder of them";
    if !dir.exists() {
        return Err(Diagnostic::error(format!("`{}` does not exist", dir.display())).hint(hint));
    }
    if !dir.is_dir() {
        return Err(Diagnostic::error(format!("`{}` is not a folder", dir.display())).hint(hint));
    }
    check_not_a_folder(dir)?;
    if is_assessment_dir(dir) {
        return Ok(Discovered {
            dirs: vec![dir.to_path_buf()],
            warnings: Vec::new(),
        });
    }
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(format!("failed to read `{}` ({e})", dir.display())))?
        .filter_map(Result::ok)
        // Hidden folders (.git, editor state) are never assessments.
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    children.sort();
    let mut found = Discovered::default();
    for child in children {
        check_not_a_folder(&child)?;
        if is_assessment_dir(&child) {
            found.dirs.push(child);
        } else if let Some(w) = not_an_assessment(&child) {
            found.warnings.push(w);
        }
    }
    if found.dirs.is_empty() {
        let mut d = Diagnostic::error(format!("no assessment found in `{}`", dir.display()));
        d = match misspelt(dir) {
            Some(name) => d.hint(format!(
                "did you mean assessment.yaml? `{}` holds `{name}`",
                ui::shown(dir).display()
            )),
            None => d.hint(
                "an assessment folder holds assessment.yaml; `deca init DIR --country NAME` creates one",
            ),
        };
        return Err(d);
    }
    if let Some(w) = not_an_assessment(dir) {
        found.warnings.insert(0, w);
    }
    Ok(found)
}

/// `assessment.yaml` must be a file: a folder of that name is a mistake worth stopping for.
fn check_not_a_folder(dir: &Path) -> Result<(), Diagnostic> {
    for name in NAMES {
        let p = dir.join(name);
        if p.is_dir() {
            return Err(Diagnostic::error(format!(
                "`{}` is a folder; it must be the assessment's YAML file",
                ui::shown(&p).display()
            ))
            .hint("move the folder away and put the assessment file at this path"));
        }
    }
    Ok(())
}

/// A warning for a folder that holds YAML files but no `assessment.yaml`.
fn not_an_assessment(dir: &Path) -> Option<Diagnostic> {
    let yaml = yaml_files(dir);
    if yaml.is_empty() {
        return None;
    }
    let shown = ui::shown(dir);
    let d = Diagnostic::warning(format!(
        "`{}` holds YAML files but no assessment.yaml; it is skipped",
        shown.display()
    ));
    Some(match misspelt(dir) {
        Some(name) => d.hint(format!(
            "did you mean assessment.yaml? the folder holds `{name}`"
        )),
        None => d.hint("did you mean assessment.yaml? an assessment folder must hold one"),
    })
}

/// The YAML file in `dir` whose name is closest to `assessment.yaml`, if one is close.
fn misspelt(dir: &Path) -> Option<String> {
    let names = yaml_files(dir);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    crate::suggest::did_you_mean("assessment.yaml", refs.iter().copied())
        .or_else(|| crate::suggest::did_you_mean("assessment.yml", refs.iter().copied()))
        .map(str::to_string)
}

/// The names of the YAML files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && (n.ends_with(".yaml") || n.ends_with(".yml")))
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_assessment_file_is_named_in_a_warning() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("peru")).unwrap();
        std::fs::write(tmp.path().join("peru/assessment.yaml"), "").unwrap();
        std::fs::create_dir_all(tmp.path().join("kenya")).unwrap();
        std::fs::write(tmp.path().join("kenya/assesment.yaml"), "").unwrap();
        std::fs::create_dir_all(tmp.path().join("images")).unwrap();
        let found = discover(tmp.path()).unwrap();
        assert_eq!(found.dirs, vec![tmp.path().join("peru")]);
        assert_eq!(found.warnings.len(), 1);
        assert_eq!(
            found.warnings[0].hint.as_deref(),
            Some("did you mean assessment.yaml? the folder holds `assesment.yaml`")
        );
    }

    #[test]
    fn an_assessment_yaml_folder_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("assessment.yaml")).unwrap();
        let err = discover(tmp.path()).unwrap_err();
        assert!(
            err.message
                .ends_with("assessment.yaml` is a folder; it must be the assessment's YAML file"),
            "{}",
            err.message
        );
    }
}
