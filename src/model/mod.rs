//! The validated assessment: every file of one assessment folder loaded, checked and indexed.
//!
//! Loading runs in three passes and reports every problem it can find: the structural check
//! per file (`source`), the typed load of each file that passed, then the cross-file checks of
//! `validate` on whatever loaded. An `Assessment` exists only when nothing is wrong.

mod checker;
pub(crate) mod coverage;
mod describe;
mod fields;
mod images;
pub(crate) mod link;
pub mod path;
pub mod raw;
pub mod rich;
pub mod schema;
mod structure;

pub use structure::check as check_structure;
pub mod text;
pub mod translations;
mod validate;
pub(crate) mod visit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Location, SourceFile};
use crate::source;
use crate::source::FileKind;

pub use text::{Resolved, Rich, Text};

/// One assessment, valid.
#[derive(Debug)]
pub struct Assessment {
    /// The folder's name, used in output paths: `peru`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// The files it was read from, by kind.
    pub files: BTreeMap<FileKind, Arc<SourceFile>>,
    /// The top-level file, `assessment.yaml`: title, country, team, method, pillars.
    pub meta: raw::AssessmentFile,
    /// `priorities.yaml`, in file order.
    pub priorities: Vec<raw::Priority>,
    /// In number order.
    pub findings: Vec<raw::Finding>,
    /// In number order.
    pub recommendations: Vec<raw::Recommendation>,
    /// `indicators.yaml`, in file order; empty without the file.
    pub indicators: Vec<raw::Indicator>,
    /// `sources.yaml`, in file order; empty without the file.
    pub sources: Vec<raw::Source>,
    /// `theme.yaml`, or the default theme without the file.
    pub theme: raw::ThemeFile,
    /// Images the data refers to, by their path in the folder: bytes read and checked.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Publication date.
    pub date: time::Date,
}

impl Assessment {
    /// The default language: plain strings are written in it.
    pub fn default_lang(&self) -> &str {
        &self.meta.languages[0].value
    }

    /// All languages of the editions, default first.
    pub fn languages(&self) -> Vec<&str> {
        self.meta
            .languages
            .iter()
            .map(|l| l.value.as_str())
            .collect()
    }

    /// The priority with this id.
    pub fn priority(&self, id: &str) -> Option<&raw::Priority> {
        self.priorities.iter().find(|p| p.id.value == id)
    }

    /// The finding with this id.
    pub fn finding(&self, id: &str) -> Option<&raw::Finding> {
        self.findings.iter().find(|f| f.id.value == id)
    }

