//! Templates in layers: the built-in files compiled into the binary, overridden file by file by
//! a project's `templates/` folder (beside the assessment folders), an assessment's own
//! `templates/` folder, and `--templates DIR`, in rising order.
//!
//! Override folders are read whole into memory before any compilation, through `crate::input`:
//! files that resolve (through `..` or symlinks) outside their folder, devices and FIFOs are
//! refused, and the folder's size budget bounds every read. The Typst world then serves only
//! these bytes: a template cannot reach the file system at all.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_templates.rs"));
}

/// The built-in reference Word document, zipped at build time from templates/docx/reference/.
pub static REFERENCE_DOCX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/reference.docx"));

/// Most files an override folder may hold.
pub const MAX_FILES: usize = 2_000;
/// Most bytes an override folder's files may hold together: 200 MiB.
pub const MAX_TOTAL_BYTES: u64 = 200 * 1024 * 1024;

/// Where a template file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped inside the deca binary.
    BuiltIn,
    /// An override folder: its role (`project`, `assessment`, `--templates`) and the file.
    Override {
        /// The override folder's role: `project`, `assessment` or `--templates`.
        layer: String,
        /// The file on disk.
        path: PathBuf,
    },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::Override { layer, path } => write!(f, "{layer}: {}", path.display()),
        }
    }
}

/// One template file.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The file's contents.
    pub bytes: Arc<[u8]>,
    /// Whether it is built in or which override it comes from.
    pub origin: Origin,
}

/// A layer of overrides.
#[derive(Debug, Clone)]
pub struct Layer {
    /// Where the folder comes from: `project`, `assessment` or `--templates`.
    pub role: String,
    /// The override folder.
    pub dir: PathBuf,
}

/// The template files in effect, by path under `templates/` (`typst/report.typ`).
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    /// Each file by its path under `templates/`, e.g. `typst/report.typ`.
    pub files: BTreeMap<String, TemplateFile>,
}

impl TemplateSet {
    /// The built-in templates only.
    pub fn builtin() -> TemplateSet {
        let files = builtin::BUILTIN
            .iter()
            .map(|(path, bytes)| {
                (
                    path.to_string(),
                    TemplateFile {
                        bytes: Arc::from(*bytes),
                        origin: Origin::BuiltIn,
                    },
                )
            })
            .collect();
        TemplateSet { files }
    }

    /// The built-ins overridden by each layer in turn (later layers win).
    pub fn load(layers: &[Layer]) -> Result<TemplateSet, Diagnostic> {
        let mut set = TemplateSet::builtin();
        for layer in layers {
            if !layer.dir.is_dir() {
                continue;
            }
            for (rel, file) in read_layer(layer)? {
                set.files.insert(rel, file);
            }
        }
        Ok(set)
    }

    /// The file in effect at `path` (under `templates/`), if any.
    pub fn get(&self, path: &str) -> Option<&TemplateFile> {
        self.files.get(path)
    }

    /// A hash of every file in effect, for the manifest's input hash.
    pub fn digest(&self, hasher: &mut sha2::Sha256) {
        use sha2::Digest;
        for (path, f) in &self.files {
            hasher.update(path.as_bytes());
            hasher.update([0]);
            hasher.update((f.bytes.len() as u64).to_le_bytes());
            hasher.update(&f.bytes);
        }
    }
}

/// The override layers for an assessment: project (`<assessments>/templates`), the
/// assessment's own `templates/`, then `--templates`.
pub fn layers_for(assessment_dir: &Path, cli: Option<&Path>) -> Vec<Layer> {
    let mut layers = Vec::new();
    if let Some(parent) = assessment_dir.parent() {
        layers.push(Layer {
            role: "project".into(),
            dir: parent.join("templates"),
        });
    }
    layers.push(Layer {
        role: "assessment".into(),
        dir: assessment_dir.join("templates"),
    });
    if let Some(dir) = cli {
        layers.push(Layer {
            role: "--templates".into(),
            dir: dir.to_path_buf(),
        });
    }
    layers
}

fn read_layer(layer: &Layer) -> Result<Vec<(String, TemplateFile)>, Diagnostic> {
    let root = layer.dir.canonicalize().map_err(|e| {
        Diagnostic::error(format!("failed to read templates folder ({e})")).in_file(&layer.dir)
    })?;
    let mut out = Vec::new();
    let mut total = 0u64;
    let mut stack = vec![layer.dir.clone()];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| {
                Diagnostic::error(format!("failed to read templates folder ({e})")).in_file(&dir)
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            let real = path.canonicalize().map_err(|e| {
                Diagnostic::error(format!("failed to read template ({e})")).in_file(&path)
            })?;
            if real.is_dir() {
                if !real.starts_with(&root) {
                    return Err(
                        crate::input::ReadError::Outside { resolved: real }.diagnostic(
                            &path,
                            "template",
                            "the templates folder",
                        ),
                    );
                }
                stack.push(path);
                continue;
            }
            if out.len() >= MAX_FILES {
                return Err(Diagnostic::error(format!(
                    "too many files in the templates folder (more than {MAX_FILES})"
                ))
                .in_file(&layer.dir));
            }
            // The folder's whole budget bounds each file: a device or FIFO is refused, and
            // nothing reads past what is left.
            let bytes = crate::input::read(&path, Some(&root), MAX_TOTAL_BYTES - total).map_err(
                |e| match e {
                    crate::input::ReadError::TooLarge { .. } => Diagnostic::error(format!(
                        "the templates folder is too large (over {MAX_TOTAL_BYTES} bytes)"
                    ))
                    .in_file(&layer.dir),
                    e => e.diagnostic(&path, "template", "the templates folder"),
                },
            )?;
            total += bytes.len() as u64;
            let rel = path
                .strip_prefix(&layer.dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((
                rel,
                TemplateFile {
                    bytes: Arc::from(bytes),
                    origin: Origin::Override {
                        layer: layer.role.clone(),
                        path,
                    },
                },
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_include_every_kind_and_both_locales() {
        let set = TemplateSet::builtin();
        for f in [
            "typst/report.typ",
            "typst/brief.typ",
            "typst/onepager.typ",
            "typst/overview.typ",
            "locales/en.yaml",
            "locales/es.yaml",
        ] {
            assert!(set.get(f).is_some(), "{f} missing");
        }
    }

    #[test]
    fn an_override_replaces_one_file_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("typst")).unwrap();
        std::fs::write(dir.path().join("typst/report.typ"), "custom").unwrap();
        let set = TemplateSet::load(&[Layer {
            role: "--templates".into(),
            dir: dir.path().to_path_buf(),
        }])
        .unwrap();
        assert_eq!(&*set.get("typst/report.typ").unwrap().bytes, b"custom");
        assert_eq!(set.get("typst/brief.typ").unwrap().origin, Origin::BuiltIn);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_folder_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("link.typ"),
        )
        .unwrap();
        let err = TemplateSet::load(&[Layer {
            role: "--templates".into(),
            dir: dir.path().to_path_buf(),
        }])
        .unwrap_err();
        assert!(
            err.message.starts_with("access denied: "),
            "{}",
            err.message
        );
    }
}
