//! `deca.toml`, the project file: defaults for every build and named editions (profiles), found
//! by walking up from the working directory like Cargo.toml. It owns finding, reading and
//! checking the file (every problem located at its key or value), laying a profile under the
//! command line, and the file's JSON Schema.
//!
//! Precedence, lowest first: built-in defaults, the file's top level, `[profile.NAME]`, flags.
//! Paths in the file are relative to the file's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{DResult, Diagnostic, Location, SourceFile};
use crate::suggest;

mod check;

pub use check::{Checked, check};

/// The project file's name.
pub const FILE_NAME: &str = "deca.toml";

/// The largest project file read; real ones are a few hundred bytes.
const MAX_BYTES: u64 = 256 * 1024;

/// A list value in `deca.toml`, with the position of the list and of each item.
pub type List = Spanned<Vec<Spanned<String>>>;

/// Settings shared by the top level and every profile. Each one mirrors a `deca build` flag.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// What this edition is for, shown by `deca check`.
    #[schemars(with = "Option<String>")]
    pub description: Option<Spanned<String>>,
    /// An assessment folder, or a folder of them (`DIR` of `deca build`).
    #[schemars(with = "Option<String>")]
    pub data: Option<Spanned<String>>,
    /// Where documents, manifest.json and SHA256SUMS are written (`--out`).
    #[schemars(with = "Option<String>")]
    pub out: Option<Spanned<String>>,
    /// Paper size (`--paper`): `a4` or `letter`.
    #[schemars(with = "Option<String>")]
    pub paper: Option<Spanned<String>>,
    /// Kinds of document (`--kind`): `report`, `brief`, `onepager`, `overview`.
    #[schemars(with = "Option<Vec<String>>")]
    pub kind: Option<List>,
    /// Output formats (`--format`): `pdf`, `docx`.
    #[schemars(with = "Option<Vec<String>>")]
    pub format: Option<List>,
    /// Languages (`--lang`), e.g. `["es"]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub lang: Option<List>,
    /// Priority ids whose briefs to build (`--priority`).
    #[schemars(with = "Option<Vec<String>>")]
    pub priority: Option<List>,
    /// Recommendation ids whose one-pagers to build (`--recommendation`).
    #[schemars(with = "Option<Vec<String>>")]
    pub recommendation: Option<List>,
    /// A folder of templates that override the built-in ones (`--templates`).
    #[schemars(with = "Option<String>")]
    pub templates: Option<Spanned<String>>,
    /// A Word file that restyles every DOCX, e.g. a letterhead (`--reference-docx`).
    #[schemars(with = "Option<String>")]
    pub reference_docx: Option<Spanned<String>>,
    /// PDF standards (`--pdf-standard`): `ua-1`, `a-2a`, `a-2b`, `a-2u`, `a-3b`, `none`.
    #[schemars(with = "Option<Vec<String>>")]
    pub pdf_standard: Option<List>,
    /// Seconds a template may run per document (`--timeout`).
    #[schemars(with = "Option<u64>")]
    pub timeout: Option<Spanned<u64>>,
    /// Treat missing translations as errors (`--strict`).
    #[schemars(with = "Option<bool>")]
    pub strict: Option<Spanned<bool>>,
    /// Named editions: `[profile.lima]` is built by `deca build --profile lima`. Only at the top
    /// level.
    #[schemars(with = "Option<BTreeMap<String, Settings>>")]
    pub profile: Option<BTreeMap<String, Spanned<Settings>>>,
}

/// A project file that was read and parsed.
#[derive(Debug)]
pub struct Project {
    /// The file as shown in messages (relative to the working directory when below it).
    pub file: Arc<SourceFile>,
    /// The folder paths in the file are relative to, as seen from the working directory.
    pub base: PathBuf,
    /// The top-level settings and the profiles.
    pub settings: Settings,
}

/// The project file that applies in `start`: the first `deca.toml` in it or a parent folder.
/// Returns the path to read and how to show its folder (relative when possible).
pub fn find(start: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut dir = start.to_path_buf();
    let mut base = PathBuf::new();
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some((candidate, base));
        }
        if !dir.pop() {
            return None;
        }
        base.push("..");
    }
}

/// Finds and reads the project file for the working directory, refusing one with a value a
/// build cannot use. `Ok(None)`: there is none.
pub fn discover() -> DResult<Option<Project>> {
    match discover_parsed()? {
        Some(p) => {
            let problems = p.check_values();
            if problems.is_empty() {
                Ok(Some(p))
            } else {
                Err(problems)
            }
        }
        None => Ok(None),
    }
}

