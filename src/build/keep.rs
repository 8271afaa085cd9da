//! Which documents of an earlier build a run keeps, and which it removes.
//!
//! A run's *scope* is what its selection covers: the assessments it built, and within them the
//! kinds, ids, languages and formats selected. A document the previous manifest listed that
//! this run did not rebuild is
//! - kept and listed again when it is outside the scope and intact (its bytes still match);
//! - removed when it is inside the scope (the data no longer produces it: a deleted
//!   recommendation, a dropped language), or with `--clean`, whatever the scope;
//! - otherwise (outside the scope but changed, or under a symlinked folder) left alone and no
//!   longer listed: deca never deletes a file whose content it cannot vouch for.
//!
//! So a filtered build never deletes documents outside its selection, and a full build leaves
//! the folder mirroring the data.

use std::path::{Component, Path};

use super::Selection;
use super::manifest::{Artifact, Manifest};
use crate::edition::{Kind, OutputFormat};
use crate::plan::Target;

/// What a run covers.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub selection: Selection,
    /// The assessments (by name) the run built.
    pub assessments: Vec<String>,
    /// Documents (paths) the run left as they were because their inputs did not change
    /// (`deca watch`): outside its scope, so kept when intact.
    pub unchanged: std::collections::BTreeSet<String>,
}

impl Scope {
    /// Whether the run would have built this document, had the data produced it.
    pub(crate) fn covers(&self, a: &Artifact) -> bool {
        let s = &self.selection;
        let Some(kind) = Kind::ALL.into_iter().find(|k| k.name() == a.kind) else {
            return false;
        };
        let format = [OutputFormat::Pdf, OutputFormat::Docx]
            .into_iter()
            .find(|f| f.extension() == a.format);
        let target = Target {
            kind,
            item: a.priority.clone().or_else(|| a.recommendation.clone()),
        };
        self.assessments.contains(&a.assessment)
            && !self.unchanged.contains(&a.path)
            && (s.langs.is_empty() || s.langs.contains(&a.lang))
            && format.is_some_and(|f| s.formats.contains(&f))
            && s.wants(&target)
    }
}

/// The previous documents this run keeps, and those it removes (paths relative to `out`).
#[derive(Debug, Default)]
pub(crate) struct Carried {
    pub kept: Vec<Artifact>,
    pub remove: Vec<String>,
}

/// Sorts the previous manifest's documents that `produced` does not replace.
pub(crate) fn carry_over(
    previous: Option<&Manifest>,
    produced: &[Artifact],
    scope: &Scope,
    out: &Path,
    clean: bool,
) -> Carried {
    let mut carried = Carried::default();
    let Some(previous) = previous else {
        return carried;
    };
    for a in &previous.artifacts {
        if produced.iter().any(|p| p.path == a.path) || !is_document_path(out, &a.path) {
            continue;
        }
        if clean || scope.covers(a) {
            carried.remove.push(a.path.clone());
        } else if intact(out, a) {
            carried.kept.push(a.clone());
        }
    }
    carried
}

/// A path deca may act on: relative, no `..`, and no symlinked folder on the way (deca never
/// writes or deletes through a link inside the output folder).
pub(crate) fn is_plain_path(out: &Path, rel: &str) -> bool {
    let rel = Path::new(rel);
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return false;
    }
    let mut dir = out.to_path_buf();
    let parents: Vec<Component> = rel.components().collect();
    for c in &parents[..parents.len() - 1] {
        dir.push(c);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            _ => return false,
        }
    }
    true
}

/// A manifest entry deca may keep or remove: a plain path that is not one of the listings or
/// deca's own staging and lock files.
fn is_document_path(out: &Path, rel: &str) -> bool {
    let first = rel.split('/').next().unwrap_or_default();
    let reserved = first == "manifest.json" || first == "SHA256SUMS" || first.starts_with(".deca");
    !reserved && is_plain_path(out, rel)
}

/// Whether a listed file still holds the bytes the manifest says (read bounded, regular
/// files only, so a FIFO or device put in its place cannot stall the run).
fn intact(out: &Path, a: &Artifact) -> bool {
    crate::input::read(&out.join(&a.path), Some(out), a.bytes)
        .is_ok_and(|b| crate::hash::sha256_hex(&b) == a.sha256)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str, kind: &str, lang: &str, format: &str, bytes: &[u8]) -> Artifact {
        Artifact {
            path: path.into(),
            assessment: "demo".into(),
            kind: kind.into(),
            lang: lang.into(),
            format: format.into(),
            priority: None,
            recommendation: None,
            pages: Some(1),
            bytes: bytes.len() as u64,
            sha256: crate::hash::sha256_hex(bytes),
            standards: vec![],
            text_scale: None,
        }
    }

    fn scope(kinds: Vec<Kind>, langs: Vec<&str>) -> Scope {
        Scope {
            selection: Selection {
                kinds,
                priorities: vec![],
                recommendations: vec![],
                langs: langs.into_iter().map(String::from).collect(),
                formats: vec![OutputFormat::Pdf, OutputFormat::Docx],
            },
            assessments: vec!["demo".into()],
            unchanged: Default::default(),
        }
    }

    #[test]
    fn documents_outside_the_selection_are_kept_and_inside_removed() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("demo/en")).unwrap();
        std::fs::create_dir_all(out.path().join("demo/es")).unwrap();
        let report_es = doc("demo/es/report.pdf", "report", "es", "pdf", b"es");
        let overview_en = doc("demo/en/overview.pdf", "overview", "en", "pdf", b"old");
        std::fs::write(out.path().join("demo/es/report.pdf"), b"es").unwrap();
        std::fs::write(out.path().join("demo/en/overview.pdf"), b"old").unwrap();
        let previous = Manifest::new("x".into(), vec![report_es.clone(), overview_en]);
        // `--lang en --kind overview` produced nothing (say the data lost its overview).
        let s = scope(vec![Kind::Overview], vec!["en"]);
        let c = carry_over(Some(&previous), &[], &s, out.path(), false);
        assert_eq!(c.kept, vec![report_es]);
        assert_eq!(c.remove, vec!["demo/en/overview.pdf".to_string()]);
        let c = carry_over(Some(&previous), &[], &s, out.path(), true);
        assert!(c.kept.is_empty());
        assert_eq!(c.remove.len(), 2);
    }

    #[test]
    fn a_changed_document_is_neither_kept_nor_removed() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("demo/es")).unwrap();
        std::fs::write(out.path().join("demo/es/report.pdf"), b"edited").unwrap();
        let previous = Manifest::new(
            "x".into(),
            vec![doc("demo/es/report.pdf", "report", "es", "pdf", b"es")],
        );
        let c = carry_over(
            Some(&previous),
            &[],
            &scope(vec![Kind::Overview], vec![]),
            out.path(),
            false,
        );
        assert!(c.kept.is_empty() && c.remove.is_empty(), "{c:?}");
    }

    #[cfg(unix)]
    #[test]
    fn paths_through_a_symlinked_folder_are_never_acted_on() {
        let out = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(elsewhere.path().join("en")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), out.path().join("demo")).unwrap();
        std::fs::create_dir_all(out.path().join("other/en")).unwrap();
        assert!(!is_plain_path(out.path(), "demo/en/report.pdf"));
        assert!(!is_plain_path(out.path(), "../x.pdf"));
        assert!(!is_document_path(out.path(), "manifest.json"));
        assert!(!is_document_path(out.path(), ".deca-staging-x/files/a.pdf"));
        assert!(is_plain_path(out.path(), "other/en/report.pdf"));
    }
}