    /// The recommendation with this id.
    pub fn recommendation(&self, id: &str) -> Option<&raw::Recommendation> {
        self.recommendations.iter().find(|r| r.id.value == id)
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&raw::Indicator> {
        self.indicators.iter().find(|i| i.id.value == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&raw::Source> {
        self.sources.iter().find(|s| s.id.value == id)
    }

    /// The pillar (from `assessment.yaml`) with this id.
    pub fn pillar(&self, id: &str) -> Option<&raw::Pillar> {
        self.meta.pillars.iter().find(|p| p.id.value == id)
    }

    /// Where a value was written, for diagnostics.
    pub fn location<T>(&self, kind: FileKind, value: &Spanned<T>) -> Option<Location> {
        self.files.get(&kind).map(|f| spanned_location(f, value))
    }
}

/// The location of a spanned value in its file.
pub fn spanned_location<T>(file: &Arc<SourceFile>, value: &Spanned<T>) -> Location {
    yaml_location(file, &value.referenced)
}

/// A YAML parser's location as a location in its file.
pub fn yaml_location(file: &Arc<SourceFile>, at: &serde_saphyr::Location) -> Location {
    let span = at.span();
    let start = span.byte_offset().map_or_else(
        || file.offset_of(at.line() as usize, at.column() as usize),
        |b| b as usize,
    );
    let len = span.byte_len().unwrap_or(0) as usize;
    Location::new(file, start, start + len)
}

/// The result of loading: the assessment when valid, and every diagnostic (warnings too).
pub struct Loaded {
    /// The assessment, or `None` when any diagnostic is an error.
    pub assessment: Option<Assessment>,
    /// Every problem found, errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The parsed trees of a load that found no problem at all and was not trusted: what a
    /// cache may keep for the next load of the same bytes (see [`load_trusting`]).
    pub clean: Option<source::stored::Trees>,
    /// Whether the trees came from a cache and the checks they passed were skipped.
    pub trusted: bool,
}

/// The files of an assessment folder, by kind, as read.
pub type Files = BTreeMap<FileKind, Arc<SourceFile>>;

/// Loads and validates the assessment in `dir`. `shown` is how the folder is named in messages.
pub fn load(dir: &Path, shown: &Path) -> Loaded {
    load_trusting(dir, shown, &mut |_| None)
}

/// Loads like [`load`], but first asks `recall` for the trees of a clean load of exactly these
/// files (a build's cache, keyed by their bytes and whatever else the checks read). Given
/// them, the YAML is not parsed again and the checks whose only outcome is a diagnostic (the
/// structural check, the text fields, font families) are skipped: they found nothing for
/// these bytes before. References, numbering and images are still checked, since the model
/// is built by those passes.
pub fn load_trusting(
    dir: &Path,
    shown: &Path,
    recall: &mut dyn FnMut(&Files) -> Option<source::stored::Trees>,
) -> Loaded {
    let mut diags = Vec::new();
    let mut files: BTreeMap<FileKind, Arc<SourceFile>> = BTreeMap::new();
    // The files whose structure is sound, in order: only they are loaded as typed data.
    let mut sound: Vec<FileKind> = Vec::new();
    // Their parsed trees: the typed load reads these instead of parsing the text again.
    let mut trees: source::stored::Trees = BTreeMap::new();
    // Whether a data file could not be read: then nothing is recalled.
    let mut unread = false;

    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return Loaded {
                assessment: None,
                diagnostics: vec![
                    Diagnostic::error(format!("failed to read the assessment folder ({e})"))
                        .in_file(shown),
                ],
                clean: None,
                trusted: false,
            };
        }
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        // Everything but folders: a FIFO or device named like a data file is refused by name.
        .filter(|e| e.file_type().is_ok_and(|t| !t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    for name in &names {
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let Some(kind) = FileKind::from_file_name(name) else {
            let known: Vec<String> = FileKind::ALL.iter().map(|k| k.file_name()).collect();
            let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
            let mut d = Diagnostic::warning(format!("unknown file `{name}` is ignored"))
                .in_file(shown.join(name));
            d = match crate::suggest::did_you_mean(name, known_refs.iter().copied()) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("deca reads {}", crate::suggest::list(&known_refs))),
            };
            diags.push(d);
            continue;
        };
        if files.contains_key(&kind) {
            diags.push(
                Diagnostic::error(format!(
                    "both `{}` and `{name}` exist",
                    files[&kind]
                        .path
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                ))
                .in_file(shown.join(name))
                .hint("keep one of them"),
            );
            continue;
        }
        match source::read(&dir.join(name), &shown.join(name)) {
            Ok(f) => {
                files.insert(kind, f);
            }
            Err(d) => {
                unread = true;
                diags.push(d);
            }
        }
    }
    // Trees a clean load of these very bytes left: nothing to parse or check structurally.
    let recalled = if unread || !diags.is_empty() {
        None
    } else {
        recall(&files).filter(|t| t.keys().eq(files.keys()))
    };
    let trusted = recalled.is_some();
    if let Some(recalled) = recalled {
        sound.extend(recalled.keys().copied());
        trees = recalled;
    } else {
        for (&kind, file) in &files {
            match source::parse_tree(file) {
                Ok(tree) => {
                    let problems = structure::check(file, kind, tree.as_ref());
                    let ok = problems.iter().all(|d| !d.is_error());
                    diags.extend(problems);
                    if ok {
                        sound.push(kind);
                        if let Some(tree) = tree {
                            trees.insert(kind, tree);
                        }
                    }
                }
                Err(d) => diags.push(d),
            }
        }
    }
    // A file that exists but could not be read has its own error; it is not also missing.
    let written = |kind: FileKind| {
        names
            .iter()
            .any(|n| FileKind::from_file_name(n) == Some(kind))
    };
    for kind in FileKind::ALL {
        if kind.required() && !written(kind) {
            diags.push(
                Diagnostic::error(format!("missing file `{}`", kind.file_name()))
                    .in_file(shown)
                    .hint(format!(
                        "every assessment folder has {}",
                        crate::suggest::list_all(
                            &FileKind::ALL
                                .iter()
                                .filter(|k| k.required())
                                .map(|k| k.file_name())
                                .collect::<Vec<_>>()
                        )
                    )),
            );
        }
    }

    // Typed load of every file that passed the structural check.
    let mut typed = validate::Typed::default();
    for kind in &sound {
        let file = &files[kind];
        let tree = trees.get(kind);
        let result = match kind {
            FileKind::Assessment => {
                source::load_typed_from(file, tree).map(|v| typed.meta = Some(v))
            }
            FileKind::Priorities => source::load_typed_from::<raw::PrioritiesFile>(file, tree)
                .map(|v| typed.priorities = Some(v.priorities)),
            FileKind::Findings => source::load_typed_from::<raw::FindingsFile>(file, tree)
                .map(|v| typed.findings = Some(v.findings)),
            FileKind::Recommendations => {
                source::load_typed_from::<raw::RecommendationsFile>(file, tree)
                    .map(|v| typed.recommendations = Some(v.recommendations))
            }
            FileKind::Indicators => source::load_typed_from::<raw::IndicatorsFile>(file, tree)
                .map(|v| typed.indicators = Some(v.indicators)),
            FileKind::Sources => source::load_typed_from::<raw::SourcesFile>(file, tree)
                .map(|v| typed.sources = Some(v.sources)),
            FileKind::Theme => source::load_typed_from(file, tree).map(|v| typed.theme = Some(v)),
        };
        if let Err(d) = result {
            diags.push(d);
        }
    }
    // Optional files that do not exist count as present and empty. One that exists but failed
    // stays unknown, so references into it are not reported as dangling.
    if !written(FileKind::Indicators) {
        typed.indicators = Some(Vec::new());
    }
    if !written(FileKind::Sources) {
        typed.sources = Some(Vec::new());
    }
    if !written(FileKind::Theme) {
        typed.theme = Some(raw::ThemeFile::default());
    }

    // `.` and `..` have no name of their own: the folder they stand for does.
    let name = dir
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map_or_else(
            || "assessment".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    let (assessment, semantic) = validate::validate(name, dir, files, typed, trusted);
    diags.extend(semantic);
    crate::diag::sort(&mut diags);
    let failed = diags.iter().any(Diagnostic::is_error);
    let clean = (!trusted && diags.is_empty() && assessment.is_some()).then_some(trees);
    Loaded {
        assessment: if failed { None } else { assessment },
        diagnostics: diags,
        clean,
        trusted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }

    #[test]
    fn a_trusted_load_builds_the_assessment_a_full_load_builds() {
        for dir in [
            "data/peru",
            "tests/fixtures/marenland",
            "tests/fixtures/arabic",
        ] {
            let full = load(&data(dir), Path::new("a"));
            assert!(full.diagnostics.is_empty(), "{dir}: {:?}", full.diagnostics);
            assert!(!full.trusted);
            let trees = full.clean.clone().expect("a clean load offers its trees");
            let mut asked = 0;
            let trusted = load_trusting(&data(dir), Path::new("a"), &mut |files| {
                asked += 1;
                assert!(files.keys().eq(trees.keys()), "{dir}: the files read");
                Some(trees.clone())
            });
            assert_eq!(asked, 1);
            assert!(trusted.trusted, "{dir}");
            assert!(
                trusted.clean.is_none(),
                "{dir}: a trusted load offers nothing to keep"
            );
            assert!(trusted.diagnostics.is_empty());
            assert_eq!(
                format!("{:?}", trusted.assessment),
                format!("{:?}", full.assessment),
                "{dir}"
            );
        }
    }

    #[test]
    fn trees_for_other_files_are_not_trusted() {
        let peru = load(&data("data/peru"), Path::new("a")).clean.unwrap();
        // The base fixture has no theme.yaml, Peru has one: these trees do not fit its files.
        let loaded = load_trusting(&data("tests/fixtures/base"), Path::new("a"), &mut |_| {
            Some(peru.clone())
        });
        assert!(!loaded.trusted);
        assert!(loaded.assessment.is_some());
    }

    #[test]
    fn a_load_with_any_diagnostic_offers_nothing_to_keep_and_asks_for_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("m");
        std::fs::create_dir(&dir).unwrap();
        for e in std::fs::read_dir(data("tests/fixtures/marenland")).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
        }
        // A warning only: the assessment loads, but this load is not a clean one.
        std::fs::write(dir.join("notes.yaml"), "a: 1\n").unwrap();
        let loaded = load_trusting(&dir, Path::new("m"), &mut |_| panic!("asked"));
        assert!(loaded.assessment.is_some());
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        assert!(loaded.clean.is_none());
    }
}