/// Finds and parses the project file, without judging its values (`check` does).
pub fn discover_parsed() -> DResult<Option<Project>> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(None);
    };
    match find(&cwd) {
        Some((path, base)) => parse(&path, &base).map(Some),
        None => Ok(None),
    }
}

/// Reads and parses a project file; `base` is its folder as the user sees it. Only syntax,
/// types and unknown keys are errors here.
pub fn parse(path: &Path, base: &Path) -> DResult<Project> {
    let shown = base.join(FILE_NAME);
    // Bounded and regular files only, like every input: a FIFO named deca.toml cannot hang us.
    let bytes = crate::input::read(path, None, MAX_BYTES)
        .map_err(|e| vec![e.diagnostic(&shown, "the project file", "")])?;
    let text = String::from_utf8(bytes).map_err(|_| {
        vec![
            Diagnostic::error("the project file is not valid UTF-8")
                .in_file(&shown)
                .hint("save deca.toml as UTF-8"),
        ]
    })?;
    let file = SourceFile::new(&shown, text);
    let settings: Settings = toml::from_str(&file.text).map_err(|e| {
        // toml's message repeats the snippet; the first line is the problem itself.
        let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
        let message = message.trim_end_matches('.').to_string();
        let d = Diagnostic::error(format!("invalid project file: {message}"));
        let d = match e.span() {
            Some(span) => d.at(Location::new(&file, span.start, span.end)),
            None => d.in_file(&shown),
        };
        let d = if message.starts_with("unknown field") {
            d.hint("deca.toml takes the keys of `deca schema --out DIR`'s deca.schema.json; see the README's profile section")
        } else {
            d
        };
        vec![d]
    })?;
    Ok(Project {
        file,
        base: base.to_path_buf(),
        settings,
    })
}

/// A value's place in the file.
pub(crate) fn at<T>(file: &Arc<SourceFile>, v: &Spanned<T>) -> Location {
    Location::new(file, v.span().start, v.span().end)
}

impl Project {
    /// A path from the file, as seen from the working directory.
    pub fn path(&self, v: &Spanned<String>) -> PathBuf {
        let p = Path::new(v.get_ref());
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }

    /// Names of the profiles, sorted.
    pub fn profile_names(&self) -> Vec<&str> {
        self.settings
            .profile
            .iter()
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .collect()
    }

    /// A profile's settings, or a usage error naming the ones there are.
    pub fn profile(&self, name: &str) -> Result<&Settings, Diagnostic> {
        if let Some(p) = self.settings.profile.as_ref().and_then(|m| m.get(name)) {
            return Ok(p.get_ref());
        }
        let names = self.profile_names();
        let hint = match suggest::did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => format!(
                "{} defines no profiles; add a `[profile.{name}]` table",
                self.file.path.display()
            ),
            None => format!(
                "the profiles in {} are {}",
                self.file.path.display(),
                suggest::list(&names)
            ),
        };
        Err(Diagnostic::error(format!("unknown profile `{name}`")).hint(hint))
    }

    /// The data folder the top level names (for commands without a profile).
    pub fn data(&self) -> Option<PathBuf> {
        self.settings.data.as_ref().map(|d| self.path(d))
    }
}

/// The JSON Schema of deca.toml, for editors (Even Better TOML reads `#:schema` lines).
pub fn schema() -> serde_json::Value {
    let mut v = serde_json::to_value(schemars::schema_for!(Settings)).expect("schema serializes");
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "title".into(),
            serde_json::Value::String("deca.toml: deca's project file".into()),
        );
    }
    v
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn parse_text(text: &str) -> DResult<Project> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        let p = parse(&dir.path().join(FILE_NAME), Path::new(""))?;
        match p.check_values() {
            v if v.is_empty() => Ok(p),
            v => Err(v),
        }
    }

    #[test]
    fn find_walks_up_and_says_how_far() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let (path, base) = find(&deep).unwrap();
        assert_eq!(path, dir.path().join(FILE_NAME));
        assert_eq!(base, Path::new("../.."));
    }

    #[test]
    fn an_unknown_key_is_located() {
        let errs = parse_text("out = \"x\"\n[profile.lima]\nlangs = [\"es\"]\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(
            errs[0].position().as_deref(),
            Some("deca.toml:3:1"),
            "{:?}",
            errs[0].message
        );
        assert!(
            errs[0]
                .message
                .starts_with("invalid project file: unknown field `langs`")
        );
    }

    #[test]
    fn an_unknown_format_suggests_the_right_one() {
        let errs = parse_text("[profile.lima]\nformat = [\"pdf\", \"dcx\"]\n").unwrap_err();
        assert_eq!(errs[0].message, "unknown format `dcx`");
        assert_eq!(errs[0].position().as_deref(), Some("deca.toml:2:18"));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `docx`?"));
    }
}
