//! Diagnostics: one type for every problem deca reports (data, templates, builds), with its
//! file, line and column, a hint, and renderers for people (snippet with a caret), for grep-like
//! tools (one line each) and for CI (JSON).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Chars, Config};
use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the run: exit code 1.
    Error,
    /// Reported; the run goes on.
    Warning,
}

/// A source file a diagnostic can point into. Shared so that many diagnostics can refer to
/// the same text without copying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the working directory when possible).
    pub path: PathBuf,
    /// The whole text, so snippets can be printed.
    pub text: Arc<str>,
}

impl SourceFile {
    /// A shared source file from its display path and full text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text: text.into(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = floor_char_boundary(&self.text, byte.min(self.text.len()));
        let before = &self.text[..byte];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if i + 1 == line {
                let in_line: usize = l
                    .char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
                return offset + in_line;
            }
            offset += l.len();
        }
        self.text.len()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A place in a source file: a byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file the range is in.
    pub file: Arc<SourceFile>,
    /// Byte offset of the first byte, on a character boundary.
    pub start: usize,
    /// Byte offset just past the range, on a character boundary, never before `start`.
    pub end: usize,
}

impl Location {
    /// A location, with `start` and `end` clamped into the text and moved back to character boundaries.
    pub fn new(file: &Arc<SourceFile>, start: usize, end: usize) -> Location {
        let len = file.text.len();
        let start = floor_char_boundary(&file.text, start.min(len));
        let end = floor_char_boundary(&file.text, end.clamp(start, len));
        Location {
            file: file.clone(),
            start,
            end,
        }
    }

    /// 1-based line and column of the start.
    pub fn line_col(&self) -> (usize, usize) {
        self.file.line_col(self.start)
    }
}

/// A second place a diagnostic points at, e.g. where a duplicate was first defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The other place.
    pub location: Location,
    /// What is there, printed as the place's label: "first defined here".
    pub message: String,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether the problem stops the run.
    pub severity: Severity,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// Where, when known. A file-level problem without a position has `file` only.
    pub location: Option<Location>,
    /// A file the problem belongs to when there is no position in it.
    pub file: Option<PathBuf>,
    /// A short label under the caret.
    pub label: Option<String>,
    /// Other places worth showing.
    pub related: Vec<Related>,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The result of work that can fail with several problems at once (a build reports them all).
pub type DResult<T> = Result<T, Vec<Diagnostic>>;

// Lets `?` lift a single problem into a `DResult` function.
impl From<Diagnostic> for Vec<Diagnostic> {
    fn from(d: Diagnostic) -> Vec<Diagnostic> {
        vec![d]
    }
}

impl Diagnostic {
    /// An error with this message and nothing else yet; the builders below add the rest.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            file: None,
            label: None,
            related: Vec::new(),
            hint: None,
        }
    }

    /// A warning with this message.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points the diagnostic at a place.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Points the diagnostic at a place, or at none when `location` is `None`.
    pub fn at_opt(mut self, location: Option<Location>) -> Diagnostic {
        self.location = location;
        self
    }

    /// Names the file the problem is in when there is no position to point at.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// Sets the short label printed under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Sets the hint: how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a second place worth showing, with what is there.
    pub fn related(mut self, location: Location, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The file this diagnostic is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.location
            .as_ref()
            .map(|l| l.file.path.as_path())
            .or(self.file.as_deref())
    }

    /// `file:line:col` (or `file`), for one-line output.
    pub fn position(&self) -> Option<String> {
        match (&self.location, &self.file) {
            (Some(loc), _) => {
                let (line, col) = loc.line_col();
                Some(format!("{}:{line}:{col}", loc.file.path.display()))
            }
            (None, Some(file)) => Some(file.display().to_string()),
            (None, None) => None,
        }
    }

    /// Sort key: file, then position, so reports read top to bottom.
    fn sort_key(&self) -> (Option<PathBuf>, usize) {
        (
            self.path().map(Path::to_path_buf),
            self.location.as_ref().map_or(0, |l| l.start),
        )
    }
}

/// Orders diagnostics by file and position, keeping the original order for ties.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(Diagnostic::sort_key);
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Snippets with a caret and hints, for people.
    #[default]
    Human,
    /// One line per problem: `file:line:col: error: message`.
    Short,
    /// A JSON array of diagnostics, for CI.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::message`), shown on the
    /// pull request's diff.
    Github,
}

mod render;

pub use render::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a.yaml", "título: x\nñu: y\n");
        assert_eq!(f.line_col(0), (1, 1));
        let y = f.text.find('y').unwrap();
        assert_eq!(f.line_col(y), (2, 5));
        assert_eq!(f.offset_of(2, 5), y);
    }

    #[test]
    fn github_annotations_escape_what_would_end_them() {
        let f = SourceFile::new("data/x.yaml", "a: 1\nb: 2\n");
        let d = Diagnostic::error("100% wrong, really: yes")
            .at(Location::new(&f, 5, 6))
            .hint("remove it");
        assert_eq!(
            render_github(&[d]),
            "::error file=data/x.yaml,line=2,col=1,endLine=2,endColumn=2,title=deca::100%25 wrong, really: yes%0Ahint: remove it\n"
        );
        let w = Diagnostic::warning("no place").in_file("a,b:c.yaml");
        assert_eq!(
            render_github(&[w]),
            "::warning file=a%2Cb%3Ac.yaml,title=deca::no place\n"
        );
    }

    #[test]
    fn short_format_is_one_line_per_problem() {
        let f = SourceFile::new("data/x.yaml", "a: 1\nb: 2\n");
        let d = Diagnostic::error("unknown field `b`")
            .at(Location::new(&f, 5, 6))
            .hint("remove it");
        assert_eq!(
            render_short(&[d]),
            "data/x.yaml:2:1: error: unknown field `b` (hint: remove it)\n"
        );
    }
}
